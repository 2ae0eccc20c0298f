import { readFileSync } from 'node:fs';
import { FakeHttpServer, type FakeReply } from './fake-http-server.ts';
import { checkBlocks, LIMITS } from './block-kit-limits.ts';

/**
 * A fake Slack Web API at `${url}/api/`: the methods Helpnet calls, with Slack's wire
 * format (form or JSON bodies, `{ok:false,error}` answers), token checks and Block Kit
 * limits. Keeps channels' messages so chat.update can find them. No test-framework imports.
 */

export interface FakeSlackUser {
  id: string;
  /** The handle. */
  name: string;
  real_name?: string;
  /** Shown in Slack instead of the real name; defaults to the handle. */
  display_name?: string;
  email?: string;
  /** As the user typed it in their profile. */
  phone?: string;
  tz?: string;
  is_bot?: boolean;
}

export interface PostedMessage {
  /** Where it was posted to, as the app asked: a channel id, or a user id for a DM. */
  channel: string;
  /** The conversation it is in: the channel, or for a DM the DM's own id (see dmChannelOf). */
  conversation: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  thread_ts?: string;
  /** Message metadata as posted (`{event_type, event_payload}`); conversations.* return it with include_all_metadata. */
  metadata?: unknown;
  updates: number;
}

/** A reply an app sent to an interaction's `response_url`. */
export interface InteractionResponse {
  /** The key the response URL was made with (see responseUrl). */
  key: string;
  text?: string;
  blocks?: unknown;
  response_type?: string;
  replace_original?: boolean;
  at: Date;
}

export const FAKE_TEAM = { id: 'T0HELPNET', name: 'Helpnet Test', botUserId: 'U0HELPBOT', botId: 'B0HELPBOT' };

const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'];
const MANIFEST_SCOPES: readonly string[] = (JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as { oauth_config: { scopes: { bot: string[] } } }).oauth_config.scopes.bot;
const RESPONSE_PATH = '/respond/';

function decodeArgs(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const k of JSON_FIELDS) {
    const v = out[k];
    if (typeof v === 'string') {
      try {
        out[k] = JSON.parse(v);
      } catch {
        out[k] = { _invalidJson: v };
      }
    }
  }
  return out;
}

export class FakeSlack {
  readonly http: FakeHttpServer;
  readonly users = new Map<string, FakeSlackUser>();
  private readonly closed = new Set<string>();
  private readonly dms = new Map<string, string>();
  readonly messages: PostedMessage[] = [];
  readonly views = new Map<string, { id: string; view: unknown; user?: string }>();
  /** The scopes the token has, listed in `x-oauth-scopes` as Slack lists them: by default those manifest.json asks for. */
  scopes: string[] = [...MANIFEST_SCOPES];
  private seq = 0;

