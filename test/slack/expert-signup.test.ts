import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Category, Expert, ExpertApplication, ExpertSkill, Group, GroupMembership, SlackMessage, Ticket } from '../../src/db/models/index.ts';
import { applyAsExpert, type ApplicationInput } from '../../src/domain/experts/apply-as-expert.ts';
import { approveApplication } from '../../src/domain/experts/decide-application.ts';
import { approveExpert } from '../../src/domain/experts/approve-expert.ts';
import { OPERATOR_CLI } from '../../src/domain/ranking/reinstate-expert.ts';
import { rankLeaderboard } from '../../src/domain/home/leaderboard.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { fileWidgetTicket } from '../support/tickets.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

const MANAGER = 'U0MGR0001';
const OTHER_MANAGER = 'U0MGR0002';
const MANAGERS_CHANNEL = 'C0MGRS001';

type Values = Record<string, Record<string, unknown>>;

/** A complete, valid application form as Slack submits it; `over` replaces blocks (null removes one). */
function formValues(over: Record<string, string | null> = {}, levels: Record<string, string> = { 'ms-exchange': 'experienced', 'windows-nt': 'expert' }): Values {
  const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
  const fields: Record<string, string | null> = {
    name: 'Ada Applicant',
    email: 'Ada@Example.com',
    phone: '+41 44 123 45 67',
    yearsExperience: '12',
    summary: 'Twelve years of Exchange and Windows administration for mid-sized firms.',
    'referees.0.name': 'Rita Referee',
    'referees.0.contact': 'rita@example.com',
    'referees.1.name': 'Rob Referee',
    'referees.1.contact': '+41 44 765 43 21',
    ...over,
  };
  const values: Values = {};
  for (const [block, value] of Object.entries(fields)) values[block] = block === 'yearsExperience' ? { value: { type: 'number_input', value } } : text(value);
  for (const key of ['ms-exchange', 'windows-nt']) values[`categories.${key}`] = { value: { type: 'static_select', selected_option: levels[key] ? { value: levels[key] } : null } };
  return values;
}

