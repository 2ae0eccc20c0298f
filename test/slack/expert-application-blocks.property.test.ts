import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applicationSchema } from '../../src/domain/experts/apply-as-expert.ts';
import { EXPERT_LEVELS } from '../../src/domain/experts/expert-levels.ts';
import { buildApplicationMessage, type ApplicationView } from '../../src/slack/blocks/expert-application.ts';
import { buildExpertSignupModal } from '../../src/slack/blocks/expert-signup-modal.ts';
import { checkBlocks } from '../support/block-kit-limits.ts';

/**
 * Whatever an applicant types, the managers' message built from it (as the use case
 * stores it) has no mention, link or special of theirs, keeps Slack's limits (the fake's
 * checks and the ones it does not make: options, fields), and the modal refilled from it
 * stays valid. Pure functions: no server needed.
 */
const specials = fc.constantFrom('<!channel>', '<!here|here>', '<@U0MGR0001>', '<https://evil.example|click>', '&amp;', 'a\u0000b', '\uD83D', '>>>quote', '*bold* _it_ `code`');
const hostile = (max: number) => fc.oneof(fc.string({ unit: 'binary', maxLength: max }), fc.string({ unit: 'grapheme', maxLength: Math.min(max, 300) }), specials, fc.array(specials, { maxLength: 40 }).map((a) => a.join(' ').slice(0, max)));

/** Every mrkdwn or plain text in the blocks, with where it is. */
function texts(value: unknown, path = ''): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => texts(v, `${path}/${i}`));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const own: [string, string][] = typeof o.text === 'string' ? [[path, o.text]] : [];
    return [...own, ...Object.entries(o).flatMap(([k, v]) => texts(v, `${path}/${k}`))];
  }
  return [];
}

describe("the managers' message and the sign-up modal with hostile text", () => {
  it('escape every special, drop NUL, and keep Slack\'s limits', () => {
    fc.assert(
      fc.property(hostile(200), hostile(320), hostile(2000), hostile(200), hostile(320), fc.integer({ min: 0, max: 70 }), fc.constantFrom<'pending' | 'approved' | 'rejected'>('pending', 'approved', 'rejected'), (name, email, summary, refName, refContact, years, status) => {
        // What the use case would store: its schema's clean-up, or (when it would refuse) the raw text anyway.
        const parsed = applicationSchema.shape.name.safeParse(name);
        const storedName = parsed.success ? parsed.data : name.replaceAll('\u0000', '');
        const cleanSummary = applicationSchema.shape.summary.safeParse(summary);
        if (cleanSummary.success) expect(cleanSummary.data).not.toContain('\u0000');
        const view: ApplicationView = {
          applicationId: 7,
          expertName: storedName,
          slackUserId: 'U0APPL0001',
          email,
          phone: '+41 44 123 45 67',
          yearsExperience: years,
          summary: cleanSummary.success ? cleanSummary.data : summary,
          // Up to five referees and five jobs, as the portal's wizard may send.
          referees: Array.from({ length: 2 + (years % 4) }, (_, i) => (i % 2 === 0 ? { name: refName, contact: refContact } : { name: refContact, contact: refName })),
          employment: Array.from({ length: years % 6 }, (_, i) => ({ employer: refName, role: name, from: '2019-04', to: i === 0 ? null : '2021-01', description: summary.slice(0, 1000) })),
          categories: Array.from({ length: 23 }, (_, i) => ({ key: `category-${i}`, name: `Category ${i} ${'x'.repeat(i * 5)}`, level: EXPERT_LEVELS[i % 3]!, approved: i % 2 === 0 })),
          groups: Array.from({ length: 120 }, (_, i) => ({ key: `group-${i}`, name: `Group ${i}`, preselected: i < 3 })),
          status,
          decidedBy: status === 'pending' ? null : 'U0MGR0001',
          rejectReason: status === 'rejected' ? refName : null,
          memberOf: ['Group 1'],
        };
        const message = buildApplicationMessage(view);
        expect(checkBlocks(message.blocks, 'message', '/blocks')).toEqual([]);
        expect(message.blocks.length).toBeLessThanOrEqual(50);
        for (const [path, text] of texts(message.blocks)) {
          // Helpnet's own markup only: the applicant's and the manager's mentions.
          const withoutOwn = text.replaceAll('<@U0APPL0001>', '').replaceAll('<@U0MGR0001>', '');
          expect(withoutOwn, path).not.toMatch(/[<>]/);
          expect(text.length, path).toBeLessThanOrEqual(path.includes('/fields/') ? 2000 : 3000);
          if (path.includes('/options/')) expect([...text].length, path).toBeLessThanOrEqual(75);
        }
        expect(message.text).not.toMatch(/<!|<@|<http/);
        for (const block of message.blocks) {
          if (block.type !== 'actions') continue;
          expect(block.elements.length).toBeLessThanOrEqual(25);
          for (const el of block.elements) {
            if (el.type === 'checkboxes') expect(el.options.length).toBeLessThanOrEqual(10);
            if (el.type === 'multi_static_select') expect(el.options!.length).toBeLessThanOrEqual(100);
          }
        }
        // The applied categories all have a checkbox while pending.
        if (status === 'pending') expect(JSON.stringify(message.blocks).match(/"value":"category-\d+"/g)).toHaveLength(23);

        // The modal refilled with the same text keeps its limits (plain text: no escaping needed).
        const modal = buildExpertSignupModal(
          Array.from({ length: 120 }, (_, i) => ({ key: `category-${i}`, name: `Category ${i}` })),
          { name: storedName, email, phone: refContact, summary, referees: view.referees, yearsExperience: years },
        );
        expect(checkBlocks(modal.blocks, 'view', '/view/blocks')).toEqual([]);
        for (const block of modal.blocks) {
          if (block.type !== 'input' || !('element' in block) || block.element.type !== 'plain_text_input') continue;
          const el = block.element;
          if (el.initial_value !== undefined) expect([...el.initial_value].length).toBeLessThanOrEqual(el.max_length!);
        }
      }),
      { numRuns: 200 },
    );
  });
});
