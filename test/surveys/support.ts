import { Category, Ticket, type Expert } from '../../src/db/models/index.ts';
import { createTicket } from '../../src/domain/tickets/create-ticket.ts';
import { bookedZendeskTicket, helpnetComments, slackPeople } from '../relay/support.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import type { FakeSmtp } from '../support/fake-smtp.ts';
import type { PostedMessage } from '../support/fake-slack.ts';
import type { TestApp } from '../support/start-test-app.ts';
import { testRouting } from '../support/test-routing.ts';
import { waitFor } from '../support/wait-for.ts';

/** Where survey links point in these tests (fixed, so a restart on another port keeps them). */
export const PUBLIC_URL = 'https://help.example.test';

/** The survey tokens in a text, in order of appearance. */
export function surveyTokens(text: string): string[] {
  return [...text.matchAll(/https:\/\/help\.example\.test\/survey\/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g)].map((m) => m[1]!);
}

/** The test routing with the survey's timeline and ranking settings given. */
export function surveyRouting(survey: Record<string, unknown> = {}, ranking: Record<string, unknown> = {}) {
  return { ...testRouting(), survey: { defaults: { solved: true, timeliness: 4, helpfulness: 2 }, ...survey }, ranking: { defaultedWeight: 0.25, ...ranking } };
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter += 1)}`;

export type Channel = 'zendesk' | 'slack' | 'widget';

/** A booked ticket of one source, and how to read what its customer was shown. */
export interface BookedTicket {
  channel: Channel;
  ticket: Ticket;
  expert: Expert;
  expertThread: PostedMessage;
  /** Every text the customer has been shown so far on their channel(s), oldest first, per channel. */
  shown(): Promise<Record<string, string[]>>;
}

/** Files a ticket from each source as customers do, and has a new expert book it. */
export function ticketDesk(app: TestApp, smtp: FakeSmtp) {
  const people = slackPeople(app);

  async function zendesk(): Promise<BookedTicket> {
    const id = unique();
    const { expert, zd, ticket, thread } = await bookedZendeskTicket(app, people, {
      description: `Shared calendar ${id} shows nothing.`,
      requester: { name: 'Zora Zendesk', email: `zora.${id}@customer.example` },
      expert: { name: `Ezra Expert ${id}`, email: `ezra.${id}@experts.example` },
    });
    return { channel: 'zendesk', ticket, expert, expertThread: thread, shown: async () => ({ zendesk: helpnetComments(app, zd.id).map((c) => c.body) }) };
  }

  async function slack(): Promise<BookedTicket> {
    const id = unique();
    const requester = `U0REQ${id.toUpperCase()}`.slice(0, 16);
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: `Sasha Expert ${id}`, email: `sasha.${id}@experts.example` });
    const category = await Category.findOne({ where: { key: 'ms-exchange' }, rejectOnEmpty: true });
    const { ticket } = await createTicket(app.server.services, { source: 'slack', externalId: `V-survey-${id}`, categoryId: category.id, description: 'The room list is empty.', customer: { slackUserId: requester, name: 'Rhea Requester' } });
    const requesterThread = await people.requesterThread(requester, ticket.id);
    await people.book(expert, ticket.id);
    const expertThread = await people.expertThread(expert, ticket.id);
    await waitFor(() => people.replies(requesterThread).some((m) => m.text?.includes('has taken your ticket')), 'the requester told of the booking');
    return {
      channel: 'slack',
      ticket,
      expert,
      expertThread,
      // What Slack shows in the requester's DM thread: the text of each reply, as last updated.
      shown: async () => ({ slack: people.replies(requesterThread).map((m) => `${m.text ?? ''}`) }),
    };
  }

  async function widget(): Promise<BookedTicket> {
    const id = unique();
    const email = `wanda.${id}@customer.example`;
    const res = await fetch(`${app.url}/api/widget/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.77.${counter % 250}.${(counter * 7) % 250}` },
      body: JSON.stringify({ name: 'Wanda Widget', email, category: 'ms-exchange', description: `Autodiscover ${id} fails.` }),
    });
    if (res.status !== 201) throw new Error(`widget filing answered ${res.status}: ${await res.text()}`);
    const filed = (await res.json()) as { ticket: string; token: string };
    const ticket = await Ticket.findByPk(Number(filed.ticket.slice(3)), { rejectOnEmpty: true });
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: `Willa Expert ${id}`, email: `willa.${id}@experts.example` });
    await people.book(expert, ticket.id);
    const expertThread = await people.expertThread(expert, ticket.id);
    const mails = () => smtp.mails.filter((m) => m.to.includes(email));
    await waitFor(() => mails().some((m) => m.text.includes('has taken your ticket')), 'the widget customer emailed about the booking');
    return {
      channel: 'widget',
      ticket,
      expert,
      expertThread,
      shown: async () => {
        const list = await fetch(`${app.url}/api/widget/tickets/${filed.ticket}/messages`, { headers: { authorization: `Bearer ${filed.token}`, 'x-forwarded-for': '10.78.0.1' } });
        if (list.status !== 200) throw new Error(`the widget's messages answered ${list.status}: ${await list.text()}`);
        const json = (await list.json()) as { messages: { text: string }[] };
        return { widget: json.messages.map((m) => m.text), email: mails().map((m) => m.text) };
      },
    };
  }

  /** The expert resolves through the Resolve modal, as Slack submits it. */
  async function resolve(expert: Pick<Expert, 'slackUserId'>, ticketId: number, notes = 'Rebuilt the profile; works again.') {
    return app.slackRequests.viewSubmission({ user_id: expert.slackUserId!, callback_id: 'ticket.resolve', private_metadata: `HN-${ticketId}`, values: { notes: { value: { type: 'plain_text_input', value: notes } } } });
  }

  return { people, zendesk, slack, widget, resolve, file: (channel: Channel) => ({ zendesk, slack, widget })[channel]() };
}

/** Every row of every table, as text (to search for what must never be stored). */
export async function wholeDatabase(app: TestApp): Promise<string> {
  const sequelize = app.server.db.sequelize;
  const tables = (await sequelize.getQueryInterface().showAllTables()).map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName));
  const dump: string[] = [];
  for (const table of tables) {
    const [rows] = await sequelize.query(`SELECT * FROM ${sequelize.getQueryInterface().quoteIdentifier(table)}`);
    dump.push(`${table}: ${JSON.stringify(rows, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('utf8') : v))}`);
  }
  return dump.join('\n');
}
