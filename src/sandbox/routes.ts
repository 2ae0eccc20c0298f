import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../lib/logger.ts';
import { scriptedPageSecurityHeaders } from '../web/page-security.ts';
import { loadViews, publicFile } from '../web/views.ts';
import type { SandboxMailbox } from './mailbox.ts';
import { pageState } from './page-state.ts';
import type { SlackRequester } from './signed-requests.ts';
import type { SandboxStore } from '../db/repositories/sandbox-store.ts';
import { dmOf, EPHEMERAL_KEY, SANDBOX_TEAM, sandboxWebApi, triggerFor, userOfDm } from './web-api.ts';

/**
 * /sandbox: the page that shows what Slack would (sandbox.hbs, sandbox.js), the JSON it
 * polls, and the endpoints its clicks, messages, commands and modal submissions go to —
 * each turned into the signed request Slack would send to /slack/events. Also the bot's
 * Web API (/sandbox/api/…) and the response URLs the listeners answer clicks at.
 */

export interface SandboxRoutesOptions {
  store: SandboxStore;
  botToken: string;
  slackRequests: SlackRequester;
  /** Where this server answers itself (http://127.0.0.1:port), for response URLs. */
  internalUrl: string;
  /** Helpnet's emails, when the sandbox keeps them (no SMTP_URL). */
  mailbox: SandboxMailbox;
  logger: Logger;
}

const userId = z.string().regex(/^[UW][A-Z0-9]{2,31}$/, 'expected a sandbox user id');
const ts = z.string().regex(/^\d{1,12}\.\d{1,6}$/, 'expected a message ts');
const conversation = z.string().regex(/^[CGD][A-Z0-9]{2,31}$/, 'expected a channel id');
const text = z.string().max(4000, 'is longer than 4000 characters');

const actBody = z.object({
  as: userId,
  actionId: z.string().min(1).max(255),
  blockId: z.string().max(255).default(''),
  type: z.enum(['button', 'static_select', 'overflow', 'checkboxes']).default('button'),
  value: z.string().max(2000).optional(),
  values: z.array(z.string().max(2000)).max(100).optional(),
  conversation: conversation.optional(),
  ts: ts.optional(),
  viewId: z.string().max(64).optional(),
});
const sayBody = z.object({ as: userId, conversation, threadTs: ts.optional(), text: text.trim().min(1, 'is empty') });
const commandBody = z.object({ as: userId, text });
const submitBody = z.object({ as: userId, viewId: z.string().min(1).max(64), values: z.record(z.string().max(600), z.union([z.string().max(3000), z.array(z.string().max(2000)).max(100)])) });
const closeBody = z.object({ as: userId, viewId: z.string().min(1).max(64) });

/** The page's own requests are JSON from its script: a form on another site cannot send that without CORS allowing it. */
const jsonOnly: RequestHandler = (req, res, next) => {
  if (!req.is('application/json')) {
    res.status(415).json({ ok: false, error: 'expected application/json' });
    return;
  }
  next();
};

