import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillingEntry, Survey, Ticket, TicketAlias, TicketMessage } from '../../src/db/models/index.ts';
import { answerSurvey } from '../../src/domain/surveys/answer-survey.ts';
import { FakeSmtp } from '../support/fake-smtp.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { PUBLIC_URL, surveyRouting, surveyTokens, ticketDesk, type BookedTicket, type Channel } from './support.ts';

const HOUR_MS = 3_600_000;
// Seconds, not days: the reminder 1.8 s after Resolve, the final reminder 5.4 s later, the
// defaults 5.4 s after that (room for an answer between the reminders on a loaded machine).
const SURVEY = { remindAfterHours: 0.0005, finalAfterHours: 0.0015, defaultAfterHours: 0.0015 };
const TIMELINE_TEST_MS = 120_000;
const DEFAULTS = { solved: true, timeliness: 4, helpfulness: 2 };
const DEFAULTED_WEIGHT = 0.25;
const DUE = { reminder: SURVEY.remindAfterHours * HOUR_MS, final: (SURVEY.remindAfterHours + SURVEY.finalAfterHours) * HOUR_MS, defaults: (SURVEY.remindAfterHours + SURVEY.finalAfterHours + SURVEY.defaultAfterHours) * HOUR_MS };

const LINK = 'please tell us how it went';
const REMINDER = 'A reminder: how did it go';
const FINAL = 'Last reminder: if we do not hear from you';
const DEFAULTED = 'We did not hear back, so your ticket';
const ANSWERED = 'Thank you for your answer.';

const CHANNELS: Channel[] = ['zendesk', 'slack', 'widget'];
/** Where each source's customer is shown what Helpnet tells them. */
const SHOWN_ON: Record<Channel, string[]> = { zendesk: ['zendesk'], slack: ['slack'], widget: ['widget', 'email'] };

