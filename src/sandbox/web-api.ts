import express, { Router } from 'express';
import type { SandboxMessage, SandboxStore } from '../db/repositories/sandbox-store.ts';

/**
 * The sandbox's Slack Web API: the methods Helpnet calls (src/slack/**), answered as Slack
 * answers them (`{ok:false,error}` for a mistake, the same fields on success), from the
 * sandbox tables. Served at /sandbox/api/<method>; the bot's WebClient points there.
 */

export const SANDBOX_TEAM = { id: 'T0SANDBOX', name: 'Helpnet Sandbox', botUserId: 'U0SBXBOT1', botId: 'B0SBXBOT1' };

/** Fields Slack's clients send JSON-encoded inside a form. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'];

/** The id of the bot's DM with a person: a D followed by their id, so each is found from the other. */
export const dmOf = (userId: string) => `D${userId}`;
export const userOfDm = (channel: string) => (/^D[UW][A-Z0-9]{2,}$/.test(channel) ? channel.slice(1) : undefined);

/** A trigger id names who pressed (views.open needs to know whose screen the modal opens on). */
export const triggerFor = (userId: string) => `sandbox.${userId}.${Date.now()}${Math.floor(Math.random() * 1000)}`;
const userOfTrigger = (trigger: string) => /^sandbox\.([UW][A-Z0-9]{2,})\./.exec(trigger)?.[1];

export type SlackAnswer = { ok: true } & Record<string, unknown> | { ok: false; error: string; errors?: string[] };

