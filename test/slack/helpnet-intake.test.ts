import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';

const REQUESTER = 'U0REQUEST1';

describe(`/helpnet intake on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    app.slack.addUser({ id: REQUESTER, name: 'rita', real_name: 'Rita Requester', email: 'rita.requester@example.com' });
  });
  afterAll(async () => {
    await app.close();
  });

  const submit = (values: { category?: string; description?: string; urgency?: string }, viewId = 'V0TICKET01') =>
    app.slackRequests.viewSubmission({
      user_id: REQUESTER,
      callback_id: 'ticket.create',
      view_id: viewId,
      values: {
        category: { value: { type: 'static_select', selected_option: values.category ? { value: values.category } : null } },
        description: { value: { type: 'plain_text_input', value: values.description ?? null } },
        urgency: { value: { type: 'static_select', selected_option: { value: values.urgency ?? 'normal' } } },
      },
    });

  it('opens the ticket.create modal with the active categories', async () => {
    const res = await app.slackRequests.command({ user_id: REQUESTER, text: '', trigger_id: 'trig.1' });
    expect(res.status).toBe(200);
    const open = await waitFor(() => app.slack.callsTo('views.open')[0], 'views.open');
    const view = open.args.view as { callback_id: string; blocks: { block_id: string; element: { options?: { value: string }[] } }[] };
    expect(open.args.trigger_id).toBe('trig.1');
    expect(view.callback_id).toBe('ticket.create');
    expect(view.blocks.find((b) => b.block_id === 'category')!.element.options!.map((o) => o.value).sort()).toEqual(['ms-exchange', 'windows-nt']);
  });

  it('shows errors on the fields of an invalid submission, then files a valid one and confirms it by DM', async () => {
    const bad = await submit({ description: 'too short' });
    expect(bad.status).toBe(200);
    expect(bad.json).toEqual({
      response_action: 'errors',
      errors: { category: 'Choose a category.', description: 'Please write at least 10 characters, so an expert can help.' },
    });
    const unknown = await submit({ category: 'printers', description: 'The printer on floor 3 eats paper.' });
    expect(unknown.json).toMatchObject({ response_action: 'errors', errors: { category: expect.stringContaining('no longer offered') } });
    expect(await app.server.db.models.Ticket.count({ where: { source: 'slack' } })).toBe(0);

    const good = await submit({ category: 'ms-exchange', description: 'Outlook on my laptop says the server is unavailable.', urgency: 'high' });
    expect(good.status).toBe(200);
    expect(good.text).toBe('');
    const ticket = await waitFor(() => app.server.db.models.Ticket.findOne({ where: { source: 'slack', externalId: 'V0TICKET01' } }), 'the ticket');
    expect(ticket.urgency).toBe('high');
    await waitFor(() => app.slack.callsTo('chat.postMessage').some((c) => c.args.channel === 'C0EXCH001'), 'the channel post');
    const dm = await waitFor(() => app.slack.callsTo('chat.postMessage').find((c) => c.args.channel === REQUESTER && c.status === 200), 'the DM');
    expect(JSON.stringify(dm.args.blocks)).toContain(`HN-${ticket.id}`);
    // Slack retrying the same submission files nothing new.
    await submit({ category: 'ms-exchange', description: 'Outlook on my laptop says the server is unavailable.' }, 'V0TICKET01');
    expect(await app.server.db.models.Ticket.count({ where: { source: 'slack' } })).toBe(1);
    // The requester's name and email never reach a Slack message.
    const posted = app.slack.callsTo('chat.postMessage').map((c) => c.rawBody).join('\n');
    expect(posted).not.toContain('Rita');
    expect(posted).not.toContain('rita.requester');
  });

  it('/helpnet status lists the requester’s open tickets', async () => {
    const res = await app.slackRequests.command({ user_id: REQUESTER, text: 'status' });
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    expect(res.text).toMatch(/HN-\d+/);
    expect(res.text).toContain('MS Exchange');
    const nobody = await app.slackRequests.command({ user_id: 'U0NOBODY01', text: 'status' });
    expect(nobody.text).toContain('You have no open tickets');
  });

  it('opens the ticket.create modal for /helpnet help too; the modal mentions /helpnet status', async () => {
    for (const text of ['help', 'HELP ', ' help me']) {
      const trigger = `trig.help.${text.trim()}`;
      const res = await app.slackRequests.command({ user_id: REQUESTER, text, trigger_id: trigger });
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      const open = await waitFor(() => app.slack.callsTo('views.open').find((c) => c.args.trigger_id === trigger), `views.open for "${text}"`);
      const view = open.args.view as { callback_id: string; blocks: { block_id: string; element?: { options?: { value: string }[] } }[] };
      expect(view.callback_id).toBe('ticket.create');
      expect(view.blocks.find((b) => b.block_id === 'category')!.element!.options!.map((o) => o.value).sort()).toEqual(['ms-exchange', 'windows-nt']);
      expect(JSON.stringify(view.blocks)).toContain('/helpnet status');
    }
  });

  it('answers unknown sub-commands with usage help', async () => {
    const opened = app.slack.callsTo('views.open').length;
    const unknown = await app.slackRequests.command({ user_id: REQUESTER, text: '<!channel> please' });
    expect(unknown.text).toContain('I do not know');
    expect(unknown.text).toContain('&lt;!channel&gt;');
    expect(unknown.text).toContain('/helpnet status');
    expect(unknown.text).toContain('/helpnet help');
    expect(app.slack.callsTo('views.open')).toHaveLength(opened);
  });
});
