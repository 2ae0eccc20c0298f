import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blocksToHtml } from '../../src/sandbox/render/block-kit-html.ts';
import { escapeHtml, mrkdwnToHtml } from '../../src/sandbox/render/mrkdwn-html.ts';

/** The only tags the renderer makes, with the attributes it gives them. */
const ALLOWED_TAGS = new Set(['strong', 'em', 'del', 'code', 'br', 'span', 'a', 'time', 'div', 'p', 'hr', 'button', 'select', 'option', 'label', 'fieldset', 'input', 'textarea']);

/** Problems with `html` as renderer output: any `<` that is not one of its own tags, an event handler, a script URL. */
function markupProblems(html: string): string[] {
  const problems: string[] = [];
  const tag = /<\/?([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/y;
  for (let i = html.indexOf('<'); i >= 0; i = html.indexOf('<', i + 1)) {
    tag.lastIndex = i;
    const m = tag.exec(html);
    if (!m) {
      problems.push(`stray < at ${i}: ${html.slice(i, i + 30)}`);
      continue;
    }
    if (!ALLOWED_TAGS.has(m[1]!)) problems.push(`tag ${m[1]}`);
    for (const a of m[2]!.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
      if (a[1]!.startsWith('on')) problems.push(`handler ${a[1]}`);
      if (a[1] === 'href' && !/^(https?:\/\/|mailto:)/i.test(a[2] ?? '')) problems.push(`href ${a[2]}`);
    }
  }
  if (html.includes('\0')) problems.push('NUL');
  return problems;
}

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.constantFrom('\0', '<', '>', '&', '"', "'", '`', '=', '*', '_', '~', '|', '@', '!', '^', '\n', '<script>', '</div>', 'javascript:alert(1)', '<@U1|x">', '<!date^1^{ago}|"><b>', '<https://a.example/"onmouseover="x|t>', 'onerror=', '&lt;', '&amp;', ':wave:'), { maxLength: 30 }).map((parts) => parts.join('')),
);

describe('the sandbox Block Kit renderer', () => {
  it('renders mrkdwn: bold, italic, code, links, mentions and dates', () => {
    expect(mrkdwnToHtml('*Booked* by _you_ with `code`')).toBe('<strong>Booked</strong> by <em>you</em> with <code>code</code>');
    expect(mrkdwnToHtml('<https://example.com/a?b=1&amp;c=2|the docs>')).toBe('<a href="https://example.com/a?b&#61;1&amp;c&#61;2" rel="noopener noreferrer">the docs</a>');
    expect(mrkdwnToHtml('hi <@U0SBXE001>', (id) => (id === 'U0SBXE001' ? 'Ada <Okafor>' : undefined))).toBe('hi <span class="sbx-mention">@Ada &lt;Okafor&gt;</span>');
    expect(mrkdwnToHtml('<!date^1796300000^{date_short} {time}|fallback>')).toMatch(/^<time datetime="2026-12-03T[0-9:.]+Z">3 Dec 2026 \d\d:\d\d UTC<\/time>$/);
    expect(mrkdwnToHtml('<javascript:alert(1)|click>')).toBe('click');
    expect(mrkdwnToHtml('a &lt;b&gt; &amp; c')).toBe('a &lt;b&gt; &amp; c');
  });

  it('renders sections with fields and a button, context, divider, header, selects and checkboxes', () => {
    const html = blocksToHtml(
      [
        { type: 'header', text: { type: 'plain_text', text: 'Your <Home>' } },
        { type: 'section', block_id: 's1', text: { type: 'mrkdwn', text: '*HN-1*' }, fields: [{ type: 'mrkdwn', text: '_a_' }], accessory: { type: 'button', action_id: 'ticket.book', value: 'HN-1', style: 'primary', text: { type: 'plain_text', text: 'Book' } } },
        { type: 'divider' },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'small' }] },
        { type: 'actions', block_id: 'a1', elements: [{ type: 'static_select', action_id: 'pick', placeholder: { type: 'plain_text', text: 'Pick' }, options: [{ text: { type: 'plain_text', text: 'One' }, value: '1' }] }, { type: 'checkboxes', action_id: 'cb', options: [{ text: { type: 'plain_text', text: 'Yes' }, value: 'y' }] }] },
      ],
      null,
    );
    expect(html).toContain('<p class="sbx-header">Your &lt;Home&gt;</p>');
    expect(html).toContain('<button type="button" class="sbx-button sbx-action sbx-primary" data-action-id="ticket.book" data-block-id="s1" data-value="HN-1">Book</button>');
    expect(html).toContain('<hr class="sbx-divider">');
    expect(html).toContain('<option value="1">One</option>');
    expect(html).toContain('type="checkbox"');
    expect(markupProblems(html)).toEqual([]);
  });

  it('escapes hostile text anywhere in mrkdwn: only its own tags come out, NUL included', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(markupProblems(mrkdwnToHtml(text, () => text))).toEqual([]);
        expect(escapeHtml(text)).not.toMatch(/[<>"'`\0]/);
      }),
      { numRuns: 500 },
    );
  });

  it('escapes hostile text in every block field and element', () => {
    fc.assert(
      fc.property(hostile, hostile, (text, value) => {
        const t = { type: 'plain_text', text };
        const md = { type: 'mrkdwn', text };
        const blocks = [
          { type: 'header', text: t },
          { type: 'section', block_id: value, text: md, fields: [md, t], accessory: { type: 'button', action_id: value, value, text: t, url: value } },
          { type: 'context', elements: [md, { type: 'image', alt_text: text }] },
          { type: 'actions', block_id: value, elements: [{ type: 'static_select', action_id: value, placeholder: t, options: [{ text: t, value }] }, { type: 'overflow', action_id: value, options: [{ text: t, value }] }, { type: 'checkboxes', action_id: value, options: [{ text: md, value }] }] },
          { type: 'input', block_id: value, label: t, hint: t, element: { type: 'plain_text_input', action_id: value, initial_value: text, multiline: true } },
          { type: value, text: md },
        ];
        expect(markupProblems(blocksToHtml(blocks, text))).toEqual([]);
        expect(markupProblems(blocksToHtml([], text))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
