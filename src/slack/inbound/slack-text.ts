/**
 * What someone typed in Slack, as plain text for the other side: Slack's markup for
 * mentions, channel links and special mentions (`<!here>`) is removed — the other side must
 * not learn who or where — links keep their address, and Slack's `&amp;` `&lt;` `&gt;` are
 * turned back into characters (the text is escaped again wherever it is shown in Slack).
 */
export function slackTextToPlain(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_whole, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (/^[@]/.test(target)) return '@someone';
      if (target.startsWith('#')) return '#a-channel';
      if (target.startsWith('!date^')) return label ?? '';
      if (target.startsWith('!')) return '';
      if (/^mailto:/i.test(target)) return label ?? target.slice(7);
      if (label && label !== target) return `${label} (${target})`;
      return target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