describe(`Expert sign-up and vetting on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { MANAGER_SLACK_IDS: `${MANAGER},${OTHER_MANAGER}` } });
  }, 90_000);
  afterAll(async () => {
    await app?.close();
  });

  const answers = (user: string) => app.slack.responses().filter((r) => r.key.split('/')[0] === user);
  /** Waits for the next ephemeral answer to `user` after `before` answers. */
  const nextAnswer = (user: string, before: number) => waitFor(() => answers(user)[before], `answer ${before + 1} to ${user}`, 30_000);
  const submit = (user: string, values: Values) => app.slackRequests.viewSubmission({ user_id: user, callback_id: 'expert.signup', values });
  const managersMessage = (applicationId: number) => app.slack.messages.find((m) => m.channel === MANAGERS_CHANNEL && JSON.stringify(m.blocks ?? '').includes(`"action_id":"expert.approve","text":{"type":"plain_text","text":"Approve"},"style":"primary","value":"${applicationId}"`));
  const messageByTs = (ts: string) => app.slack.messages.find((m) => m.conversation === MANAGERS_CHANNEL && m.ts === ts)!;
  /** The blocks of the Homes Slack accepted for `user`, as JSON, in order. */
  const homesOf = (user: string) =>
    app.slack
      .callsTo('views.publish')
      .filter((c) => c.args.user_id === user && c.status === 200 && (c.response as { ok: boolean }).ok)
      .map((c) => JSON.stringify((c.args.view as { blocks: unknown }).blocks));
  const dmsTo = (user: string) => app.slack.messages.filter((m) => m.channel === user).map((m) => String(m.text));
  const applicationOf = async (user: string) => {
    const expert = await Expert.findOne({ where: { slackUserId: user }, rejectOnEmpty: true });
    return ExpertApplication.findOne({ where: { expertId: expert.id }, order: [['id', 'DESC']], rejectOnEmpty: true });
  };

  /** A click on the managers' message, with the state of its inputs as Slack sends it. */
  const click = async (user: string, actionId: 'expert.approve' | 'expert.reject', applicationId: number, state: { categories?: string[]; groups?: string[] } = {}, messageTs = '1700000000.000001') => {
    const values: Values = {};
    if (state.categories) values['application.categories'] = { 'expert.application.categories.0': { type: 'checkboxes', selected_options: state.categories.map((value) => ({ text: { type: 'plain_text', text: value }, value })) } };
    if (state.groups) values['application.groups'] = { 'expert.application.groups': { type: 'multi_static_select', selected_options: state.groups.map((value) => ({ text: { type: 'plain_text', text: value }, value })) } };
    const before = answers(user).length;
    const res = await app.slackRequests.interaction({
      type: 'block_actions',
      team: { id: 'T0HELPNET', domain: 'helpnet-test' },
      user: { id: user, username: 'someone', team_id: 'T0HELPNET' },
      api_app_id: 'A0HELPNET',
      trigger_id: `trigger.${Date.now()}`,
      container: { type: 'message', channel_id: MANAGERS_CHANNEL, message_ts: messageTs },
      channel: { id: MANAGERS_CHANNEL, name: 'helpnet-managers' },
      message: { ts: messageTs, type: 'message' },
      state: { values },
      response_url: app.slack.responseUrl(`${user}/${Date.now()}-${Math.random()}`),
      actions: [{ type: 'button', action_id: actionId, block_id: 'application.decision', value: String(applicationId), action_ts: `${Date.now() / 1000}` }],
    });
    expect(res.status).toBe(200);
    return { before };
  };
  const clickAndAnswer = async (...args: Parameters<typeof click>) => {
    const { before } = await click(...args);
    return (await nextAnswer(args[0], before)).text ?? '';
  };
  const book = async (user: string, ticketId: number) => {
    const before = answers(user).length;
    await app.slackRequests.blockActions({ user_id: user, action_id: 'ticket.book', value: `HN-${ticketId}`, channel_id: 'C0EXCH001' });
    return (await nextAnswer(user, before)).text ?? '';
  };

  it('/helpnet join → modal → inline errors → application → refused to a non-manager → a manager approves one of two categories → the expert books that one only', async () => {
    const applicant = 'U0APPL0001';
    // An expert already ranked: the leaderboard is kept, and must be ranked again for the new one to show.
    await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Ranked Before' });
    await rankLeaderboard(app.server.services);
    app.slack.addUser({ id: applicant, name: 'ada', real_name: 'Ada Lovelace', email: 'ada@example.com', phone: '+41 44 000 00 00' });

    // The modal, filled from the Slack profile.
    const res = await app.slackRequests.command({ user_id: applicant, text: 'join', trigger_id: 'trig.join.1' });
    expect(res.status).toBe(200);
    const opened = await waitFor(() => app.slack.callsTo('views.open').find((c) => c.args.trigger_id === 'trig.join.1'), 'views.open');
    const view = opened.args.view as { callback_id: string; blocks: { block_id: string; element?: { initial_value?: string } }[] };
    expect(view.callback_id).toBe('expert.signup');
    const initial = (block: string) => view.blocks.find((b) => b.block_id === block)?.element?.initial_value;
    expect([initial('name'), initial('email'), initial('phone')]).toEqual(['Ada Lovelace', 'ada@example.com', '+41 44 000 00 00']);
    expect(view.blocks.map((b) => b.block_id)).toEqual(expect.arrayContaining(['categories.ms-exchange', 'categories.windows-nt', 'referees.0.name', 'referees.1.contact', 'yearsExperience', 'summary']));

    // Bad input: every problem on its field, nothing stored.
    const bad = await submit(applicant, formValues({ name: '  ', email: 'not-an-email', phone: 'call me', yearsExperience: 'x', summary: 'short', 'referees.0.name': null }, {}));
    expect(bad.status).toBe(200);
    expect(bad.json).toMatchObject({ response_action: 'errors' });
    const errors = (bad.json as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors).sort()).toEqual(['categories.ms-exchange', 'email', 'name', 'phone', 'referees.0.name', 'summary', 'yearsExperience'].sort());
    expect(errors.email).toContain('valid email address');
    expect(errors['categories.ms-exchange']).toContain('at least one category');
    expect(await Expert.count({ where: { slackUserId: applicant } })).toBe(0);
    expect(await ExpertApplication.count()).toBe(0);

    // A good application: stored, the applicant told by DM, the managers shown it.
    const good = await submit(applicant, formValues());
    expect(good.status).toBe(200);
    expect(good.json).toBeUndefined();
    const application = await applicationOf(applicant);
    expect(application.status).toBe('pending');
    const expert = await Expert.findByPk(application.expertId, { rejectOnEmpty: true });
    expect([expert.name, expert.email, expert.phone, expert.checkedIn]).toEqual(['Ada Applicant', 'ada@example.com', '+41 44 123 45 67', false]);
    const dm = await waitFor(() => dmsTo(applicant).find((t) => t.includes('registration')), 'the DM to the applicant');
    expect(dm).toContain('qualifications before any ticket is assigned');
    const post = await waitFor(() => managersMessage(application.id), "the managers' message");
    const blocks = JSON.stringify(post.blocks);
    for (const shown of [`<@${applicant}>`, 'Ada Applicant', 'MS Exchange — Experienced', 'Windows NT — Expert', 'Rita Referee', 'expert.reject', '"initial_options"']) expect(blocks).toContain(shown);
    // The managers' Homes list the application; nobody else's Home is published for it.
    await waitFor(() => homesOf(MANAGER).some((h) => h.includes('Ada Applicant')) && homesOf(OTHER_MANAGER).some((h) => h.includes('Ada Applicant')), "the managers' Homes listing the application");
    expect(homesOf(applicant)).toHaveLength(0);

    // The applicant can neither book nor be paged.
    const exchangeTicket = await fileWidgetTicket(app.server.services);
    await waitFor(async () => (await SlackMessage.count({ where: { ticketId: exchangeTicket.id, purpose: 'dispatch', status: 'sent' } })) === 1, 'the dispatch post');
    expect((await SlackMessage.findAll({ where: { ticketId: exchangeTicket.id, purpose: 'page' } })).map((p) => p.expertId)).not.toContain(expert.id);
    expect(await book(applicant, exchangeTicket.id)).toContain('You are not approved for *MS Exchange* tickets');

    // Someone not a manager (the applicant themselves included) presses Approve: refused, nothing changes.
    for (const clicker of ['U0NOTMGR01', applicant]) {
      expect(await clickAndAnswer(clicker, 'expert.approve', application.id, { categories: ['ms-exchange', 'windows-nt'] }, post.ts)).toBe('Only Helpnet managers can approve or reject expert applications. Nothing was changed.');
    }
    await sleep(300);
    expect((await application.reload()).status).toBe('pending');
    expect(await ExpertSkill.count({ where: { expertId: expert.id, status: 'approved' } })).toBe(0);
    expect(messageByTs(post.ts).updates).toBe(0);
    expect(await book(applicant, exchangeTicket.id)).toContain('You are not approved');

    // A manager with nothing ticked: a clear error, nothing changes.
    expect(await clickAndAnswer(MANAGER, 'expert.approve', application.id, { categories: [] }, post.ts)).toBe('Tick at least one category to approve — or press Reject. Nothing was changed.');
    expect((await application.reload()).status).toBe('pending');

    // A manager approves MS Exchange only, paged in the Exchange first line only.
    const approved = await clickAndAnswer(MANAGER, 'expert.approve', application.id, { categories: ['ms-exchange'], groups: ['exchange-l1'] }, post.ts);
    expect(approved).toContain('You approved *Ada Applicant* for MS Exchange, paged in Exchange first line');
    expect((await application.reload()).toJSON()).toMatchObject({ status: 'approved', decidedBy: MANAGER, pendingExpertId: null });
    const skills = await ExpertSkill.findAll({ where: { expertId: expert.id }, include: [{ model: Category, as: 'category' }] });
    expect(Object.fromEntries(skills.map((s) => [(s as unknown as { category: Category }).category.key, s.status]))).toEqual({ 'ms-exchange': 'approved', 'windows-nt': 'rejected' });
    const groups = await GroupMembership.findAll({ where: { expertId: expert.id }, include: [{ model: Group, as: 'group' }] });
    expect(groups.map((g) => (g as unknown as { group: Group }).group.key)).toEqual(['exchange-l1']);
    expect((await expert.reload()).checkedIn).toBe(true);
    const welcome = await waitFor(() => dmsTo(applicant).find((t) => t.includes('Welcome to Helpnet')), 'the approval DM');
    expect(welcome).toContain('*MS Exchange*');
    expect(welcome).toContain('`/helpnet away`');
    // The new expert's Home is republished as an expert's, checked in.
    await waitFor(() => homesOf(applicant).some((h) => h.includes('"action_id":"expert.check_out"')), "the new expert's Home");
    // The experts are ranked again before the managers' Homes go out: she is on the leaderboard.
    await waitFor(() => homesOf(MANAGER).some((h) => /\*\d+\.\* \*Ada Applicant\*/.test(h)), "the managers' leaderboard with the new expert");
    const updated = await waitFor(() => (messageByTs(post.ts).updates === 1 ? messageByTs(post.ts) : undefined), "the managers' message updated");
    const updatedBlocks = JSON.stringify(updated.blocks);
    expect(updatedBlocks).toContain(`Approved by <@${MANAGER}>* for MS Exchange; in Exchange first line.`);
    expect(updatedBlocks).not.toContain('expert.approve');

    // The expert books the MS Exchange ticket, and is refused a Windows NT one.
    expect(await book(applicant, exchangeTicket.id)).toContain(`You booked *HN-${exchangeTicket.id}*`);
    const windowsTicket = await fileWidgetTicket(app.server.services, { categoryKey: 'windows-nt' });
    expect(await book(applicant, windowsTicket.id)).toContain('You are not approved for *Windows NT* tickets');
    expect((await Ticket.findByPk(windowsTicket.id, { rejectOnEmpty: true })).status).not.toBe('booked');

    // A second click, by another manager: already decided, by whom; nothing more happens.
    expect(await clickAndAnswer(OTHER_MANAGER, 'expert.approve', application.id, { categories: ['windows-nt'] }, post.ts)).toBe(`This application was already approved by <@${MANAGER}>. Nothing was changed.`);
    expect(await clickAndAnswer(OTHER_MANAGER, 'expert.reject', application.id, {}, post.ts)).toBe(`This application was already approved by <@${MANAGER}>. Nothing was changed.`);
    await sleep(300);
    expect(await ExpertSkill.count({ where: { expertId: expert.id, status: 'approved' } })).toBe(1);
    expect(messageByTs(post.ts).updates).toBe(1);
    expect(dmsTo(applicant).filter((t) => t.includes('Welcome to Helpnet'))).toHaveLength(1);
  }, 90_000);

  it('a manager rejects with a reason, entered in a modal: the applicant hears it escaped, the message says who', async () => {
    const applicant = 'U0APPL0002';
    expect((await submit(applicant, formValues({ name: 'Bea Applicant', email: 'bea@example.com' }))).json).toBeUndefined();
    const application = await applicationOf(applicant);
    const post = await waitFor(() => managersMessage(application.id), "the managers' message");

    // Not a manager: no modal.
    const opensBefore = app.slack.callsTo('views.open').length;
    expect(await clickAndAnswer('U0NOTMGR02', 'expert.reject', application.id, {}, post.ts)).toBe('Only Helpnet managers can approve or reject expert applications. Nothing was changed.');
    expect(app.slack.callsTo('views.open')).toHaveLength(opensBefore);

    await click(MANAGER, 'expert.reject', application.id, {}, post.ts);
    const modal = await waitFor(() => app.slack.callsTo('views.open')[opensBefore], 'the reject modal');
    const view = modal.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('expert.reject_reason');
    const reject = (user: string, reason: string) =>
      app.slackRequests.viewSubmission({ user_id: user, callback_id: 'expert.reject_reason', private_metadata: view.private_metadata, values: { reason: { value: { type: 'plain_text_input', value: reason } } } });

    // A reason too short, or someone not a manager submitting: shown on the field, nothing changes.
    expect((await reject(MANAGER, ' ')).json).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringContaining('Give a reason') } });
    expect((await reject('U0NOTMGR02', 'Because.')).json).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringContaining('Only Helpnet managers') } });
    expect((await application.reload()).status).toBe('pending');

    const done = await reject(MANAGER, 'Referees could not confirm <!channel> & the\u0000 Exchange years.');
    expect(done.json).toBeUndefined();
    expect((await application.reload()).toJSON()).toMatchObject({ status: 'rejected', decidedBy: MANAGER, rejectReason: 'Referees could not confirm <!channel> & the Exchange years.' });
    expect(await ExpertSkill.count({ where: { expertId: application.expertId, status: 'rejected' } })).toBe(2);
    const dm = await waitFor(() => dmsTo(applicant).find((t) => t.includes('not approved your application')), 'the rejection DM');
    expect(dm).toContain('> Referees could not confirm &lt;!channel&gt; &amp; the Exchange years.');
    const updated = await waitFor(() => (messageByTs(post.ts).updates === 1 ? messageByTs(post.ts) : undefined), "the managers' message updated");
    const blocks = JSON.stringify(updated.blocks);
    expect(blocks).toContain(`Rejected by <@${MANAGER}>*: Referees could not confirm &lt;!channel&gt; &amp; the Exchange years.`);
    expect(blocks).not.toContain('expert.reject');

    // Decided: a late submission of the same modal, or Approve, hears who decided.
    expect((await reject(OTHER_MANAGER, 'Something else.')).json).toMatchObject({ errors: { reason: `This application was already rejected by <@${MANAGER}>. Nothing was changed.` } });
    expect(await clickAndAnswer(OTHER_MANAGER, 'expert.approve', application.id, { categories: ['ms-exchange'] }, post.ts)).toContain('already rejected');
  }, 90_000);

  it('applying again while pending updates the application and the managers\' message: no second one', async () => {
    const applicant = 'U0APPL0003';
    expect((await submit(applicant, formValues({ name: 'Cy Applicant', email: 'cy@example.com' }))).json).toBeUndefined();
    const application = await applicationOf(applicant);
    const post = await waitFor(() => managersMessage(application.id), "the managers' message");

    // /helpnet join again opens the form with the pending application in it.
    await app.slackRequests.command({ user_id: applicant, text: 'JOIN', trigger_id: 'trig.join.3' });
    const opened = await waitFor(() => app.slack.callsTo('views.open').find((c) => c.args.trigger_id === 'trig.join.3'), 'views.open');
    expect(JSON.stringify(opened.args.view)).toContain('Twelve years of Exchange');

    const again = await submit(applicant, formValues({ name: 'Cy Applicant', email: 'cy@example.com', summary: 'Now only Windows NT, twenty years of it.', yearsExperience: '20' }, { 'ms-exchange': 'none', 'windows-nt': 'working' }));
    expect(again.json).toBeUndefined();
    expect(await ExpertApplication.count({ where: { expertId: application.expertId } })).toBe(1);
    expect((await application.reload()).toJSON()).toMatchObject({ status: 'pending', yearsExperience: 20, summary: 'Now only Windows NT, twenty years of it.' });
    const skills = await ExpertSkill.findAll({ where: { expertId: application.expertId } });
    expect(skills.map((s) => [s.status, s.level])).toEqual([['applied', 'working']]);
    await waitFor(() => dmsTo(applicant).find((t) => t.includes('pending application') && t.includes('updated')), 'the DM about the update');
    const updated = await waitFor(() => (messageByTs(post.ts).updates === 1 ? messageByTs(post.ts) : undefined), "the managers' message updated");
    expect(JSON.stringify(updated.blocks)).toContain('Windows NT — Working knowledge');
    expect(JSON.stringify(updated.blocks)).not.toContain('MS Exchange — ');
    expect(app.slack.messages.filter((m) => m.channel === MANAGERS_CHANNEL && JSON.stringify(m.blocks ?? '').includes('Cy Applicant'))).toHaveLength(1);
  }, 90_000);

  it("escapes hostile text in the managers' message and drops NUL", async () => {
    const applicant = 'U0APPL0004';
    const hostile = { name: '<!channel> & Co\u0000', summary: 'I am <@U0MGR0001> & <https://evil.example|click here>, really\u0000.', 'referees.0.name': '<!here>', 'referees.0.contact': 'a&b <b@example.com>' };
    expect((await submit(applicant, formValues({ ...hostile, email: 'dee@example.com' }))).json).toBeUndefined();
    const application = await applicationOf(applicant);
    const post = await waitFor(() => managersMessage(application.id), "the managers' message");
    const blocks = JSON.stringify(post.blocks);
    expect(blocks).toContain('&lt;!channel&gt; &amp; Co');
    expect(blocks).toContain('I am &lt;@U0MGR0001&gt; &amp; &lt;https://evil.example|click here&gt;, really.');
    expect(blocks).toContain('&lt;!here&gt; — a&amp;b &lt;b@example.com&gt;');
    expect(blocks).not.toMatch(/<!channel>|<!here>|<https:|\\u0000/);
    expect(String(post.text)).not.toContain('<!channel>');
    expect((await Expert.findByPk(application.expertId, { rejectOnEmpty: true })).name).toBe('<!channel> & Co');
  }, 90_000);

  it('the same use case takes a portal application by email (no DM); the preselected groups stand when the select was not touched; two managers at once approve once', async () => {
    const services = app.server.services;
    const portal: ApplicationInput = {
      name: 'Eve Portal',
      email: 'EVE@example.com',
      phone: '+1 555 010 0000',
      yearsExperience: 3,
      summary: 'Three years of Windows NT desktop support at a school.',
      referees: [
        { name: 'Ref One', contact: 'one@example.com' },
        { name: 'Ref Two', contact: 'two@example.com' },
      ],
      categories: [
        { key: 'ms-exchange', level: 'working' },
        { key: 'windows-nt', level: 'experienced' },
      ],
    };
    expect(await applyAsExpert(services, { ...portal, categories: [{ key: 'no-such', level: 'expert' }] })).toEqual({ outcome: 'invalid', errors: { categories: expect.stringContaining('no-such') } });
    const first = await applyAsExpert(services, portal);
    expect(first).toMatchObject({ outcome: 'applied' });
    const again = await applyAsExpert(services, { ...portal, email: 'eve@EXAMPLE.com', yearsExperience: 4 });
    expect(again).toMatchObject({ outcome: 'updated', expertId: (first as { expertId: number }).expertId, applicationId: (first as { applicationId: number }).applicationId });
    const { expertId, applicationId } = first as { expertId: number; applicationId: number };
    expect((await Expert.findByPk(expertId, { rejectOnEmpty: true })).slackUserId).toBeNull();
    await waitFor(() => managersMessage(applicationId), "the managers' message");

    // Two managers approve at the same moment: one decides, the other hears who did.
    const approve = (by: string) => approveApplication(services, { applicationId, by, managerSlackIds: [MANAGER, OTHER_MANAGER], categoryKeys: ['ms-exchange', 'windows-nt'] });
    const outcomes = await Promise.all([approve(MANAGER), approve(OTHER_MANAGER)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already', 'approved']);
    // The groups select untouched: the first tier of each applied category, as preselected.
    const groups = await GroupMembership.findAll({ where: { expertId }, include: [{ model: Group, as: 'group' }] });
    expect(groups.map((g) => (g as unknown as { group: Group }).group.key).sort()).toEqual(['exchange-l1', 'windows-l1']);
    expect(await ExpertSkill.count({ where: { expertId, status: 'approved' } })).toBe(2);
    expect((await Expert.findByPk(expertId, { rejectOnEmpty: true })).checkedIn).toBe(true);
    expect(await SlackMessage.count({ where: { expertId, purpose: 'notice' } })).toBe(0);

    // The same new applicant sending twice at once: one application, applied then updated.
    const twice = await Promise.all([applyAsExpert(services, { ...portal, slackUserId: 'U0APPL0006', email: 'fay@example.com' }), applyAsExpert(services, { ...portal, slackUserId: 'U0APPL0006', email: 'fay@example.com' })]);
    expect(twice.map((o) => o.outcome).sort()).toEqual(['applied', 'updated']);
    expect(await Expert.count({ where: { slackUserId: 'U0APPL0006' } })).toBe(1);
    expect(await ExpertApplication.count({ where: { expertId: (twice[0] as { expertId: number }).expertId } })).toBe(1);
  }, 90_000);

  it("an operator's approval from the command line decides a pending application too: the message shows it, the applicant is told", async () => {
    const applicant = 'U0APPL0007';
    expect((await submit(applicant, formValues({ name: 'Gus Applicant', email: 'gus@example.com' }))).json).toBeUndefined();
    const application = await applicationOf(applicant);
    const post = await waitFor(() => managersMessage(application.id), "the managers' message");

    expect(await approveExpert(app.server.services, { expertId: application.expertId, categoryKeys: ['windows-nt'] })).toMatchObject({ outcome: 'approved', newlyApproved: 1 });
    expect((await application.reload()).toJSON()).toMatchObject({ status: 'approved', decidedBy: OPERATOR_CLI });
    const skills = await ExpertSkill.findAll({ where: { expertId: application.expertId }, include: [{ model: Category, as: 'category' }] });
    expect(Object.fromEntries(skills.map((s) => [(s as unknown as { category: Category }).category.key, s.status]))).toEqual({ 'ms-exchange': 'rejected', 'windows-nt': 'approved' });
    const updated = await waitFor(() => (messageByTs(post.ts).updates === 1 ? messageByTs(post.ts) : undefined), "the managers' message updated");
    expect(JSON.stringify(updated.blocks)).not.toContain('expert.approve');
    const welcome = await waitFor(() => dmsTo(applicant).find((t) => t.includes('Welcome to Helpnet')), 'the approval DM');
    expect(welcome).toContain('*Windows NT*');
    // Not in a group yet (the command line approves categories only): told they are not paged.
    expect(welcome).toContain('You are in no expert group yet');
    // A second approval finds nothing waiting: no second DM.
    await approveExpert(app.server.services, { expertId: application.expertId, categoryKeys: ['ms-exchange'] });
    await sleep(300);
    expect(dmsTo(applicant).filter((t) => t.includes('Welcome to Helpnet'))).toHaveLength(1);
  }, 90_000);
});
