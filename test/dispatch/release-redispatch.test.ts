import { afterEach, describe, expect, it } from 'vitest';
import { SlackMessage } from '../../src/db/models/index.ts';
import { slackPeople } from '../relay/support.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';
import { waitFor } from '../support/wait-for.ts';
import { fileWidgetTicket } from '../support/tickets.ts';

describe(`dispatch after a release on ${TEST_ENGINE}`, () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('does not page the expert who released the ticket again in that round, at any tier; they may still book it', async () => {
    const routing = testRouting();
    routing.categories[0]!.tiers = [
      { group: 'exchange-l1', timeoutMinutes: 0.1 },
      { group: 'messaging-l2', timeoutMinutes: 10 },
    ];
    app = await startTestApp({ routing });
    // The best-ranked expert is in both tiers' groups: paged first everywhere, but for the releaser rule.
    const releaser = await createQualifiedExpert('exchange-l1', 'ms-exchange', { score: 5 });
    const { GroupMembership, Group } = app.server.db.models;
    await GroupMembership.create({ expertId: releaser.id, groupId: (await Group.findOne({ where: { key: 'messaging-l2' }, rejectOnEmpty: true })).id });
    const second = await createQualifiedExpert('exchange-l1', 'ms-exchange', { score: 4 });
    const third = await createQualifiedExpert('exchange-l1', 'ms-exchange', { score: 3 });
    const tier2 = await createQualifiedExpert('messaging-l2', 'ms-exchange', { score: 4 });

    const ticket = await fileWidgetTicket(app.server.services, { description: 'Shared mailbox permissions vanish overnight.', customer: { name: 'Rhea', email: 'rhea@example.com' } });
    const pages = async (round: number) =>
      (await SlackMessage.findAll({ where: { ticketId: ticket.id, purpose: 'page' }, order: [['id', 'ASC']] }))
        .filter((m) => (JSON.parse(m.details ?? '{}') as { round?: number }).round === round)
        .map((m) => [m.tier, m.expertId]);
    // Round 1: exchange-l1 pages its best two.
    await waitFor(async () => (await pages(1)).length === 2, 'the first pages');
    expect(await pages(1)).toEqual([[1, releaser.id], [1, second.id]]);

    const people = slackPeople(app);
    await people.book(releaser, ticket.id);
    await people.expertThread(releaser, ticket.id);
    await app.slackRequests.blockActions({ user_id: releaser.slackUserId!, action_id: 'ticket.release', value: `HN-${ticket.id}`, channel_id: `D${releaser.slackUserId!.slice(1)}` });

    // Round 2, tier 1: the next best two, not the releaser.
    await waitFor(async () => (await pages(2)).length === 2, 'the pages of the new round');
    expect(await pages(2)).toEqual([[1, second.id], [1, third.id]]);
    // Unbooked, it escalates within the round: tier 2 pages its experts, still not the releaser.
    await waitFor(async () => (await pages(2)).some(([tier]) => tier === 2), 'the tier-2 pages of the new round', 20_000);
    expect((await pages(2)).filter(([tier]) => tier === 2)).toEqual([[2, tier2.id]]);
    await waitFor(() => app!.slack.messages.some((m) => m.channel === tier2.slackUserId && JSON.stringify(m.blocks).includes(`*HN-${ticket.id}*`)), 'the tier-2 page posted');
    // In Slack: one page to the releaser, from the first round.
    const pagesPosted = app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === releaser.slackUserId && JSON.stringify(c.args.blocks).includes(`*HN-${ticket.id}*`) && JSON.stringify(c.args.blocks).includes('ticket.book'));
    expect(pagesPosted).toHaveLength(1);

    // Still theirs to take back from a channel post.
    await people.book(releaser, ticket.id);
    await waitFor(async () => (await ticket.reload()).status === 'booked', 'booked again');
    expect(ticket.expertId).toBe(releaser.id);
  });
});
