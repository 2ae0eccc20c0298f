/**
 * Escapes text for Slack mrkdwn: only `&`, `<` and `>` are special to Slack, and escaping
 * them is what keeps `<!channel>`, `<@U123>` or `<https://evil|click>` typed by a user
 * from becoming a mention or a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes `text` and cuts it so the escaped result, with the marker, is at most `max`
 * characters, never splitting an escape sequence or a surrogate pair.
 */
export function escapeAndTruncate(text: string, max: number, marker = '… (cut)'): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const ch of text) {
    const piece = escapeMrkdwn(ch);
    if (out.length + piece.length + marker.length > max) break;
    out += piece;
  }
  return out + marker;
}

/** Plain text fields (button labels, modal titles) take no mrkdwn; they still have limits. */
export function truncatePlain(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