describe(`the survey's timeline on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let smtp: FakeSmtp;
  let desk: ReturnType<typeof ticketDesk>;
  beforeAll(async () => {
    smtp = await FakeSmtp.start();
    app = await startTestApp({ routing: surveyRouting(SURVEY, { defaultedWeight: DEFAULTED_WEIGHT }), env: { PUBLIC_URL, SMTP_URL: smtp.url, MAIL_FROM: 'Helpnet <help@helpnet.example>' } });
    desk = ticketDesk(app, smtp);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  /** How many times each of a ticket's channels has shown `text` so far, and the links shown with it. */
  async function seen(booked: BookedTicket, text: string): Promise<Record<string, { count: number; tokens: string[] }>> {
    const shown = await booked.shown();
    const result: Record<string, { count: number; tokens: string[] }> = {};
    for (const where of SHOWN_ON[booked.channel]) {
      // A Zendesk comment may carry several notices: count the notices, not the comments.
      const pieces = (shown[where] ?? []).flatMap((t) => t.split(text).slice(1));
      result[where] = { count: pieces.length, tokens: pieces.map((p) => surveyTokens(p)[0] ?? '') };
    }
    return result;
  }
  const shownEverywhere = (booked: BookedTicket, text: string) => async () => Object.values(await seen(booked, text)).every((s) => s.count > 0);

  /** Files and books one ticket per source, resolves them all, and returns them with their links. */
  async function resolvedTickets(): Promise<{ booked: BookedTicket; token: string; resolvedAt: number }[]> {
    const all = [];
    for (const channel of CHANNELS) all.push(await desk.file(channel));
    const resolved = [];
    for (const booked of all) {
      const resolvedAt = Date.now();
      expect((await desk.resolve(booked.expert, booked.ticket.id)).status).toBe(200);
      await waitFor(shownEverywhere(booked, LINK), `the link on ${booked.channel}`, 30_000);
      const token = (await seen(booked, LINK))[SHOWN_ON[booked.channel][0]!]!.tokens[0]!;
      expect(token).toHaveLength(43);
      resolved.push({ booked, token, resolvedAt });
    }
    return resolved;
  }

  /** Each notice of the timeline has reached each of the customer's channels exactly once, with the survey's link. */
  async function expectShownOnceWithLink(booked: BookedTicket, token: string, notices: string[]) {
    for (const notice of notices) {
      for (const [where, s] of Object.entries(await seen(booked, notice))) {
        expect({ where, notice, ...s }).toEqual({ where, notice, count: 1, tokens: [token] });
      }
    }
  }

  async function surveyJobs(surveyId: number) {
    const rows = await app.server.db.sequelize.query<{ data: string; fail_reason: string | null; fail_count: number | null }>("SELECT data, fail_reason, fail_count FROM agenda_jobs WHERE name = 'survey.step'", { type: QueryTypes.SELECT });
    return rows.filter((r) => (JSON.parse(r.data) as { surveyId: number }).surveyId === surveyId);
  }

  async function expectDefaultedAndClosed(booked: BookedTicket) {
    const ticket = await Ticket.findByPk(booked.ticket.id, { rejectOnEmpty: true });
    expect(ticket.status).toBe('closed');
    const survey = await Survey.findOne({ where: { ticketId: ticket.id }, rejectOnEmpty: true });
    expect(survey).toMatchObject({ status: 'defaulted', ...DEFAULTS, comment: null, weight: DEFAULTED_WEIGHT, remindersSent: 2, expertId: booked.expert.id });
    expect(await TicketAlias.count({ where: { ticketId: ticket.id, releasedAt: null } })).toBe(0);
    expect(await BillingEntry.count({ where: { ticketId: ticket.id } })).toBe(1);
    if (booked.channel === 'zendesk') await waitFor(() => app.zendesk.tickets.get(Number(ticket.externalId))?.status === 'solved', 'the Zendesk ticket solved');
    for (const job of await surveyJobs(survey.id)) expect(job.fail_reason).toBeNull();
  }

  it('without an answer: reminder, final reminder, then the defaults close the ticket — each notice once on every channel, with the link', async () => {
    const resolved = await resolvedTickets();
    // After a restart (migrations checked, jobs started) the due reminders go out: a loaded machine may take a while.
    for (const { booked } of resolved) await waitFor(shownEverywhere(booked, REMINDER), `the reminder on ${booked.channel}`, 30_000);
    for (const { booked } of resolved) await waitFor(shownEverywhere(booked, FINAL), `the final reminder on ${booked.channel}`, 20_000);
    for (const { booked } of resolved) await waitFor(shownEverywhere(booked, DEFAULTED), `the closing notice on ${booked.channel}`, 20_000);
    // Each step came when it was due, not before.
    for (const { booked } of resolved) {
      const ticket = await Ticket.findByPk(booked.ticket.id, { rejectOnEmpty: true });
      const notices = await TicketMessage.findAll({ where: { ticketId: ticket.id, side: 'system' }, order: [['id', 'ASC']] });
      const at = (text: string) => notices.find((m) => m.body.includes(text))!.createdAt.getTime() - ticket.resolvedAt!.getTime();
      expect(at(LINK)).toBeLessThan(DUE.reminder);
      expect(at(REMINDER)).toBeGreaterThanOrEqual(DUE.reminder - 5);
      expect(at(FINAL)).toBeGreaterThanOrEqual(DUE.final - 5);
      expect(at(DEFAULTED)).toBeGreaterThanOrEqual(DUE.defaults - 5);
      expect(at(REMINDER)).toBeLessThan(at(FINAL));
      expect(at(FINAL)).toBeLessThan(at(DEFAULTED));
    }
    await sleep(500);
    for (const { booked, token } of resolved) {
      await expectDefaultedAndClosed(booked);
      // Emails and Slack keep what they said (with the link); each said it once.
      if (booked.channel === 'widget') {
        const { email } = await booked.shown();
        for (const notice of [LINK, REMINDER, FINAL]) expect(email!.filter((t) => t.includes(notice))).toEqual([expect.stringContaining(`${PUBLIC_URL}/survey/${token}`)]);
        expect(email!.filter((t) => t.includes(DEFAULTED))).toHaveLength(1);
        // The widget shows the conversation as it is now: the survey is closed, its links gone.
        const { widget } = await booked.shown();
        expect(widget!.filter((t) => t.includes('(the survey is closed'))).toHaveLength(3);
        expect(widget!.join('\n')).not.toContain('/survey/');
      } else {
        await expectShownOnceWithLink(booked, token, [LINK, REMINDER, FINAL]);
      }
      const closing = await seen(booked, DEFAULTED);
      for (const s of Object.values(closing)) expect(s.count).toBe(1);
    }
  }, TIMELINE_TEST_MS);

  it('an answer after the first reminder stops the rest: no final reminder, no defaults', async () => {
    const resolved = await resolvedTickets();
    for (const { booked, token } of resolved) {
      await waitFor(shownEverywhere(booked, REMINDER), `the reminder on ${booked.channel}`, 30_000);
      expect(await answerSurvey(app.server.services, token, { solved: false, timeliness: 2, helpfulness: 5, comment: 'Still flaky, but thanks.' })).toMatchObject({ outcome: 'answered' });
    }
    // Past the defaults' due time, with room for a slow poll.
    const last = Math.max(...resolved.map((r) => r.resolvedAt));
    await sleep(Math.max(0, last + DUE.defaults + 1500 - Date.now()));
    for (const { booked } of resolved) await waitFor(shownEverywhere(booked, ANSWERED), `the thanks on ${booked.channel}`, 30_000);
    await sleep(300);
    for (const { booked, token } of resolved) {
      const ticket = await Ticket.findByPk(booked.ticket.id, { rejectOnEmpty: true });
      expect(ticket.status).toBe('closed');
      const survey = await Survey.findOne({ where: { ticketId: ticket.id }, rejectOnEmpty: true });
      expect(survey).toMatchObject({ status: 'answered', solved: false, timeliness: 2, helpfulness: 5, weight: 1, remindersSent: 1 });
      for (const s of Object.values(await seen(booked, FINAL))) expect(s.count).toBe(0);
      for (const s of Object.values(await seen(booked, DEFAULTED))) expect(s.count).toBe(0);
      for (const s of Object.values(await seen(booked, ANSWERED))) expect(s.count).toBe(1);
      for (const s of Object.values(await seen(booked, REMINDER))) expect(s.count).toBe(1);
      if (booked.channel !== 'widget') await expectShownOnceWithLink(booked, token, [LINK, REMINDER]);
      if (booked.channel === 'zendesk') await waitFor(() => app.zendesk.tickets.get(Number(ticket.externalId))?.status === 'solved', 'the Zendesk ticket solved');
      // Every step ran and did nothing; none failed or waits to be retried.
      const jobs = await surveyJobs(survey.id);
      for (const job of jobs) expect(job).toMatchObject({ fail_reason: null });
    }
  }, TIMELINE_TEST_MS);

  it('a restart mid-timeline loses no step and doubles none', async () => {
    const resolved = await resolvedTickets();
    // Down before the reminders are due…
    await app.restart();
    // After a restart (migrations checked, jobs started) the due reminders go out: a loaded machine may take a while.
    for (const { booked } of resolved) await waitFor(shownEverywhere(booked, REMINDER), `the reminder on ${booked.channel}`, 30_000);
    // …and again between the reminders and the final reminders.
    await app.restart();
    for (const { booked } of resolved) await waitFor(shownEverywhere(booked, DEFAULTED), `the closing notice on ${booked.channel}`, 60_000);
    await sleep(800);
    for (const { booked, token } of resolved) {
      await expectDefaultedAndClosed(booked);
      if (booked.channel === 'widget') {
        const { email } = await booked.shown();
        for (const notice of [LINK, REMINDER, FINAL]) expect(email!.filter((t) => t.includes(notice))).toEqual([expect.stringContaining(`${PUBLIC_URL}/survey/${token}`)]);
      } else {
        // The links still open the survey after a restart: the same token in every notice.
        await expectShownOnceWithLink(booked, token, [LINK, REMINDER, FINAL]);
      }
      for (const s of Object.values(await seen(booked, DEFAULTED))) expect(s.count).toBe(1);
    }
  }, TIMELINE_TEST_MS);
});
