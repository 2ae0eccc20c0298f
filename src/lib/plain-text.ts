/**
 * Text as Helpnet stores and passes it on: what a person could have meant to write. Line
 * breaks become `\n`; control characters other than tab and line break (NUL among them,
 * which no channel carries and some storage cuts text at) are dropped; a lone UTF-16
 * surrogate (half of an emoji, from a broken client) becomes U+FFFD, as UTF-8 — Slack's,
 * Zendesk's and the database's encoding — would make it anyway. Everything else, right-to-left
 * marks, zero-width joiners and every script included, is kept as written.
 */
export function toPlainText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
