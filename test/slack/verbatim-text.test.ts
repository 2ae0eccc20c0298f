import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Category, TicketAlias } from '../../src/db/models/index.ts';
import { createTicket } from '../../src/domain/tickets/create-ticket.ts';
import { buildDeliveryAlert, buildEscalationAlert, buildRequesterConfirmation, buildUnroutableAlert } from '../../src/slack/blocks/alert-messages.ts';
import { buildExpertThread } from '../../src/slack/blocks/expert-thread.ts';
import { buildRelayMessage, splitForSections } from '../../src/slack/blocks/relay-message.ts';
import { buildStatusMessage } from '../../src/slack/blocks/status-message.ts';
import { buildTicketCard } from '../../src/slack/blocks/ticket-card.ts';
import { buildTicketCreateModal } from '../../src/slack/blocks/ticket-create-modal.ts';
import { buildUsageMessage } from '../../src/slack/blocks/usage-message.ts';
import { slackPeople } from '../relay/support.ts';
import { checkBlocks } from '../support/block-kit-limits.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';
import { waitFor } from '../support/wait-for.ts';

/** Every mrkdwn text object in a message's or view's JSON. */
function mrkdwnTexts(tree: unknown): { type: string; text: string; verbatim?: boolean }[] {
  const out: { type: string; text: string; verbatim?: boolean }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o as { type: string; text: string; verbatim?: boolean });
      Object.values(o).forEach(walk);
    }
  };
  walk(tree);
  return out;
}

// What people type that Slack would otherwise turn into something: a bare link, a channel
// name, a mention by name, and Slack's own markup for a mention and a disguised link.
const HOSTILE = 'See https://evil.example/login and #general, ask @channel-admins, <!channel> <@U0SOMEONE> <https://evil.example|your bank> & more';
const RAW = ['<!channel>', '<@U0SOMEONE>', '<https://evil.example|your bank>'];

function expectShownAsWritten(tree: unknown, mustShow: string) {
  const texts = mrkdwnTexts(tree);
  expect(texts.length).toBeGreaterThan(0);
  for (const t of texts) expect(t.verbatim, `verbatim on: ${t.text.slice(0, 80)}`).toBe(true);
  const all = JSON.stringify(tree);
  for (const raw of RAW) expect(all).not.toContain(raw);
  expect(all).toContain(mustShow);
}

