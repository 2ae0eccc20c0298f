/**
 * Slack's text as HTML, for the sandbox page. Everything that is not markup Slack defines is
 * escaped first; the only tags that come out are the ones made here. Slack's own escapes
 * (&amp; &lt; &gt;) are read back to their characters before being escaped for HTML.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;' };

/** Text made safe to put in HTML, in an element or a quoted attribute. NUL becomes U+FFFD, as browsers read it. */
export function escapeHtml(text: string): string {
  return text.replace(/\0/g, '\uFFFD').replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c]!);
}

const unescapeSlack = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Who a mention names: a function so the page can show people's names. */
export type NameOf = (userId: string) => string | undefined;

const DATE_FORMATS: Record<string, Intl.DateTimeFormatOptions> = {
  date_num: { year: 'numeric', month: '2-digit', day: '2-digit' },
  date: { year: 'numeric', month: 'long', day: 'numeric' },
  date_short: { year: 'numeric', month: 'short', day: 'numeric' },
  date_long: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' },
  date_pretty: { year: 'numeric', month: 'long', day: 'numeric' },
  date_short_pretty: { year: 'numeric', month: 'short', day: 'numeric' },
  date_long_pretty: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  time_secs: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
};

function ago(at: Date): string {
  const minutes = Math.round((Date.now() - at.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours ago` : `${Math.round(hours / 24)} days ago`;
}

/** `<!date^seconds^format|fallback>` in UTC (Slack shows each reader their own zone). */
function slackDate(seconds: string, format: string, fallback: string): string {
  const at = new Date(Number(seconds) * 1000);
  if (!/^\d{1,12}$/.test(seconds) || Number.isNaN(at.getTime())) return escapeHtml(fallback);
  const text = format.replace(/\{(\w+)\}/g, (whole, token: string) => {
    if (token === 'ago') return ago(at);
    const options = DATE_FORMATS[token];
    return options ? new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' }).format(at) : whole;
  });
  const zone = format.includes('{ago}') ? '' : ' UTC';
  return `<time datetime="${escapeHtml(at.toISOString())}">${escapeHtml(text)}${zone}</time>`;
}

/** The one `<…>` construct `inner` (without its brackets) as HTML. */
function construct(inner: string, nameOf: NameOf): string {
  const [target = '', label] = splitLabel(inner);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="sbx-mention">@${escapeHtml(label ?? nameOf(id) ?? id)}</span>`;
  }
  if (target.startsWith('#')) return `<span class="sbx-mention">#${escapeHtml(unescapeSlack(label ?? target.slice(1)))}</span>`;
  if (target.startsWith('!date^')) {
    const [, seconds = '', format = ''] = target.split('^');
    return slackDate(seconds, unescapeSlack(format), unescapeSlack(label ?? ''));
  }
  if (target.startsWith('!')) return `<span class="sbx-mention">@${escapeHtml(unescapeSlack(label ?? target.slice(1)))}</span>`;
  const url = unescapeSlack(target);
  // Only links a reader can safely follow become links: no javascript:, data: or the like.
  if (/^(https?:\/\/|mailto:)/i.test(url)) {
    return `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${inline(unescapeSlack(label ?? url))}</a>`;
  }
  return escapeHtml(unescapeSlack(label ?? url));
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** The emoji Helpnet's messages use; others stay as their :name:. */
const EMOJI: Record<string, string> = {
  wave: '👋', lock: '🔒', large_green_circle: '🟢', red_circle: '🔴', white_circle: '⚪', white_check_mark: '✅', rotating_light: '🚨',
  leftwards_arrow_with_hook: '↩️', warning: '⚠️', hourglass_flowing_sand: '⏳', trophy: '🏆', bell: '🔔', no_entry: '⛔', star: '⭐',
  calendar: '📅', moneybag: '💰', bar_chart: '📊', inbox_tray: '📥', speech_balloon: '💬', hourglass: '⌛', x: '❌', information_source: 'ℹ️',
};

/** *bold*, _italic_, ~strike~ and `code` on text that is escaped here first. */
function inline(raw: string): string {
  const parts = raw.split(/(`[^`\n]+`)/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part)
        .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1<strong>$2</strong>')
        .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1<em>$2</em>')
        .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1<del>$2</del>')
        .replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
    })
    .join('');
}

/** Slack mrkdwn as HTML: mentions, links and dates, then inline styles; lines kept. */
export function mrkdwnToHtml(text: string, nameOf: NameOf = () => undefined): string {
  const out: string[] = [];
  const pattern = /<([^<>\n]+)>/g;
  let last = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    out.push(inline(unescapeSlack(text.slice(last, m.index))));
    out.push(construct(m[1]!, nameOf));
    last = m.index + m[0].length;
  }
  out.push(inline(unescapeSlack(text.slice(last))));
  return out.join('').replace(/\n/g, '<br>');
}

/** A text object (`{type:'mrkdwn'|'plain_text', text}`) as HTML. */
export function textObjectToHtml(t: unknown, nameOf: NameOf): string {
  if (!t || typeof t !== 'object') return '';
  const o = t as { type?: unknown; text?: unknown };
  const text = typeof o.text === 'string' ? o.text : '';
  return o.type === 'mrkdwn' ? mrkdwnToHtml(text, nameOf) : escapeHtml(text).replace(/\n/g, '<br>');
}
