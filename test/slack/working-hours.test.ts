import { Op } from 'sequelize';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Expert, ExpertAbsence, SlackMessage, Ticket } from '../../src/db/models/index.ts';
import { addDays, dayIn } from '../../src/domain/experts/availability-rules.ts';
import { NOT_APPROVED_ANSWER } from '../../src/slack/open-availability-modal.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { fileWidgetTicket } from '../support/tickets.ts';
import { waitFor } from '../support/wait-for.ts';

const BRISBANE = 'Australia/Brisbane'; // UTC+10 all year (no summer time)
const EVERY_DAY = ['0', '1', '2', '3', '4', '5', '6'];

interface OpenedView {
  callback_id?: string;
  private_metadata?: string;
  title?: { text: string };
  blocks: { type: string; block_id?: string; text?: { text: string }; element?: Record<string, unknown> }[];
}

describe(`working hours and absences from Slack on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  }, 90_000);
  afterAll(async () => {
    await app?.close();
  });

  let triggers = 0;
  /** The view opened with this trigger, once it is. */
  const viewOpenedWith = (trigger: string) =>
    waitFor(() => app.slack.callsTo('views.open').find((c) => c.args.trigger_id === trigger && c.status === 200)?.args.view as OpenedView | undefined, `views.open with ${trigger}`, 30_000);
  const answers = (user: string) => app.slack.responses().filter((r) => r.key.split('/')[0] === user);

  /** `/helpnet hours` as `user`: the trigger it carried. */
  const hoursCommand = async (user: string) => {
    const trigger = `trigger.hours.${++triggers}`;
    const res = await app.slackRequests.command({ user_id: user, text: 'hours', trigger_id: trigger });
    expect(res.status).toBe(200);
    return trigger;
  };
  /** The App Home's button as Slack sends a click on a Home tab: a view container, and no response_url. */
  const homeButton = async (user: string) => {
    const trigger = `trigger.home.${++triggers}`;
    const res = await app.slackRequests.interaction({
      type: 'block_actions',
      team: { id: 'T0HELPNET', domain: 'helpnet-test' },
      user: { id: user, username: 'someone', team_id: 'T0HELPNET' },
      api_app_id: 'A0HELPNET',
      trigger_id: trigger,
      container: { type: 'view', view_id: 'V0HOME0001' },
      view: { id: 'V0HOME0001', type: 'home', callback_id: '', private_metadata: '', state: { values: {} } },
      actions: [{ type: 'button', action_id: 'expert.edit_availability', block_id: 'availability', action_ts: `${Date.now() / 1000}` }],
    });
    expect(res.status).toBe(200);
    return trigger;
  };

  /** The modal's state as Slack sends it on submission. */
  const state = (s: { schedule?: string; days?: string[]; start?: string | null; end?: string | null; remove?: string[]; first?: string | null; last?: string | null }) => ({
    schedule: { value: { type: 'radio_buttons', selected_option: s.schedule ? { value: s.schedule } : null } },
    days: { value: { type: 'checkboxes', selected_options: (s.days ?? []).map((value) => ({ value })) } },
    start: { value: { type: 'timepicker', selected_time: s.start ?? null } },
    end: { value: { type: 'timepicker', selected_time: s.end ?? null } },
    ...(s.remove ? { remove: { value: { type: 'checkboxes', selected_options: s.remove.map((value) => ({ value })) } } } : {}),
    absence_first: { value: { type: 'datepicker', selected_date: s.first ?? null } },
    absence_last: { value: { type: 'datepicker', selected_date: s.last ?? null } },
  });
  const submit = async (user: string, view: OpenedView, values: ReturnType<typeof state>) => {
    const res = await app.slackRequests.viewSubmission({ user_id: user, callback_id: 'expert.availability', private_metadata: view.private_metadata ?? '', values });
    expect(res.status).toBe(200);
    return res.json as { response_action?: string; errors?: Record<string, string> } | undefined;
  };
  const dmsTo = (user: string) => app.slack.messages.filter((m) => m.channel === user);

  /** An approved expert of exchange-l1 known to the fake Slack in `tz`; every other expert checked out, so only they can be paged. */
  const expertIn = async (tz: string) => {
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    app.slack.addUser({ id: expert.slackUserId!, name: `expert${expert.id}`, tz });
    await Expert.update({ checkedIn: false }, { where: { id: { [Op.ne]: expert.id } } });
    return expert;
  };
  /** Files a ticket as if at `at` (the domain's clock; now when not given): was `expert` paged for it? */
  const pagedAt = async (expert: Expert, at?: Date) => {
    const services = at ? { ...app.server.services, now: () => at } : app.server.services;
    const ticket = await fileWidgetTicket(services);
    return (await SlackMessage.count({ where: { ticketId: ticket.id, purpose: 'page', expertId: expert.id } })) === 1;
  };

  beforeEach(() => {
    app.slack.http.clearFaults();
  });

  it('opens from /helpnet hours and from the App Home button in the Slack time zone, and saves hours and an absence with a DM', async () => {
    const expert = await expertIn(BRISBANE);
    const user = expert.slackUserId!;

    const view = await viewOpenedWith(await hoursCommand(user));
    expect(view.callback_id).toBe('expert.availability');
    expect(JSON.parse(view.private_metadata!)).toEqual({ timeZone: BRISBANE });
    expect(JSON.stringify(view.blocks)).toContain(`your Slack time zone, *${BRISBANE}*`);
    // No hours yet: "any time", with Mon–Fri 09:00–17:00 offered.
    const block = (id: string) => view.blocks.find((b) => b.block_id === id)!;
    expect(block('schedule').element).toMatchObject({ type: 'radio_buttons', initial_option: { value: 'any' } });
    expect((block('days').element!.initial_options as { value: string }[]).map((o) => o.value)).toEqual(['1', '2', '3', '4', '5']);
    expect(block('start').element).toMatchObject({ type: 'timepicker', initial_time: '09:00' });
    expect(view.blocks.some((b) => b.block_id === 'remove')).toBe(false);

    const today = dayIn(BRISBANE, new Date());
    const first = addDays(today, 10);
    const last = addDays(today, 12);
    expect(await submit(user, view, state({ schedule: 'day', days: ['1', '2', '3', '4', '5'], start: '07:00', end: '18:00', first, last }))).toBeUndefined();
    await expert.reload();
    expect(JSON.parse(expert.workingHours!)).toEqual({ timeZone: BRISBANE, days: [1, 2, 3, 4, 5], start: '07:00', end: '18:00' });
    const absences = await ExpertAbsence.findAll({ where: { expertId: expert.id } });
    expect(absences.map((a) => ({ firstDay: a.firstDay, lastDay: a.lastDay, timeZone: a.timeZone }))).toEqual([{ firstDay: first, lastDay: last, timeZone: BRISBANE }]);
    // Midnight at the start of the first day in Brisbane is 14:00 UTC the day before; the end is midnight after the last day.
    expect(absences[0]!.startsAt.toISOString()).toBe(`${addDays(first, -1)}T14:00:00.000Z`);
    expect(absences[0]!.endsAt.toISOString()).toBe(`${last}T14:00:00.000Z`);

    const dm = await waitFor(() => dmsTo(user).find((m) => String(m.text).includes('Your availability is saved')), 'the confirmation DM', 30_000);
    expect(dm.text).toContain(`Mon–Fri, 07:00–18:00 (${BRISBANE})`);
    expect(dm.text).toContain('You can still book from the channel');

    // The Home button opens the same modal, now showing what was saved.
    const again = await viewOpenedWith(await homeButton(user));
    expect(again.callback_id).toBe('expert.availability');
    const block2 = (id: string) => again.blocks.find((b) => b.block_id === id)!;
    expect(block2('schedule').element).toMatchObject({ initial_option: { value: 'day' } });
    expect(block2('start').element).toMatchObject({ initial_time: '07:00' });
    expect(block2('end').element).toMatchObject({ initial_time: '18:00' });
    const remove = block2('remove').element as { options: { value: string; text: { text: string } }[] };
    expect(remove.options).toEqual([expect.objectContaining({ value: String(absences[0]!.id) })]);

    // Removing it, and any time again.
    expect(await submit(user, again, state({ schedule: 'any', days: [], start: '07:00', end: '18:00', remove: [String(absences[0]!.id)] }))).toBeUndefined();
    await expert.reload();
    expect(expert.workingHours).toBeNull();
    expect(await ExpertAbsence.count({ where: { expertId: expert.id } })).toBe(0);
  }, 90_000);

  it('refuses someone who is not an approved expert, from the command and from the Home', async () => {
    const applicant = await createQualifiedExpert('exchange-l1', 'ms-exchange', { skill: 'applied' });
    for (const user of ['U0STRANGR1', applicant.slackUserId!]) {
      const before = answers(user).length;
      const trigger = await hoursCommand(user);
      const answer = await waitFor(() => answers(user)[before], 'the answer to /helpnet hours', 30_000);
      expect(answer).toMatchObject({ response_type: 'ephemeral', text: NOT_APPROVED_ANSWER('/helpnet') });
      expect(app.slack.callsTo('views.open').some((c) => c.args.trigger_id === trigger)).toBe(false);

      // The Home has no response_url: the answer is a modal that only says so.
      const notice = await viewOpenedWith(await homeButton(user));
      expect(notice.callback_id).toBeUndefined();
      expect(JSON.stringify(notice.blocks)).toContain('Only approved Helpnet experts can set working hours and absences');
    }
    // And a submission of the modal from someone not approved stores nothing.
    const errors = await submit('U0STRANGR1', { blocks: [], private_metadata: JSON.stringify({ timeZone: 'UTC' }) }, state({ schedule: 'day', days: EVERY_DAY, start: '09:00', end: '17:00' }));
    expect(errors).toMatchObject({ response_action: 'errors', errors: { schedule: expect.stringContaining('Only approved Helpnet experts') } });
    await applicant.reload();
    expect(applicant.workingHours).toBeNull();
  }, 90_000);

  it('shows what is wrong on its field and stores nothing', async () => {
    const expert = await expertIn('Europe/Berlin');
    const user = expert.slackUserId!;
    const view = await viewOpenedWith(await hoursCommand(user));
    const today = dayIn('Europe/Berlin', new Date());
    const cases: [ReturnType<typeof state>, Record<string, string>][] = [
      [state({ schedule: 'day', days: EVERY_DAY, start: '18:00', end: '07:00' }), { end: 'The end is before the start. For hours that run past midnight, choose “Overnight”.' }],
      [state({ schedule: 'overnight', days: EVERY_DAY, start: '07:00', end: '18:00' }), { end: expect.stringContaining('the end must be earlier than the start') as unknown as string }],
      [state({ schedule: 'day', days: [], start: '09:00', end: '17:00' }), { days: 'Tick at least one day, or choose “Any time”.' }],
      [state({ schedule: 'day', days: EVERY_DAY, start: null, end: '17:00' }), { start: 'Choose when your hours start.' }],
      [state({ schedule: 'any', first: addDays(today, 5), last: addDays(today, 3) }), { absence_last: 'The last day is before the first.' }],
      [state({ schedule: 'any', first: addDays(today, -5), last: addDays(today, -1) }), { absence_last: 'These days are already over: choose days from today on.' }],
      [state({ schedule: 'any', first: addDays(today, 1) }), { absence_last: 'Choose the last day you are away.' }],
      // Every problem at once, each on its own field.
      [
        state({ schedule: 'day', days: [], start: '10:00', end: '09:00', first: addDays(today, 2), last: addDays(today, 1) }),
        { days: expect.any(String) as unknown as string, end: expect.any(String) as unknown as string, absence_last: 'The last day is before the first.' },
      ],
    ];
    for (const [values, errors] of cases) {
      const answer = await submit(user, view, values);
      expect(answer).toEqual({ response_action: 'errors', errors });
    }
    // A form Slack did not make (a tampered time zone) is refused too.
    const tampered = await submit(user, { ...view, private_metadata: JSON.stringify({ timeZone: 'Mars/Olympus' }) }, state({ schedule: 'day', days: EVERY_DAY, start: '09:00', end: '17:00' }));
    expect(tampered).toMatchObject({ response_action: 'errors', errors: { schedule: expect.stringContaining('Mars/Olympus') } });
    await expert.reload();
    expect(expert.workingHours).toBeNull();
    expect(await ExpertAbsence.count({ where: { expertId: expert.id } })).toBe(0);
    expect(dmsTo(user)).toEqual([]);

    // Ten absences planned are as many as the form can list: an eleventh is refused, and hours with it are not stored.
    const planned = Array.from({ length: 10 }, (_, i) => {
      const day = addDays(today, 20 + i);
      return { expertId: expert.id, firstDay: day, lastDay: day, timeZone: 'Europe/Berlin', startsAt: new Date(`${day}T00:00:00Z`), endsAt: new Date(`${addDays(day, 1)}T00:00:00Z`) };
    });
    await ExpertAbsence.bulkCreate(planned);
    const full = await submit(user, view, state({ schedule: 'day', days: EVERY_DAY, start: '09:00', end: '17:00', first: addDays(today, 40), last: addDays(today, 41) }));
    expect(full).toEqual({ response_action: 'errors', errors: { absence_first: 'You already have 10 absences planned: remove one to add another.' } });
    await expert.reload();
    expect(expert.workingHours).toBeNull();
    expect(await ExpertAbsence.count({ where: { expertId: expert.id } })).toBe(10);
  }, 90_000);

  it('falls back to the zone last saved in when Slack is slow to say the time zone, and says so', async () => {
    const expert = await expertIn(BRISBANE);
    await expert.update({ workingHours: JSON.stringify({ timeZone: 'Asia/Tokyo', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }) });
    app.slack.http.inject('users.info', { kind: 'delay', ms: 2500 });
    const trigger = await hoursCommand(expert.slackUserId!);
    const view = await viewOpenedWith(trigger);
    // The modal opened before Slack's late answer about the user came in.
    const opened = app.slack.callsTo('views.open').find((c) => c.args.trigger_id === trigger)!.at;
    const slow = await waitFor(() => app.slack.callsTo('users.info').find((c) => c.args.user === expert.slackUserId), 'the slow users.info', 30_000);
    expect(opened.getTime()).toBeLessThan(slow.at.getTime());
    expect(JSON.parse(view.private_metadata!)).toEqual({ timeZone: 'Asia/Tokyo' });
    expect(JSON.stringify(view.blocks)).toContain('Slack did not tell Helpnet your time zone in time');
  }, 90_000);

  it('shows hours saved in another zone in the Slack time zone, and saving keeps them there', async () => {
    const expert = await expertIn(BRISBANE);
    await expert.update({ workingHours: JSON.stringify({ timeZone: 'Asia/Tokyo', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }) });
    const view = await viewOpenedWith(await hoursCommand(expert.slackUserId!));
    expect(JSON.parse(view.private_metadata!)).toEqual({ timeZone: BRISBANE });
    expect(JSON.stringify(view.blocks)).toContain('Your hours were saved in *Asia/Tokyo*; below they are in *Australia/Brisbane*');
    // Tokyo is an hour behind Brisbane.
    const block = (id: string) => view.blocks.find((b) => b.block_id === id)!;
    expect(block('start').element).toMatchObject({ initial_time: '10:00' });
    expect(block('end').element).toMatchObject({ initial_time: '18:00' });
    expect(await submit(expert.slackUserId!, view, state({ schedule: 'day', days: ['1', '2', '3', '4', '5'], start: '10:00', end: '18:00' }))).toBeUndefined();
    await expert.reload();
    expect(JSON.parse(expert.workingHours!)).toEqual({ timeZone: BRISBANE, days: [1, 2, 3, 4, 5], start: '10:00', end: '18:00' });
  }, 90_000);

  it('pages by the hours set in the modal, in the expert’s time zone: 08:00 in Brisbane yes, 23:00 no', async () => {
    const expert = await expertIn(BRISBANE);
    const view = await viewOpenedWith(await hoursCommand(expert.slackUserId!));
    expect(await submit(expert.slackUserId!, view, state({ schedule: 'day', days: EVERY_DAY, start: '07:00', end: '18:00' }))).toBeUndefined();

    // Today in UTC: 22:00 UTC the day before is 08:00 in Brisbane; 13:00 UTC is 23:00 there.
    const d = new Date();
    const eightInBrisbane = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - 1, 22, 0));
    const elevenInBrisbane = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 13, 0));
    expect(await pagedAt(expert, eightInBrisbane)).toBe(true);
    expect(await pagedAt(expert, elevenInBrisbane)).toBe(false);
    // The same hours read in UTC would be the other way round.
    await expert.update({ workingHours: JSON.stringify({ timeZone: 'UTC', days: [0, 1, 2, 3, 4, 5, 6], start: '07:00', end: '18:00' }) });
    expect(await pagedAt(expert, eightInBrisbane)).toBe(false);
    expect(await pagedAt(expert, elevenInBrisbane)).toBe(true);
  }, 90_000);

  it('an absence stops the pages from its first day; its end restores them; the absent expert can still book', async () => {
    const expert = await expertIn(BRISBANE);
    const user = expert.slackUserId!;
    const today = dayIn(BRISBANE, new Date());
    const view = await viewOpenedWith(await hoursCommand(user));
    expect(await submit(user, view, state({ schedule: 'any', first: today, last: addDays(today, 1) }))).toBeUndefined();
    const absence = await ExpertAbsence.findOne({ where: { expertId: expert.id }, rejectOnEmpty: true });

    expect(await pagedAt(expert)).toBe(false);
    expect(await pagedAt(expert, new Date(absence.endsAt.getTime() - 60_000))).toBe(false);
    expect(await pagedAt(expert, absence.endsAt)).toBe(true);
    expect(await pagedAt(expert, new Date(absence.startsAt.getTime() - 60_000))).toBe(true);

    // Away as they are, they may book from the channel.
    const ticket = await fileWidgetTicket(app.server.services);
    const before = answers(user).length;
    const res = await app.slackRequests.blockActions({ user_id: user, action_id: 'ticket.book', value: `HN-${ticket.id}`, channel_id: 'C0EXCH001' });
    expect(res.status).toBe(200);
    const answer = await waitFor(() => answers(user)[before], 'the answer to Book', 30_000);
    expect(String(answer.text)).toContain('You booked');
    await ticket.reload();
    expect(ticket).toMatchObject({ status: 'booked', expertId: expert.id });

    // Removed, the pages come back at once.
    const reopened = await viewOpenedWith(await hoursCommand(user));
    expect(await submit(user, reopened, state({ schedule: 'any', remove: [String(absence.id)] }))).toBeUndefined();
    expect(await pagedAt(expert)).toBe(true);
    expect(await Ticket.count({ where: { expertId: expert.id } })).toBe(1);
  }, 90_000);

  it('a checked-out expert can book from the channel too', async () => {
    const expert = await expertIn(BRISBANE);
    await expert.update({ checkedIn: false });
    const ticket = await fileWidgetTicket(app.server.services);
    expect(await SlackMessage.count({ where: { ticketId: ticket.id, purpose: 'page', expertId: expert.id } })).toBe(0);
    const before = answers(expert.slackUserId!).length;
    await app.slackRequests.blockActions({ user_id: expert.slackUserId!, action_id: 'ticket.book', value: `HN-${ticket.id}`, channel_id: 'C0EXCH001' });
    const answer = await waitFor(() => answers(expert.slackUserId!)[before], 'the answer to Book', 30_000);
    expect(String(answer.text)).toContain('You booked');
  }, 90_000);
});