describe('Block Kit builders show user text verbatim', () => {
  const card = {
    publicId: 'HN-7',
    categoryName: 'MS Exchange',
    customerAlias: 'Amber Falcon',
    urgency: 'normal' as const,
    filedAt: new Date(),
    status: 'dispatched' as const,
    tier: 1,
    tierCount: 2,
    tierGroupName: 'Exchange first line',
    postedTier: 1,
    escalationExhausted: false,
    subject: HOSTILE,
    description: HOSTILE,
  };

  it('ticket card and page, expert thread parent', () => {
    expectShownAsWritten(buildTicketCard(card).blocks, 'https://evil.example/login and #general');
    expectShownAsWritten(buildTicketCard(card, ':wave: You are one of the best-placed experts.').blocks, '&lt;!channel&gt;');
    const thread = buildExpertThread({ ...card, expertAlias: 'Swift Otter', contact: { email: 'a@b.example', phone: '+1 555 0100' }, state: 'active' });
    expectShownAsWritten(thread.blocks, '&lt;https://evil.example|your bank&gt;');
  });

  it('relayed messages, cut into sections within Slack’s limits; too long for blocks: text only', () => {
    const short = buildRelayMessage('Customer Amber Falcon', HOSTILE);
    expectShownAsWritten(short.blocks, '*Customer Amber Falcon:* See https://evil.example/login');
    expect(short.text).toBe(`*Customer Amber Falcon:* ${HOSTILE.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);

    const medium = buildRelayMessage('Expert Swift Otter', `${'a'.repeat(2995)}&&& ${'😀'.repeat(1500)} <!here>`);
    expect(medium.blocks!.length).toBeGreaterThan(1);
    expect(checkBlocks(medium.blocks, 'message', '/blocks')).toEqual([]);
    expect(mrkdwnTexts(medium.blocks).map((t) => t.text).join('')).toBe(medium.text);
    for (const t of mrkdwnTexts(medium.blocks)) {
      expect(t.verbatim).toBe(true);
      expect(t.text).not.toMatch(/&[a-z]{0,3}$/); // no escape cut in two
      expect(t.text).not.toMatch(/[\uD800-\uDBFF]$/); // no emoji cut in two
    }

    const long = buildRelayMessage('Expert Swift Otter', 'x'.repeat(20_000));
    expect(long.blocks).toBeUndefined();
    expect(long.text.length).toBeGreaterThan(20_000);
  });

  it('splits escaped text at spaces, never inside an escape or a surrogate pair', () => {
    expect(splitForSections('abc def', 5)).toEqual(['abc ', 'def']);
    expect(splitForSections('abcd&amp;x', 6)).toEqual(['abcd', '&amp;x']);
    expect(splitForSections('abcd😀', 5)).toEqual(['abcd', '😀']);
  });

  it('status list, usage, alerts, modal', () => {
    expectShownAsWritten(buildStatusMessage([{ publicId: 'HN-7', categoryName: 'Mail & #calendar', status: 'booked', filedAt: new Date() }]).blocks, 'Mail &amp; #calendar');
    expectShownAsWritten(buildUsageMessage().blocks, '/helpnet status');
    expectShownAsWritten(buildUnroutableAlert({ source: 'zendesk', reference: HOSTILE, reason: HOSTILE }).blocks, '#general');
    expectShownAsWritten(buildDeliveryAlert({ channel: 'C0EXCH001', what: 'a page', error: HOSTILE }).blocks, '<#C0EXCH001>');
    expectShownAsWritten(buildEscalationAlert({ publicId: 'HN-7', categoryName: 'MS Exchange', tierCount: 2, channels: ['C0EXCH001'] }).blocks, '<#C0EXCH001>');
    expectShownAsWritten(buildRequesterConfirmation({ publicId: 'HN-7', categoryName: 'MS Exchange' }).blocks, 'HN-7');
    expectShownAsWritten(buildTicketCreateModal([{ key: 'ms-exchange', name: 'MS Exchange' }]).blocks, '/helpnet status');
  });
});

describe(`posted messages show user text verbatim on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('the channel post, a page, the expert’s thread and relayed replies carry verbatim text, with hostile text escaped', async () => {
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const requester = 'U0VERBATIM';
    const category = await Category.findOne({ where: { key: 'ms-exchange' }, rejectOnEmpty: true });
    const { ticket } = await createTicket(app.server.services, {
      source: 'slack',
      externalId: `V-verbatim-${Date.now()}`,
      categoryId: category.id,
      subject: 'Phishing? #security',
      description: HOSTILE,
      customer: { slackUserId: requester, name: 'Vera Verbatim' },
    });
    const posted = (channel: string) => app.slack.messages.find((m) => m.channel === channel && !m.thread_ts && JSON.stringify(m.blocks ?? '').includes(`*HN-${ticket.id}*`));
    const channelPost = await waitFor(() => posted('C0EXCH001'), 'the channel post');
    const page = await waitFor(() => posted(expert.slackUserId!), 'the page');
    for (const message of [channelPost, page]) {
      expectShownAsWritten(message.blocks, 'See https://evil.example/login and #general');
      const description = mrkdwnTexts(message.blocks).find((t) => t.text.includes('evil.example'))!;
      expect(description).toMatchObject({ verbatim: true });
      expect(description.text).toContain('&lt;!channel&gt; &lt;@U0SOMEONE&gt; &lt;https://evil.example|your bank&gt; &amp; more');
    }

    const people = slackPeople(app);
    await people.book(expert, ticket.id);
    const thread = await people.expertThread(expert, ticket.id);
    expectShownAsWritten(thread.blocks, '#security');

    const mine = await people.requesterThread(requester, ticket.id);
    // Slack sends a typed link as <https://…>: it reaches the expert as its bare address, shown as written.
    await people.dm(requester, 'Now it says <https://evil.example/reset> in #general <!here>', { threadTs: mine.ts });
    const alias = (await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'customer' }, rejectOnEmpty: true })).name;
    const relayed = await waitFor(() => people.replies(thread).find((m) => m.text?.startsWith(`*Customer ${alias}:*`)), 'the relayed reply');
    expectShownAsWritten(relayed.blocks, `*Customer ${alias}:* Now it says https://evil.example/reset in #general`);
    expect(JSON.stringify(relayed.blocks)).not.toContain('<!here>');

    await people.dm(expert.slackUserId!, 'Do not open https://evil.example/reset, and see #it-help', { threadTs: thread.ts });
    const back = await waitFor(() => people.replies(mine).find((m) => m.text?.includes('Do not open')), 'the expert’s reply');
    expectShownAsWritten(back.blocks, 'Do not open https://evil.example/reset, and see #it-help');

    // The status list answers the command itself.
    const status = await app.slackRequests.command({ user_id: requester, text: 'status' });
    expectShownAsWritten((status.json as { blocks: unknown }).blocks, `HN-${ticket.id}`);
  });
});

describe(`a page escapes & < > rather than dropping them, on ${TEST_ENGINE}`, () => {
  const WRITTEN = 'a < b & c > d';
  const ESCAPED = 'a &lt; b &amp; c &gt; d';
  let app: TestApp;
  beforeAll(async () => {
    const routing = testRouting();
    routing.categories = routing.categories.map((c) => (c.key === 'ms-exchange' ? { ...c, name: WRITTEN } : c));
    app = await startTestApp({ routing });
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows `a < b & c > d`, in the category name and as the customer typed it, escaped', async () => {
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const category = await Category.findOne({ where: { key: 'ms-exchange' }, rejectOnEmpty: true });
    const { ticket } = await createTicket(app.server.services, { source: 'widget', externalId: `escape-${Date.now()}`, categoryId: category.id, description: WRITTEN, customer: { name: 'Esme Escape', email: 'esme@customer.example' } });
    const page = await waitFor(() => app.slack.messages.find((m) => m.channel === expert.slackUserId && JSON.stringify(m.blocks ?? '').includes(`*HN-${ticket.id}*`)), 'the page');
    const texts = mrkdwnTexts(page.blocks).map((t) => t.text);
    expect(texts.find((t) => t.includes('best-placed'))).toContain(`*${ESCAPED}* ticket`);
    expect(texts).toContain(ESCAPED);
    expect(JSON.stringify(page.blocks)).not.toMatch(/a {1,2}b {1,2}c {1,2}d/);
  });
});
