import { blocksToHtml } from './render/block-kit-html.ts';
import { escapeHtml, type NameOf } from './render/mrkdwn-html.ts';
import type { SandboxMail } from './mailbox.ts';
import type { SandboxMessage, SandboxStore, SandboxUser } from '../db/repositories/sandbox-store.ts';
import { dmOf, EPHEMERAL_KEY, isEphemeral } from './web-api.ts';

/**
 * What the sandbox page shows one viewer, as HTML fragments built here (every text escaped
 * by the Block Kit renderer): the channels with their messages, the viewer's DM with the bot
 * and its threads (each with a reply box), their App Home, and an open modal as a form.
 * The page's script swaps these fragments in when they change.
 */

export interface PageState {
  viewer: string;
  channels: { id: string; name: string; html: string }[];
  dm: string;
  home: string;
  modal: { viewId: string; html: string } | null;
  /** The emails Helpnet sent, when the sandbox keeps them. */
  mail: string;
}

const timeOf = (ts: string) => new Date(Number(ts) * 1000).toISOString().slice(11, 16);

function messageHtml(m: SandboxMessage, nameOf: NameOf, extra = ''): string {
  const who = m.userId ? (nameOf(m.userId) ?? m.userId) : 'Helpnet';
  const only = isEphemeral(m) ? ' <span class="sbx-ephemeral">Only visible to you</span>' : '';
  return `<article class="sbx-message${m.userId ? ' sbx-from-person' : ''}" data-conversation="${escapeHtml(m.conversation)}" data-ts="${escapeHtml(m.ts)}"><p class="sbx-meta"><span class="sbx-author">${escapeHtml(who)}</span> <span class="sbx-time">${timeOf(m.ts)} UTC</span>${only}</p><div class="sbx-body">${blocksToHtml(m.blocks, m.text, nameOf)}</div>${extra}</article>`;
}

/** Messages the viewer may see: everything but other people's ephemeral ones. */
const visibleTo = (viewer: string) => (m: SandboxMessage) => !isEphemeral(m) || (m.metadata as Record<string, unknown>)[EPHEMERAL_KEY] === viewer;

function conversationHtml(messages: SandboxMessage[], viewer: string, nameOf: NameOf, opts: { replyBoxes: boolean }): string {
  const visible = messages.filter(visibleTo(viewer));
  const top = visible.filter((m) => !m.threadTs || m.threadTs === m.ts);
  if (top.length === 0) return '<p class="sbx-empty">No messages yet.</p>';
  return top
    .map((m) => {
      const replies = visible.filter((r) => r.threadTs === m.ts && r.ts !== m.ts);
      const thread = replies.length > 0 ? `<div class="sbx-thread" aria-label="Thread">${replies.map((r) => messageHtml(r, nameOf)).join('')}</div>` : '';
      const box = opts.replyBoxes
        ? `<form class="sbx-say" data-conversation="${escapeHtml(m.conversation)}" data-thread-ts="${escapeHtml(m.ts)}"><label for="say-${escapeHtml(m.ts)}">Reply in thread</label><textarea id="say-${escapeHtml(m.ts)}" class="sbx-say-text" rows="2" required></textarea><button type="submit" class="sbx-button">Send</button></form>`
        : '';
      return messageHtml(m, nameOf, thread + box);
    })
    .join('');
}

/** An email's text, escaped, with its web links made links (confirmation and survey links are the point). */
function mailText(text: string): string {
  return text
    .split(/(https?:\/\/[^\s<>"']+)/)
    .map((part, i) => (i % 2 === 1 ? `<a href="${escapeHtml(part)}">${escapeHtml(part)}</a>` : escapeHtml(part)))
    .join('')
    .replace(/\n/g, '<br>');
}

function mailHtml(mails: readonly SandboxMail[]): string {
  if (mails.length === 0) return '<p class="sbx-empty">No emails yet. Without SMTP_URL, the emails Helpnet sends (portal confirmations, survey links) show here.</p>';
  return mails
    .map((m) => `<article class="sbx-mail"><p class="sbx-meta"><span class="sbx-author">To ${escapeHtml(m.to)}</span> <span class="sbx-time">${m.at.toISOString().slice(11, 16)} UTC</span></p><p class="sbx-mail-subject">${escapeHtml(m.subject)}</p><p class="sbx-mail-text">${mailText(m.text)}</p></article>`)
    .join('');
}

export async function pageState(store: SandboxStore, viewer: string, users: SandboxUser[], mails: readonly SandboxMail[] = []): Promise<PageState> {
  const names = new Map(users.map((u) => [u.slackId, u.name]));
  const nameOf: NameOf = (id) => names.get(id);
  const channels = await Promise.all(
    (await store.channels()).map(async (c) => ({
      id: c.id,
      name: c.name,
      html: `<section class="sbx-channel" aria-labelledby="ch-${escapeHtml(c.id)}"><h3 id="ch-${escapeHtml(c.id)}">#${escapeHtml(c.name)}</h3>${conversationHtml(await store.messages(c.id), viewer, nameOf, { replyBoxes: false })}</section>`,
    })),
  );
  const dm = conversationHtml(await store.messages(dmOf(viewer)), viewer, nameOf, { replyBoxes: true });
  const home = await store.home(viewer);
  const modals = await store.openModals(viewer);
  const open = modals.at(-1);
  return {
    viewer,
    channels,
    dm,
    home: home ? `<div class="sbx-view" data-view-id="${escapeHtml(home.viewId)}">${blocksToHtml(home.view.blocks, null, nameOf)}</div>` : '<p class="sbx-empty">No App Home published for this person yet: open it to ask Helpnet for one.</p>',
    modal: open ? { viewId: open.viewId, html: modalHtml(open.viewId, open.view, nameOf) } : null,
    mail: mailHtml(mails),
  };
}

function modalHtml(viewId: string, view: Record<string, unknown>, nameOf: NameOf): string {
  const title = typeof view.title === 'object' && view.title ? String((view.title as { text?: unknown }).text ?? '') : '';
  const submit = typeof view.submit === 'object' && view.submit ? String((view.submit as { text?: unknown }).text ?? 'Submit') : '';
  const close = typeof view.close === 'object' && view.close ? String((view.close as { text?: unknown }).text ?? 'Cancel') : 'Cancel';
  return `<form class="sbx-modal-form sbx-view" data-view-id="${escapeHtml(viewId)}" aria-labelledby="sbx-modal-title"><h2 id="sbx-modal-title">${escapeHtml(title)}</h2><div class="sbx-errors" role="alert"></div>${blocksToHtml(view.blocks, null, nameOf)}<div class="sbx-modal-buttons"><button type="button" class="sbx-button sbx-modal-close">${escapeHtml(close)}</button>${submit ? `<button type="submit" class="sbx-button sbx-primary">${escapeHtml(submit)}</button>` : ''}</div></form>`;
}