  constructor(readonly token = 'xoxb-test-token') {
    this.http = new FakeHttpServer((req) => {
      if (req.path.startsWith(RESPONSE_PATH)) return { route: 'response_url', reply: () => this.respond(req.body) };
      const method = req.path.replace(/^\/api\//, '');
      const args = decodeArgs(req.body);
      return { route: method, reply: () => this.answer(method, req.headers.authorization, args) };
    });
  }

  static async start(token?: string): Promise<FakeSlack> {
    const fake = new FakeSlack(token);
    await fake.http.start();
    return fake;
  }

  /**
   * A `response_url` for an interaction payload, as Slack gives one with each: what the app
   * sends there is recorded (see responses) under `key`.
   */
  responseUrl(key: string): string {
    return `${this.http.url}${RESPONSE_PATH}${encodeURIComponent(key)}`;
  }

  /** What apps sent to response URLs, in arrival order; `key` as given to responseUrl. */
  responses(key?: string): InteractionResponse[] {
    return this.http
      .callsTo('response_url')
      .filter((c) => c.status === 200)
      .map((c) => ({ key: decodeURIComponent(c.path.slice(RESPONSE_PATH.length)), ...(decodeArgs(c.body) as Omit<InteractionResponse, 'key' | 'at'>), at: c.at }))
      .filter((r) => key === undefined || r.key === key);
  }

  /** What to set SLACK_API_URL to. */
  get apiUrl(): string {
    return `${this.http.url}/api/`;
  }

  get calls() {
    return this.http.calls;
  }

  callsTo(method: string) {
    return this.http.callsTo(method).map((c) => ({ ...c, args: decodeArgs(c.body) }));
  }

  /** A channel or user Slack no longer lets the bot post to (archived, deactivated): `channel_not_found`. */
  closeChannel(id: string): void {
    this.closed.add(id);
    // A user gone closes the DM with them too.
    if (/^[UW]/.test(id)) this.closed.add(this.dmChannelOf(id));
  }

  /**
   * The id of the bot's DM with a user, as Slack gives it: its own id (`D…`), which cannot be
   * worked out from the user id. A post to a user id lands there, and Slack answers with it.
   */
  dmChannelOf(userId: string): string {
    let id = this.dms.get(userId);
    if (!id) {
      id = `D0DM${String(this.dms.size + 1).padStart(6, '0')}`;
      this.dms.set(userId, id);
    }
    return id;
  }

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, user);
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /** Seconds now, then a counter: unique, increasing, and comparable with `oldest` as Slack's are. */
  private nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  private respond(body: Record<string, unknown>): FakeReply {
    if (body.text === undefined && body.blocks === undefined && body.delete_original === undefined) return { status: 400, body: { ok: false, error: 'no_text' } };
    if (body.blocks !== undefined) {
      const problems = checkBlocks(decodeArgs(body).blocks, 'message', '/blocks');
      if (problems.length > 0) return { status: 400, body: { ok: false, error: 'invalid_blocks', errors: problems } };
    }
    return { body: { ok: true } };
  }

  /** The conversation a post to `channel` lands in: a post to a user id goes to the DM with them. */
  private conversationOf(channel: string): string {
    return /^[UW]/.test(channel) ? this.dmChannelOf(channel) : channel;
  }

