import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketMessage } from '../../src/db/models/index.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { statementsDuring } from '../support/statements.ts';
import { bookedZendeskTicket, helpnetComments, slackPeople } from './support.ts';

describe(`a burst of replies on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let people: ReturnType<typeof slackPeople>;
  beforeAll(async () => {
    app = await startTestApp();
    people = slackPeople(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const bookedTicket = (n: number) =>
    bookedZendeskTicket(app, people, {
      description: `Burst ticket ${n}: mail is stuck.`,
      requester: { name: `Burst Customer ${n}`, email: `burst${n}@customer.example` },
      expert: { name: `Burst Expert ${n}`, email: `burst.expert${n}@experts.example` },
    });

  it('stores replies arriving together in a few transactions, each once and in order, and a retry among them as a repeat', async () => {
    const tickets = await Promise.all([1, 2, 3].map(bookedTicket));
    const { result: answers, statements: inserts } = await statementsDuring(app.server.db.sequelize, 'INSERT INTO `ticket_messages`', async () => {
      // Five replies in each thread, one after another, in the three threads at once, and
      // Slack retrying one of them meanwhile.
      const chain = async ({ expert, thread }: (typeof tickets)[number], t: number) => {
        const out = [];
        for (const n of [1, 2, 3, 4, 5]) out.push(await people.dm(expert.slackUserId!, `ticket ${t} reply ${n}`, { threadTs: thread.ts, eventId: `EvBurst${t}-${n}` }));
        return out;
      };
      const retry = async () => {
        await waitFor(() => TicketMessage.count({ where: { sourceKey: 'slack:EvBurst0-1' } }), 'the first reply stored');
        return people.dm(tickets[0]!.expert.slackUserId!, 'ticket 0 reply 1', { threadTs: tickets[0]!.thread.ts, eventId: 'EvBurst0-1', retryNum: 1 });
      };
      return Promise.all([...tickets.map(chain), retry()]);
    });
    expect(answers.flat().every((a) => a.status === 200)).toBe(true);
    expect(inserts.length).toBeLessThan(15);

    for (const [t, { zd, ticket }] of tickets.entries()) {
      const expected = [1, 2, 3, 4, 5].map((n) => `ticket ${t} reply ${n}`);
      await waitFor(() => helpnetComments(app, zd.id).map((c) => c.body).join('\n').includes(expected.at(-1)!), `the replies of ticket ${t} in Zendesk`);
      // However they were grouped into comments, each reply is there once, in the order written.
      const relayed = helpnetComments(app, zd.id).slice(1).map((c) => c.body).join('\n\n').split('\n\n').map((b) => b.replace(/^Expert [^:]+:\n/, ''));
      expect(relayed).toEqual(expected);
      const stored = await TicketMessage.findAll({ where: { ticketId: ticket.id, side: 'expert' }, order: [['id', 'ASC']] });
      expect(stored.map((m) => m.body)).toEqual(expected);
    }
    await sleep(300);
    expect(helpnetComments(app, tickets[0]!.zd.id).filter((c) => c.body.includes('ticket 0 reply 1'))).toHaveLength(1);
  });

  it('a comment Zendesk is slow to take holds up only its own ticket', async () => {
    const [slow, quick] = await Promise.all([4, 5].map(bookedTicket));
    app.zendesk.http.inject('PUT /api/v2/tickets/:id', { kind: 'delay', ms: 1500 });
    await people.dm(slow!.expert.slackUserId!, 'This one Zendesk takes its time over.', { threadTs: slow!.thread.ts });
    await sleep(300); // the slow comment is on its way (the fake records a call once it answers)
    const sentAt = Date.now();
    await people.dm(quick!.expert.slackUserId!, 'This one goes straight through.', { threadTs: quick!.thread.ts });
    await waitFor(() => helpnetComments(app, quick!.zd.id).some((c) => c.body.includes('straight through')), 'the quick comment');
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect(helpnetComments(app, slow!.zd.id).some((c) => c.body.includes('takes its time'))).toBe(false);
    await waitFor(() => helpnetComments(app, slow!.zd.id).some((c) => c.body.includes('takes its time')), 'the slow comment, in the end');
  });
});
