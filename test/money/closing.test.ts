import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Survey, Ticket } from '../../src/db/models/index.ts';
import { bookTicket } from '../../src/domain/booking/book-ticket.ts';
import { resolveTicket } from '../../src/domain/booking/resolve-ticket.ts';
import { answerSurvey } from '../../src/domain/surveys/answer-survey.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';
import { fileWidgetTicket } from '../support/tickets.ts';

/** Money written when a ticket closes, through the real path: booked, resolved, survey answered. */
describe(`closing money (${TEST_ENGINE})`, { timeout: 90_000 }, () => {
  let app: TestApp;
  beforeAll(async () => {
    const routing = testRouting();
    // 19.99 to the expert, so the top band's 1.25 makes 24.9875: rounded to 24.99.
    routing.categories[0]!.rates = { customer: 39.99, expert: 19.99 };
    app = await startTestApp({ routing: { ...routing, fees: { topBandFrom: 4.5, topBandMultiplier: 1.25 } } });
  });
  afterAll(() => app.close());

  const closeWith = async (o: { solved: boolean; score?: number }) => {
    const services = app.server.services;
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', o.score === undefined ? {} : { score: o.score });
    const ticket = await fileWidgetTicket(services, { customer: { name: 'Carol Customer', email: `carol.${expert.id}@customer.example` } });
    expect(await bookTicket(services, { ticketId: ticket.id, expertId: expert.id })).toBe('booked');
    expect(await resolveTicket(services, { ticketId: ticket.id, expertId: expert.id, notes: 'Reset the profile.' })).toBe('resolved');
    const survey = await Survey.findOne({ where: { ticketId: ticket.id }, rejectOnEmpty: true });
    const token = services.surveyLinks.tokenFor(survey.tokenSalt);
    const answered = await answerSurvey(services, token, { solved: o.solved, timeliness: 5, helpfulness: 5, comment: null });
    expect(answered.outcome).toBe('answered');
    const closed = await Ticket.findByPk(ticket.id, { rejectOnEmpty: true });
    expect(closed.status).toBe('closed');
    return { expert, ticket: closed, fee: await services.db.money.feeOfTicket(ticket.id), billing: await services.db.money.billingOfTicket(ticket.id) };
  };

  it('bills the customer the category rate and pays nothing for an unsolved ticket', async () => {
    const { expert, ticket, fee, billing } = await closeWith({ solved: false });
    expect(billing).toMatchObject({ ticketId: ticket.id, customerId: ticket.customerId, categoryId: ticket.categoryId, amountMinor: 3999, currency: 'USD' });
    expect(fee).toMatchObject({ expertId: expert.id, kind: 'fee', solved: false, multiplier: 0, amountMinor: 0, currency: 'USD', statementId: null });
  });

  it('pays the expert rate for a solved ticket', async () => {
    const { fee, billing } = await closeWith({ solved: true, score: 3 });
    expect(fee).toMatchObject({ solved: true, multiplier: 1, amountMinor: 1999 });
    expect(billing!.amountMinor).toBe(3999);
  });

  it('pays the top band’s multiplier to an expert scoring at least topBandFrom, rounded to a cent', async () => {
    const { fee } = await closeWith({ solved: true, score: 4.9 });
    expect(fee).toMatchObject({ solved: true, multiplier: 1.25, amountMinor: 2499 });
    expect(Number.isInteger(fee!.amountMinor)).toBe(true);
  });
});