  private listed(m: PostedMessage, withMetadata: boolean) {
    return { type: 'message', ts: m.ts, text: m.text, bot_id: FAKE_TEAM.botId, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}), ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) };
  }

  private answer(method: string, authorization: string | undefined, args: Record<string, unknown>): FakeReply {
    const ok = (body: Record<string, unknown> = {}): FakeReply => ({ body: { ok: true, ...body } });
    const fail = (error: string, messages?: string[]): FakeReply => ({
      body: { ok: false, error, ...(messages ? { errors: messages, response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } } : {}) },
    });

    const bearer = authorization?.replace(/^Bearer\s+/i, '') ?? (typeof args.token === 'string' ? args.token : undefined);
    if (!bearer) return fail('not_authed');
    if (bearer !== this.token) return fail('invalid_auth');

    switch (method) {
      case 'auth.test':
        return {
          body: { ok: true, url: 'https://helpnet-test.slack.com/', team: FAKE_TEAM.name, user: 'helpnet', team_id: FAKE_TEAM.id, user_id: FAKE_TEAM.botUserId, bot_id: FAKE_TEAM.botId },
          headers: { 'x-oauth-scopes': this.scopes.join(',') },
        };

      case 'chat.postMessage':
      case 'chat.postEphemeral':
      case 'chat.update': {
        const channel = args.channel;
        if (typeof channel !== 'string' || channel === '' || this.closed.has(channel)) return fail('channel_not_found');
        const conversation = this.conversationOf(channel);
        if (this.closed.has(conversation)) return fail('channel_not_found');
        if (method === 'chat.postEphemeral' && typeof args.user !== 'string') return fail('user_not_found');
        if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) return fail('no_text');
        if (typeof args.text === 'string' && args.text.length > LIMITS.messageText) return fail('msg_too_long');
        if (args.blocks !== undefined) {
          const problems = checkBlocks(args.blocks, 'message', '/blocks');
          if (problems.length > 0) return fail('invalid_blocks', problems);
        }
        if (method === 'chat.update') {
          // Slack finds the message by the conversation's id: a DM's is the one it answered the post with.
          const existing = this.messages.find((m) => m.conversation === channel && m.ts === args.ts);
          if (!existing) return fail('message_not_found');
          existing.text = args.text as string | undefined;
          existing.blocks = args.blocks;
          existing.updates += 1;
          return ok({ channel, ts: existing.ts, text: existing.text });
        }
        if (method === 'chat.postEphemeral') return ok({ message_ts: this.nextTs() });
        const message: PostedMessage = {
          channel,
          conversation,
          ts: this.nextTs(),
          text: args.text as string | undefined,
          blocks: args.blocks,
          thread_ts: args.thread_ts as string | undefined,
          metadata: args.metadata,
          updates: 0,
        };
        this.messages.push(message);
        return ok({ channel: conversation, ts: message.ts, message: { type: 'message', text: message.text, ts: message.ts, bot_id: FAKE_TEAM.botId } });
      }

      case 'conversations.history':
      case 'conversations.replies': {
        const channel = String(args.channel ?? '');
        if (!/^[CGD]/.test(channel)) return fail('channel_not_found');
        if (this.closed.has(channel)) return fail('not_in_channel');
        const withMetadata = String(args.include_all_metadata) === 'true';
        const oldest = Number(args.oldest ?? 0);
        const inConversation = this.messages.filter((m) => m.conversation === channel && Number(m.ts) >= oldest);
        if (method === 'conversations.replies') {
          const thread = inConversation.filter((m) => m.ts === args.ts || m.thread_ts === args.ts);
          if (!thread.some((m) => m.ts === args.ts)) return fail('thread_not_found');
          return ok({ messages: thread.map((m) => this.listed(m, withMetadata)), has_more: false });
        }
        // Newest first, without thread replies, as Slack lists a conversation.
        const top = inConversation.filter((m) => !m.thread_ts).reverse();
        const limit = Number(args.limit ?? 100);
        return ok({ messages: top.slice(0, limit).map((m) => this.listed(m, withMetadata)), has_more: top.length > limit });
      }

      case 'conversations.open': {
        const users = typeof args.users === 'string' ? args.users.split(',').filter(Boolean) : [];
        if (typeof args.channel === 'string') return ok({ channel: { id: args.channel } });
        if (users.length === 0) return fail('users_list_not_supplied');
        const unknown = users.find((u) => this.users.size > 0 && !this.users.has(u));
        if (unknown) return fail('user_not_found');
        return ok({ channel: { id: this.dmChannelOf(users.join(',')) } });
      }

      case 'views.open':
      case 'views.update':
      case 'views.publish': {
        const view = args.view as Record<string, unknown> | undefined;
        if (!view || typeof view !== 'object') return fail('invalid_arguments', ['missing required field: view']);
        if (method === 'views.open' && typeof args.trigger_id !== 'string') return fail('invalid_arguments', ['missing required field: trigger_id']);
        if (method === 'views.publish' && typeof args.user_id !== 'string') return fail('invalid_arguments', ['missing required field: user_id']);
        const problems = checkBlocks(view.blocks, 'view', '/view/blocks');
        if (problems.length > 0) return fail('invalid_arguments', problems);
        let id: string;
        if (method === 'views.update') {
          id = String(args.view_id ?? '');
          if (!this.views.has(id)) return fail('not_found');
        } else {
          id = `V${String(++this.seq).padStart(8, '0')}`;
        }
        this.views.set(id, { id, view, user: args.user_id as string | undefined });
        return ok({ view: { ...view, id } });
      }

      case 'users.info': {
        const user = this.users.get(String(args.user ?? ''));
        if (!user) return fail('user_not_found');
        return ok({
          user: {
            id: user.id,
            name: user.name,
            real_name: user.real_name ?? user.name,
            tz: user.tz ?? 'UTC',
            is_bot: user.is_bot ?? false,
            profile: { real_name: user.real_name ?? user.name, display_name: user.display_name ?? user.name, email: user.email, phone: user.phone ?? '' },
          },
        });
      }

      default:
        return fail('unknown_method');
    }
  }
}
