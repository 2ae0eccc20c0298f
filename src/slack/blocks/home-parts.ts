import type { ActionsBlock, Button, HeaderBlock, KnownBlock } from '@slack/types';
import type { HomeList, Paged } from '../../domain/home/home-data.ts';
import { truncatePlain } from '../../lib/mrkdwn.ts';

/** The paging buttons of the App Home's lists (value: `<list>:<page>`, 0-based). */
export const HOME_PAGE_PREVIOUS_ACTION_ID = 'home.page.previous';
export const HOME_PAGE_NEXT_ACTION_ID = 'home.page.next';
export const HOME_PAGE_ACTION_IDS = [HOME_PAGE_PREVIOUS_ACTION_ID, HOME_PAGE_NEXT_ACTION_ID] as const;

/** Slack's limit on one section's text; each list keeps within it by construction, this is the guard. */
const SECTION_MAX = 3000;

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncatePlain(text, 150), emoji: true } };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text: truncatePlain(text, 75), emoji: true }, value, ...(style ? { style } : {}) };
}

/** Lines of mrkdwn (each already escaped) joined for one section, cut at a line to fit Slack's limit. */
export function joinLines(lines: readonly string[], max = SECTION_MAX): string {
  let out = '';
  for (const line of lines) {
    const next = out === '' ? line : `${out}\n${line}`;
    if (next.length > max - 2) return `${out}\n…`;
    out = next;
  }
  return out;
}

/** "12–21 of 340" under a list, and Previous / Next when there is more. Nothing for a list that fits one page. */
export function pager(list: HomeList, p: Paged<unknown>): KnownBlock[] {
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  if (pages <= 1) return [];
  const first = p.page * p.pageSize + 1;
  const last = p.page * p.pageSize + p.items.length;
  const elements: Button[] = [];
  if (p.page > 0) elements.push(button('◀ Previous', HOME_PAGE_PREVIOUS_ACTION_ID, `${list}:${p.page - 1}`));
  if (p.page + 1 < pages) elements.push(button('Next ▶', HOME_PAGE_NEXT_ACTION_ID, `${list}:${p.page + 1}`));
  const blocks: KnownBlock[] = [{ type: 'context', elements: [{ type: 'mrkdwn', text: `${first}–${last} of ${p.total} · page ${p.page + 1} of ${pages}` }] }];
  if (elements.length > 0) blocks.push({ type: 'actions', block_id: `home.page.${list}`, elements } satisfies ActionsBlock);
  return blocks;
}

/** A duration for people: "45 s", "12 min", "3 h 5 min", "2 d 4 h"; "—" when there is none. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export const formatScore = (score: number): string => score.toFixed(2);
