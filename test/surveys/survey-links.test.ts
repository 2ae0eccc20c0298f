import { UniqueConstraintError } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageDelivery, Survey, Ticket, TicketAlias, TicketMessage } from '../../src/db/models/index.ts';
import { answerSurvey, viewSurvey } from '../../src/domain/surveys/answer-survey.ts';
import { runSurveyStep } from '../../src/domain/surveys/run-survey-step.ts';
import { hashSurveyToken } from '../../src/domain/surveys/survey-token.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { FakeSmtp } from '../support/fake-smtp.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { fileWidgetTicket } from '../support/tickets.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { PUBLIC_URL, surveyRouting, surveyTokens, ticketDesk, wholeDatabase, type BookedTicket, type Channel } from './support.ts';

const SURVEY_TEXT = 'please tell us how it went';

describe(`the survey link at Resolve on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let smtp: FakeSmtp;
  let desk: ReturnType<typeof ticketDesk>;
  beforeAll(async () => {
    smtp = await FakeSmtp.start();
    // The default timeline (48 hours a step): nothing but Resolve and the answer happens here.
    app = await startTestApp({ routing: surveyRouting(), env: { PUBLIC_URL, SMTP_URL: smtp.url, MAIL_FROM: 'Helpnet <help@helpnet.example>' } });
    desk = ticketDesk(app, smtp);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  const links: { channel: Channel; booked: BookedTicket; token: string }[] = [];

  /** Every link the customer was shown, on each of their channels. */
  async function tokensShown(booked: BookedTicket): Promise<Record<string, string[]>> {
    const shown = await booked.shown();
    return Object.fromEntries(Object.entries(shown).map(([where, texts]) => [where, texts.flatMap(surveyTokens)]));
  }

  for (const channel of ['zendesk', 'slack', 'widget'] as const) {
    it(`${channel}: the customer gets the link on their channel, and it opens this ticket's survey`, async () => {
      const booked = await desk.file(channel);
      const res = await desk.resolve(booked.expert, booked.ticket.id);
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      await booked.ticket.reload();
      expect(booked.ticket.status).toBe('close_pending');

      // Each of the customer's channels shows the notice with its link, once.
      const expected = channel === 'widget' ? ['widget', 'email'] : [channel];
      const shown = await waitFor(async () => {
        const tokens = await tokensShown(booked);
        return expected.every((where) => (tokens[where] ?? []).length > 0) ? tokens : undefined;
      }, `the survey link on ${expected.join(' and ')}`);
      const texts = await booked.shown();
      for (const where of expected) {
        expect(shown[where]).toHaveLength(1);
        expect(texts[where]!.join('\n')).toContain(SURVEY_TEXT);
      }
      const token = shown[expected[0]!]![0]!;
      for (const where of expected) expect(shown[where]![0]).toBe(token);

      // The link opens the survey of this ticket, rated for its expert.
      const survey = await Survey.findOne({ where: { ticketId: booked.ticket.id }, rejectOnEmpty: true });
      expect(survey.tokenHash).toBe(hashSurveyToken(token));
      expect(survey).toMatchObject({ status: 'pending', expertId: booked.expert.id, remindersSent: 0 });
      expect(await viewSurvey(app.server.services, token)).toMatchObject({ publicId: `HN-${booked.ticket.id}`, status: 'pending' });
      // A token one character off opens nothing.
      const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect(await viewSurvey(app.server.services, wrong)).toBeUndefined();

      if (channel === 'zendesk') {
        const zd = Number(booked.ticket.externalId);
        await waitFor(() => app.zendesk.tickets.get(zd)?.status === 'pending', 'the Zendesk ticket pending');
      }
      if (channel === 'widget') {
        // The email gives the link a line of its own, and keeps it out of the subject.
        const mail = smtp.mails.find((m) => m.text.includes(token))!;
        expect(mail.text).toContain(`\n${PUBLIC_URL}/survey/${token}\n`);
        expect(mail.subject).not.toContain('/survey/');
      }
      links.push({ channel, booked, token });
    });
  }

  it('the tokens are nowhere in the database: not in the transcript, the jobs, the Slack messages or anywhere else', async () => {
    expect(links.map((l) => l.channel)).toEqual(['zendesk', 'slack', 'widget']);
    // The jobs of the resolves have run (or wait, scheduled): both are rows to search.
    await sleep(300);
    const everything = await wholeDatabase(app);
    expect(everything).toContain('survey.step');
    for (const { token } of links) {
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(token.slice(0, 20));
    }
    expect(everything).not.toContain(`${PUBLIC_URL}/survey/`);
    // The notices are in the transcript, without their links.
    const notices = await TicketMessage.findAll({ where: { ticketId: links.map((l) => l.booked.ticket.id) } });
    const surveyNotices = notices.filter((m) => m.surveyId !== null);
    expect(surveyNotices).toHaveLength(3);
    for (const m of surveyNotices) expect(m.body).not.toContain('/survey/');
  });

  it('someone other than the assigned expert cannot resolve: refused, and no survey is opened', async () => {
    const booked = await desk.file('zendesk');
    const other = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Otto Other', email: 'otto@experts.example' });
    const refused = await desk.resolve(other, booked.ticket.id);
    expect(refused.json).toMatchObject({ response_action: 'errors', errors: { notes: 'This ticket is no longer yours to resolve.' } });
    // Nor can anyone who is not an expert at all.
    const stranger = await desk.resolve({ slackUserId: 'U0NOBODY42' }, booked.ticket.id);
    expect(stranger.json).toMatchObject({ response_action: 'errors' });
    await sleep(300);
    await booked.ticket.reload();
    expect(booked.ticket.status).toBe('booked');
    expect(await Survey.count({ where: { ticketId: booked.ticket.id } })).toBe(0);
    expect(await TicketMessage.count({ where: { ticketId: booked.ticket.id, side: 'system' } })).toBe(1); // the booking's notice only
    expect((await booked.shown()).zendesk!.join('\n')).not.toContain('marked your ticket');
    // The expert who has it can; a second Resolve is told it is done, and opens nothing more.
    expect((await desk.resolve(booked.expert, booked.ticket.id)).text).toBe('');
    const again = await desk.resolve(booked.expert, booked.ticket.id);
    expect(again.json).toMatchObject({ response_action: 'errors', errors: { notes: 'This ticket is already resolved.' } });
    expect(await Survey.count({ where: { ticketId: booked.ticket.id } })).toBe(1);
  });

  it('the answer closes the ticket: both aliases released, a late message refused, the names free for a later ticket, the link says the survey is closed', async () => {
    const { booked, token } = links.find((l) => l.channel === 'widget')!;
    const ticketId = booked.ticket.id;
    const aliases = await TicketAlias.findAll({ where: { ticketId, releasedAt: null } });
    expect(aliases.map((a) => a.side).sort()).toEqual(['customer', 'expert']);
    const names = aliases.map((a) => a.name);
    expect([...(await app.server.db.ticketAliases.takenNames(names))].sort()).toEqual([...names].sort());

    // While the ticket is open, no other ticket can have its names.
    const later = await fileWidgetTicket(app.server.services);
    const holdFor = (ticket: number, name: string) => app.server.db.unitOfWork((transaction) => app.server.db.ticketAliases.hold({ ticketId: ticket, side: 'customer', expertId: null, name }, { transaction }));
    await expect(holdFor(later.id, names[0]!)).rejects.toBeInstanceOf(UniqueConstraintError);

    const answer = { solved: true, timeliness: 5, helpfulness: 4, comment: 'Quick and clear.' };
    expect(await answerSurvey(app.server.services, token, answer)).toMatchObject({ outcome: 'answered', view: { publicId: `HN-${ticketId}`, status: 'answered' } });
    expect(await answerSurvey(app.server.services, token, { ...answer, solved: false })).toMatchObject({ outcome: 'already' });
    const survey = await Survey.findOne({ where: { ticketId }, rejectOnEmpty: true });
    expect(survey).toMatchObject({ status: 'answered', solved: true, timeliness: 5, helpfulness: 4, comment: 'Quick and clear.', weight: 1 });
    expect((await Ticket.findByPk(ticketId, { rejectOnEmpty: true })).status).toBe('closed');

    // Both sides' aliases are released, and their names are free again.
    const released = await TicketAlias.findAll({ where: { ticketId } });
    expect(released).toHaveLength(2);
    for (const a of released) expect(a).toMatchObject({ activeName: null, releasedAt: expect.any(Date) });
    expect((await app.server.db.ticketAliases.takenNames(names)).size).toBe(0);
    for (const name of names) await holdFor(later.id, name);

    // The customer is told it is closed.
    await waitFor(async () => (await booked.shown()).email!.some((t) => t.includes(`Thank you for your answer. Your ticket HN-${ticketId} is closed.`)), 'the closing email');
    const shownBefore = await booked.shown();

    // A late message from the expert under the released alias is refused and goes nowhere.
    const people = desk.people;
    await people.dm(booked.expert.slackUserId!, 'One more idea, after all', { threadTs: booked.expertThread.ts });
    await waitFor(() => people.replies(booked.expertThread).some((m) => /not passed on/.test(m.text ?? '')), 'the refusal in the expert’s thread');
    await sleep(300);
    expect(await TicketMessage.count({ where: { ticketId, body: 'One more idea, after all' } })).toBe(0);
    const shown = await booked.shown();
    expect(shown.widget!.join('\n')).not.toContain('One more idea');
    expect(shown.email).toEqual(shownBefore.email);

    // The notice shown again now says the survey is closed, without a link.
    expect(shown.widget!.join('\n')).not.toContain('/survey/');
    expect(shown.widget!.find((t) => t.includes(SURVEY_TEXT))).toContain('(the survey is closed');
    expect(shown.widget!.some((t) => t.includes('Thank you for your answer.'))).toBe(true);
  });

  it('steps run late (the server was down): a step runs once, and a reminder whose next step is due already is skipped', async () => {
    const booked = await desk.file('slack');
    await desk.resolve(booked.expert, booked.ticket.id);
    await waitFor(async () => (await booked.shown()).slack!.some((t) => t.includes(SURVEY_TEXT)), 'the link in the requester’s thread');
    const ticket = await Ticket.findByPk(booked.ticket.id, { rejectOnEmpty: true });
    const survey = await Survey.findOne({ where: { ticketId: ticket.id }, rejectOnEmpty: true });
    // The clock as if this many hours had passed since Resolve (each step is 48 hours after the one before).
    const at = (hours: number) => ({ ...app.server.services, now: () => new Date(ticket.resolvedAt!.getTime() + hours * 3_600_000) });
    const step = (hours: number, n: 1 | 2 | 3) => runSurveyStep(at(hours), { surveyId: survey.id, step: n });
    expect(await step(49, 1)).toBe('reminded');
    expect(await step(50, 1)).toBe('stale');
    await waitFor(async () => (await booked.shown()).slack!.some((t) => t.includes('A reminder:')), 'the reminder');
    // Down from before the final reminder until after the defaults were due: no final reminder, straight to the defaults.
    expect(await step(200, 2)).toBe('overtaken');
    expect(await step(200, 3)).toBe('defaulted');
    expect(await step(201, 3)).toBe('stale');
    expect(await step(201, 2)).toBe('stale');
    await waitFor(async () => (await booked.shown()).slack!.some((t) => t.includes('We did not hear back')), 'the closing notice');
    await sleep(300);
    const texts = (await booked.shown()).slack!;
    expect(texts.filter((t) => t.includes('A reminder:'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('Last reminder:'))).toHaveLength(0);
    expect(texts.filter((t) => t.includes('We did not hear back'))).toHaveLength(1);
    // In Slack the link is Helpnet's own markup, so the requester can click it.
    const reminder = texts.find((t) => t.includes('A reminder:'))!;
    expect(reminder).toMatch(/<https:\/\/help\.example\.test\/survey\/[A-Za-z0-9_-]{43}\|Answer the survey>$/);
    expect(surveyTokens(reminder)).toEqual([surveyTokens(texts.find((t) => t.includes(SURVEY_TEXT))!)[0]]);
    await survey.reload();
    expect(survey).toMatchObject({ status: 'defaulted', remindersSent: 1, timeliness: 4, helpfulness: 2, weight: 0.25 });
  });

  it('a Zendesk comment whose answer was lost, confirmed only after the survey closed, is not sent again', async () => {
    const booked = await desk.file('zendesk');
    const zd = Number(booked.ticket.externalId);
    const notices = async () => (await booked.shown()).zendesk!.filter((t) => t.includes(SURVEY_TEXT));
    // Zendesk adds the link's comment (and sets the status), but neither answer comes back.
    app.zendesk.http.inject('PUT /api/v2/tickets/:id', { kind: 'dropAfterReply' }, 2);
    await desk.resolve(booked.expert, booked.ticket.id);
    const [comment] = await waitFor(async () => ((await notices()).length > 0 ? await notices() : undefined), 'the link’s comment');
    // The customer answers from that comment before Helpnet learns it went out.
    const token = surveyTokens(comment!)[0]!;
    expect(await answerSurvey(app.server.services, token, { solved: true, timeliness: 4, helpfulness: 4, comment: null })).toMatchObject({ outcome: 'answered' });
    await waitFor(async () => (await booked.shown()).zendesk!.some((t) => t.includes('Thank you for your answer.')), 'the closing comment', 20_000);
    await waitFor(async () => (await MessageDelivery.count({ where: { ticketId: booked.ticket.id, channel: 'zendesk', status: ['pending', 'sending'] } })) === 0, 'every comment confirmed', 20_000);
    await waitFor(() => app.zendesk.tickets.get(zd)?.status === 'solved', 'the Zendesk ticket solved', 20_000);
    await sleep(300);
    expect(await notices()).toEqual([comment]);
  });
});