export function sandboxRoutes(opts: SandboxRoutesOptions): Router {
  const { store, slackRequests, internalUrl, logger } = opts;
  const render = loadViews(['sandbox']);
  const script = publicFile('sandbox.js');
  const style = publicFile('sandbox.css');
  const router = Router();
  router.use(sandboxWebApi(store, opts.botToken));

  const known = async (id: string) => (await store.users()).some((u) => u.slackId === id);
  const responseUrl = (conv: string, user: string, messageTs?: string) => `${internalUrl}/sandbox/respond/${conv}/${user}/${messageTs ?? '0'}`;

  router.get('/', scriptedPageSecurityHeaders, async (req, res, next) => {
    try {
      const users = await store.users();
      const asked = typeof req.query.as === 'string' ? req.query.as : undefined;
      const viewer = users.find((u) => u.slackId === asked) ?? users[0];
      const people = users.map((u) => ({ id: u.slackId, label: `${u.name}${u.isManager ? ' (manager)' : ''}`, selected: u.slackId === viewer?.slackId }));
      res.type('html').send(render('sandbox', { people, viewer: viewer?.slackId ?? '', viewerName: viewer?.name ?? '', dm: viewer ? dmOf(viewer.slackId) : '' }));
    } catch (err) {
      next(err);
    }
  });
  router.get('/sandbox.js', (_req, res) => void res.type('text/javascript').set('cache-control', 'no-cache').send(script));
  router.get('/sandbox.css', (_req, res) => void res.type('text/css').set('cache-control', 'no-cache').send(style));

  router.get('/state', async (req, res, next) => {
    try {
      const parsed = userId.safeParse(req.query.as);
      const users = await store.users();
      if (!parsed.success || !users.some((u) => u.slackId === parsed.data)) return void res.status(404).json({ ok: false, error: 'user_not_found' });
      res.set('cache-control', 'no-store').json(await pageState(store, parsed.data, users, opts.mailbox.list()));
    } catch (err) {
      next(err);
    }
  });

  /** Parses a body with `schema`; answers 400 with each field's problem when it does not fit. */
  const handle = <T extends z.ZodType>(schema: T, work: (body: z.infer<T>) => Promise<Record<string, unknown>>): RequestHandler[] => [
    jsonOnly,
    express.json({ limit: '200kb' }),
    async (req, res, next) => {
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) return void res.status(400).json({ ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`) });
      if (!(await known((parsed.data as { as: string }).as))) return void res.status(404).json({ ok: false, error: 'user_not_found' });
      try {
        res.json({ ok: true, ...(await work(parsed.data)) });
      } catch (err) {
        next(err);
      }
    },
  ];

  // A button, select, overflow or checkbox: block_actions as Slack sends it.
  router.post(
    '/act',
    ...handle(actBody, async (b) => {
      const action: Record<string, unknown> = { type: b.type, action_id: b.actionId, block_id: b.blockId, action_ts: String(Date.now() / 1000) };
      if (b.type === 'button') action.value = b.value;
      else if (b.type === 'checkboxes') action.selected_options = (b.values ?? []).map((v) => ({ value: v, text: { type: 'plain_text', text: v } }));
      else action.selected_option = { value: b.value ?? '', text: { type: 'plain_text', text: b.value ?? '' } };
      const base = { type: 'block_actions', team: { id: SANDBOX_TEAM.id, domain: 'sandbox' }, user: { id: b.as, username: b.as, team_id: SANDBOX_TEAM.id }, api_app_id: 'A0SANDBOX', trigger_id: triggerFor(b.as), actions: [action] };
      let payload: Record<string, unknown>;
      if (b.viewId) {
        const view = await store.view(b.viewId);
        if (!view || view.userId !== b.as) return { error: 'view_not_found' };
        payload = { ...base, container: { type: 'view', view_id: view.viewId }, view: { ...view.view, id: view.viewId, type: view.kind, state: { values: {} } } };
      } else {
        if (!b.conversation || !b.ts) return { error: 'message_not_found' };
        const message = await store.message(b.conversation, b.ts);
        if (!message) return { error: 'message_not_found' };
        payload = {
          ...base,
          container: { type: 'message', channel_id: b.conversation, message_ts: b.ts, is_ephemeral: false },
          channel: { id: b.conversation, name: b.conversation },
          message: { type: 'message', ts: message.ts, text: message.text ?? '', blocks: message.blocks, ...(message.threadTs ? { thread_ts: message.threadTs } : {}), bot_id: SANDBOX_TEAM.botId },
          response_url: responseUrl(b.conversation, b.as, b.ts),
        };
      }
      const answer = await slackRequests.interaction(payload);
      return { status: answer.status };
    }),
  );

  // The message box of a DM thread: the message is the person's (stored as Slack would), then the event.
  router.post(
    '/say',
    ...handle(sayBody, async (b) => {
      if (userOfDm(b.conversation) !== b.as) return { error: 'not_your_conversation' };
      const sentTs = await store.post({ conversation: b.conversation, threadTs: b.threadTs, userId: b.as, text: b.text });
      const event = { type: 'message', channel: b.conversation, channel_type: 'im', user: b.as, text: b.text, ts: sentTs, event_ts: sentTs, ...(b.threadTs ? { thread_ts: b.threadTs } : {}) };
      const answer = await slackRequests.event(eventEnvelope(event));
      return { status: answer.status, ts: sentTs };
    }),
  );

  // "Open the App Home": the event Slack sends when someone opens the app's Home tab.
  router.post(
    '/home-opened',
    ...handle(closeBody.pick({ as: true }), async (b) => {
      const answer = await slackRequests.event(eventEnvelope({ type: 'app_home_opened', user: b.as, channel: dmOf(b.as), tab: 'home', event_ts: String(Date.now() / 1000) }));
      return { status: answer.status };
    }),
  );

  // The slash command box: `/helpnet …` from the viewer's DM.
  router.post(
    '/command',
    ...handle(commandBody, async (b) => {
      const dm = dmOf(b.as);
      const answer = await slackRequests.command({
        token: 'sandbox', team_id: SANDBOX_TEAM.id, team_domain: 'sandbox', channel_id: dm, channel_name: 'directmessage', user_id: b.as, user_name: b.as,
        command: '/helpnet', text: b.text, api_app_id: 'A0SANDBOX', is_enterprise_install: 'false', response_url: responseUrl(dm, b.as), trigger_id: triggerFor(b.as),
      });
      // A command answered in its acknowledgement shows to its sender only, as Slack shows it.
      const ack = answer.body as { text?: unknown; blocks?: unknown } | undefined;
      if (ack && typeof ack === 'object' && (typeof ack.text === 'string' || Array.isArray(ack.blocks))) {
        await store.post({ conversation: dm, text: typeof ack.text === 'string' ? ack.text : null, blocks: ack.blocks, metadata: { [EPHEMERAL_KEY]: b.as } });
      }
      return { status: answer.status };
    }),
  );

  // A modal's submit: view_submission with the form's values in Slack's state shape.
  router.post(
    '/submit',
    ...handle(submitBody, async (b) => {
      const view = await store.view(b.viewId);
      if (!view || view.userId !== b.as || view.kind !== 'modal' || view.closed) return { error: 'view_not_found' };
      const values = stateValues(view.view, b.values);
      const payload = {
        type: 'view_submission', team: { id: SANDBOX_TEAM.id, domain: 'sandbox' }, user: { id: b.as, username: b.as, team_id: SANDBOX_TEAM.id }, api_app_id: 'A0SANDBOX', trigger_id: triggerFor(b.as),
        view: { ...view.view, id: view.viewId, type: 'modal', state: { values } },
      };
      const answer = await slackRequests.interaction(payload);
      const reply = (answer.body && typeof answer.body === 'object' ? answer.body : {}) as { response_action?: string; errors?: Record<string, string>; view?: unknown };
      if (reply.response_action === 'errors') return { errors: reply.errors ?? {} };
      if (reply.response_action === 'update' && reply.view) await store.saveView({ viewId: view.viewId, userId: b.as, kind: 'modal', view: reply.view });
      else if (answer.status < 400) await store.closeView(view.viewId);
      return { status: answer.status };
    }),
  );

  router.post(
    '/close',
    ...handle(closeBody, async (b) => {
      const view = await store.view(b.viewId);
      if (view && view.userId === b.as) await store.closeView(view.viewId);
      return {};
    }),
  );

  // Where the listeners answer clicks and commands (Bolt's respond()): a replacement of the
  // clicked message, or a message only the clicker sees.
  router.post('/respond/:conversation/:user/:ts', express.json({ limit: '1mb' }), async (req, res, next) => {
    try {
      const conv = conversation.safeParse(req.params.conversation);
      const user = userId.safeParse(req.params.user);
      if (!conv.success || !user.success) return void res.status(404).json({ ok: false, error: 'not_found' });
      const body = (req.body ?? {}) as { text?: unknown; blocks?: unknown; replace_original?: unknown; delete_original?: unknown };
      const content = { text: typeof body.text === 'string' ? body.text : null, blocks: Array.isArray(body.blocks) ? body.blocks : undefined };
      if ((body.replace_original === true || body.replace_original === 'true') && req.params.ts !== '0') await store.update(conv.data, String(req.params.ts), content);
      else if (body.delete_original === true || body.delete_original === 'true') await store.update(conv.data, String(req.params.ts), { text: '(deleted)' });
      else await store.post({ conversation: conv.data, ...content, metadata: { [EPHEMERAL_KEY]: user.data } });
      res.json({ ok: true });
    } catch (err) {
      logger.warn({ err }, 'sandbox: could not take a response_url answer');
      next(err);
    }
  });
  return router;
}

let events = 0;
/** An Events API envelope around `event`, with an id of its own (Helpnet drops repeated ids as Slack's retries). */
function eventEnvelope(event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'sandbox', team_id: SANDBOX_TEAM.id, api_app_id: 'A0SANDBOX', event, type: 'event_callback',
    event_id: `Ev0SBX${Date.now()}${++events}`, event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: SANDBOX_TEAM.id, user_id: SANDBOX_TEAM.botUserId, is_bot: true }],
  };
}

/** A modal's fields, as the page sent them (`block/action` → value), in Slack's `state.values` shape. */
export function stateValues(view: Record<string, unknown>, given: Record<string, string | string[]>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const blocks = Array.isArray(view.blocks) ? (view.blocks as Record<string, unknown>[]) : [];
  for (const block of blocks) {
    if (!block || block.type !== 'input' || typeof block.block_id !== 'string') continue;
    const element = (block.element ?? {}) as Record<string, unknown>;
    const actionId = typeof element.action_id === 'string' ? element.action_id : '';
    const raw = given[`${block.block_id}/${actionId}`];
    const one = Array.isArray(raw) ? raw[0] : raw;
    const many = Array.isArray(raw) ? raw : raw ? [raw] : [];
    const optionOf = (value: string | undefined) => {
      const options = Array.isArray(element.options) ? (element.options as { value?: unknown; text?: unknown }[]) : [];
      const found = options.find((o) => o.value === value);
      return found ? { value: found.value, text: found.text } : null;
    };
    let state: Record<string, unknown>;
    switch (element.type) {
      case 'static_select':
      case 'radio_buttons':
        state = { type: element.type, selected_option: one ? optionOf(one) : null };
        break;
      case 'checkboxes':
        state = { type: element.type, selected_options: many.map(optionOf).filter(Boolean) };
        break;
      default:
        state = { type: element.type, value: one === undefined || one === '' ? null : one };
    }
    out[block.block_id] = { [actionId]: state };
  }
  return out;
}
