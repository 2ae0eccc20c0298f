import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AVAILABILITY_ANSWERS } from '../../src/slack/listeners/commands/helpnet-command.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { fileWidgetTicket } from '../support/tickets.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

describe(`/helpnet available and /helpnet away on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  }, 90_000);
  afterAll(async () => {
    await app?.close();
  });

  /** Sends `/helpnet TEXT` as `user` and returns the ephemeral answer sent to its response_url. */
  const command = async (user: string, text: string) => {
    const before = answers(user).length;
    const res = await app.slackRequests.command({ user_id: user, text });
    expect(res.status).toBe(200);
    return waitFor(() => answers(user)[before], `the answer to /helpnet ${text}`, 30_000);
  };
  const answers = (user: string) => app.slack.responses().filter((r) => r.key.split('/')[0] === user);
  const delivered = () => app.slack.callsTo('chat.postMessage').filter((c) => c.status === 200 && (c.response as { ok: boolean }).ok);
  /** Files a ticket and waits for its channel post; then the DMs that paged someone for it, by channel. */
  const fileAndWaitForPost = async () => {
    const ticket = await fileWidgetTicket(app.server.services);
    const mark = `HN-${ticket.id}`;
    await waitFor(() => delivered().some((c) => c.args.channel === 'C0EXCH001' && JSON.stringify(c.args.blocks).includes(mark)), `the channel post of ${mark}`, 30_000);
    const pagedFor = () => delivered().filter((c) => c.args.channel !== 'C0EXCH001' && JSON.stringify(c.args.blocks).includes(`"value":"${mark}"`)).map((c) => String(c.args.channel));
    return { ticket, pagedFor };
  };

  it('/helpnet away stops the pages for new tickets; /helpnet available restores them', async () => {
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const slackId = expert.slackUserId!;

    const away = await command(slackId, 'away');
    expect(away).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: AVAILABILITY_ANSWERS.checkedOut });
    expect(away.text).toContain('You are checked out: you will not be paged; you can still book from the channel');
    await expert.reload();
    expect(expert.checkedIn).toBe(false);

    const first = await fileAndWaitForPost();
    // The pages are written with the channel post: none for the expert who went away.
    expect(await app.server.db.models.SlackMessage.count({ where: { ticketId: first.ticket.id, purpose: 'page' } })).toBe(0);
    await sleep(500);
    expect(first.pagedFor()).not.toContain(slackId);

    const available = await command(slackId, 'available');
    expect(available).toMatchObject({ response_type: 'ephemeral', text: AVAILABILITY_ANSWERS.checkedIn });
    expect(available.text).toContain('You are checked in: you will be paged');
    const second = await fileAndWaitForPost();
    expect(await waitFor(() => second.pagedFor().includes(slackId) && second.pagedFor(), 'the page DM', 30_000)).toEqual([slackId]);
    // Saying it twice changes nothing and answers the same.
    const again = await command(slackId, ' Available ');
    expect(again).toMatchObject({ text: AVAILABILITY_ANSWERS.checkedIn });
  }, 90_000);

  it('tells a suspended expert that checking in does not page them yet', async () => {
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { checkedIn: false, suspendedAt: new Date() });
    const res = await command(expert.slackUserId!, 'available');
    expect(res.text).toContain('You are checked in');
    expect(res.text).toContain('suspended');
    await expert.reload();
    expect(expert.checkedIn).toBe(true);
  }, 90_000);

  it('tells an applicant not yet approved that they cannot check in yet, changing nothing', async () => {
    const applicant = await createQualifiedExpert('exchange-l1', 'ms-exchange', { checkedIn: false, skill: 'applied', member: false });
    const res = await command(applicant.slackUserId!, 'available');
    expect(res).toMatchObject({ response_type: 'ephemeral', text: AVAILABILITY_ANSWERS.notApprovedYet });
    await applicant.reload();
    expect(applicant.checkedIn).toBe(false);
  }, 90_000);

  it('answers someone who is not an expert clearly, changing nothing', async () => {
    for (const text of ['available', 'away']) {
      const res = await command('U0NOTEXPRT', text);
      expect(res).toMatchObject({ response_type: 'ephemeral', text: AVAILABILITY_ANSWERS.notExpert('/helpnet') });
      expect(res.text).toContain('Only Helpnet experts can check in or out');
    }
    expect(app.slack.callsTo('views.open')).toHaveLength(0);
  }, 90_000);
});
