import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../lib/logger.ts';

/** The ids Helpnet's listeners answer to (see the listeners' index files). */
export interface KnownInteractions {
  actions: readonly string[];
  views: readonly string[];
  commands: readonly string[];
}

/**
 * Acknowledges and ignores, with a log line, an interaction no listener answers (a button
 * of a message posted by a version that had it, a command renamed in the app's settings):
 * left alone, Bolt would let Slack wait three seconds and show the person an error.
 */
export function ignoreUnknownInteractions(known: KnownInteractions, logger: Logger): Middleware<AnyMiddlewareArgs> {
  const actions = new Set(known.actions);
  const views = new Set(known.views);
  const commands = new Set(known.commands);
  return async (args) => {
    const body = args.body as { type?: unknown; actions?: { action_id?: unknown }[]; view?: { callback_id?: unknown }; command?: unknown };
    let unknown: string | undefined;
    if (body.type === 'block_actions') {
      const ids = (body.actions ?? []).map((a) => String(a.action_id));
      if (!ids.some((id) => actions.has(id))) unknown = `action ${ids.join(', ') || '(none)'}`;
    } else if (body.type === 'view_submission' || body.type === 'view_closed') {
      if (!views.has(String(body.view?.callback_id))) unknown = `view ${String(body.view?.callback_id)}`;
    } else if (typeof body.command === 'string') {
      if (!commands.has(body.command)) unknown = `command ${body.command}`;
    } else if (body.type === 'shortcut' || body.type === 'message_action' || body.type === 'block_suggestion' || body.type === 'interactive_message') {
      unknown = `${body.type}`;
    }
    if (unknown === undefined) return args.next();
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
    logger.info({ unknown }, 'Slack interaction no listener answers: acknowledged and ignored');
  };
}