function decode(body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = body && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {};
  for (const k of JSON_FIELDS) {
    const v = out[k];
    if (typeof v === 'string') {
      try {
        out[k] = JSON.parse(v);
      } catch {
        out[k] = undefined;
      }
    }
  }
  return out;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Slack lists a message with its metadata only when asked (include_all_metadata). */
function listed(m: SandboxMessage, withMetadata: boolean) {
  return {
    type: 'message',
    ts: m.ts,
    text: m.text ?? '',
    ...(m.userId ? { user: m.userId } : { bot_id: SANDBOX_TEAM.botId }),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(withMetadata && m.metadata && !isEphemeral(m) ? { metadata: m.metadata } : {}),
  };
}

/** Ephemeral messages are kept with a marker in place of metadata: only their person sees them. */
export const EPHEMERAL_KEY = 'sandbox_ephemeral_to';
export const isEphemeral = (m: SandboxMessage) => !!m.metadata && typeof m.metadata === 'object' && EPHEMERAL_KEY in (m.metadata as object);

/** Answers one Web API call with the bot's token checked. */
export async function answerSlackCall(store: SandboxStore, botToken: string, method: string, token: string | undefined, args: Record<string, unknown>): Promise<SlackAnswer> {
  const fail = (error: string, errors?: string[]): SlackAnswer => ({ ok: false, error, ...(errors ? { errors } : {}) });
  if (!token) return fail('not_authed');
  if (token !== botToken) return fail('invalid_auth');
  const channels = new Set((await store.channels()).map((c) => c.id));
  const users = new Map((await store.users()).map((u) => [u.slackId, u]));
  /** A channel id, a DM id, or a person's id (a post to a person goes to the DM with them). */
  const conversationOf = (channel: string | undefined): string | undefined => {
    if (!channel) return undefined;
    if (channels.has(channel)) return channel;
    const dmUser = userOfDm(channel);
    if (dmUser && users.has(dmUser)) return channel;
    if (users.has(channel)) return dmOf(channel);
    return undefined;
  };

  switch (method) {
    case 'auth.test':
      return { ok: true, url: 'http://localhost/sandbox', team: SANDBOX_TEAM.name, user: 'helpnet', team_id: SANDBOX_TEAM.id, user_id: SANDBOX_TEAM.botUserId, bot_id: SANDBOX_TEAM.botId };

    case 'chat.postMessage':
    case 'chat.postEphemeral':
    case 'chat.update': {
      const conversation = conversationOf(str(args.channel));
      if (!conversation) return fail('channel_not_found');
      if (args.text === undefined && args.blocks === undefined) return fail('no_text');
      if (args.blocks !== undefined && !Array.isArray(args.blocks)) return fail('invalid_blocks', ['blocks must be a list']);
      const text = str(args.text) ?? null;
      if (method === 'chat.update') {
        const ts = str(args.ts);
        if (!ts || !(await store.update(conversation, ts, { text, blocks: args.blocks }))) return fail('message_not_found');
        return { ok: true, channel: conversation, ts, text };
      }
      if (method === 'chat.postEphemeral') {
        const user = str(args.user);
        if (!user || !users.has(user)) return fail('user_not_found');
        const ts = await store.post({ conversation, threadTs: str(args.thread_ts), text, blocks: args.blocks, metadata: { [EPHEMERAL_KEY]: user } });
        return { ok: true, message_ts: ts };
      }
      const ts = await store.post({ conversation, threadTs: str(args.thread_ts), text, blocks: args.blocks, metadata: args.metadata });
      return { ok: true, channel: conversation, ts, message: { type: 'message', text, ts, bot_id: SANDBOX_TEAM.botId } };
    }

    case 'conversations.history':
    case 'conversations.replies': {
      const channel = str(args.channel);
      if (!channel || conversationOf(channel) !== channel) return fail('channel_not_found');
      const withMetadata = String(args.include_all_metadata) === 'true';
      const all = (await store.messages(channel, str(args.oldest) ?? '0')).filter((m) => !isEphemeral(m));
      if (method === 'conversations.replies') {
        const ts = str(args.ts);
        const thread = all.filter((m) => m.ts === ts || m.threadTs === ts);
        if (!thread.some((m) => m.ts === ts)) return fail('thread_not_found');
        return { ok: true, messages: thread.map((m) => listed(m, withMetadata)), has_more: false };
      }
      // Newest first, without thread replies, as Slack lists a conversation.
      const top = all.filter((m) => !m.threadTs).reverse();
      const limit = Number(args.limit ?? 100) || 100;
      return { ok: true, messages: top.slice(0, limit).map((m) => listed(m, withMetadata)), has_more: top.length > limit };
    }

    case 'conversations.open': {
      const list = (str(args.users) ?? '').split(',').filter(Boolean);
      if (list.length !== 1) return fail(list.length === 0 ? 'users_list_not_supplied' : 'not_allowed_token_type');
      if (!users.has(list[0]!)) return fail('user_not_found');
      return { ok: true, channel: { id: dmOf(list[0]!) } };
    }

    case 'views.open':
    case 'views.update':
    case 'views.publish': {
      const view = args.view;
      if (!view || typeof view !== 'object' || !Array.isArray((view as { blocks?: unknown }).blocks)) return fail('invalid_arguments', ['missing required field: view']);
      if (method === 'views.publish') {
        const user = str(args.user_id);
        if (!user || !users.has(user)) return fail('user_not_found');
        const id = await store.saveView({ userId: user, kind: 'home', view });
        return { ok: true, view: { ...view, id } };
      }
      if (method === 'views.update') {
        const existing = await store.view(str(args.view_id) ?? '');
        if (!existing) return fail('not_found');
        await store.saveView({ viewId: existing.viewId, userId: existing.userId, kind: existing.kind, view });
        return { ok: true, view: { ...view, id: existing.viewId } };
      }
      const user = userOfTrigger(str(args.trigger_id) ?? '');
      if (!user) return fail('invalid_trigger_id');
      const id = await store.saveView({ userId: user, kind: 'modal', view });
      return { ok: true, view: { ...view, id } };
    }

    case 'users.info': {
      const user = users.get(str(args.user) ?? '');
      if (!user) return fail('user_not_found');
      return {
        ok: true,
        user: { id: user.slackId, name: user.name, real_name: user.name, tz: user.tz, is_bot: false, profile: { real_name: user.name, display_name: user.name, phone: '' } },
      };
    }

    default:
      return fail('unknown_method');
  }
}

/** POST /sandbox/api/<method>, form- or JSON-encoded, with the bot token as Bearer (or `token`). */
export function sandboxWebApi(store: SandboxStore, botToken: string): Router {
  const router = Router();
  router.post('/api/:method', express.urlencoded({ extended: false, limit: '2mb' }), express.json({ limit: '2mb' }), async (req, res, next) => {
    try {
      const args = decode(req.body);
      const token = req.get('authorization')?.replace(/^Bearer\s+/i, '') ?? str(args.token);
      res.json(await answerSlackCall(store, botToken, String(req.params.method), token, args));
    } catch (err) {
      next(err);
    }
  });
  return router;
}
