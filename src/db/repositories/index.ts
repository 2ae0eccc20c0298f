import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';
import { appSecretsRepository } from './app-secrets.ts';
import { customerAccountsRepository } from './customer-accounts.ts';
import { customersRepository } from './customers.ts';
import { expertsRepository } from './experts.ts';
import { expertAbsencesRepository } from './expert-absences.ts';
import { expertApplicationsRepository } from './expert-applications.ts';
import { expertApplicationDraftsRepository } from './expert-application-drafts.ts';
import { homeRepository } from './home.ts';
import { inboundEventsRepository } from './inbound-events.ts';
import { managerAlertsRepository } from './manager-alerts.ts';
import { deliveriesRepository } from './message-deliveries.ts';
import { slackMessagesRepository } from './slack-messages.ts';
import { ticketAliasesRepository } from './ticket-aliases.ts';
import { ticketMessagesRepository } from './ticket-messages.ts';
import { routingRepository } from './routing.ts';
import { moneyRepository } from './money.ts';
import { rankingRepository } from './ranking.ts';
import { statsRepository } from './stats.ts';
import { surveysRepository } from './surveys.ts';
import { ticketsRepository } from './tickets.ts';

/**
 * The SQL of the app, one repository per aggregate, each with named methods
 * (`db.experts.idsBySlackIds`, `db.deliveries.claimDue`, …). Nothing outside src/db/ (and
 * the job store) writes SQL: use cases and adapters call these. Hot paths use plain
 * statements through `Sql`; the rest may use the models.
 */
export function createRepositories(sql: Sql, models: Models) {
  return {
    appSecrets: appSecretsRepository(sql, models),
    accounts: customerAccountsRepository(sql, models),
    customers: customersRepository(sql, models),
    deliveries: deliveriesRepository(sql, models),
    experts: expertsRepository(sql, models),
    expertAbsences: expertAbsencesRepository(sql, models),
    expertApplications: expertApplicationsRepository(sql, models),
    expertApplicationDrafts: expertApplicationDraftsRepository(sql, models),
    home: homeRepository(sql, models),
    inboundEvents: inboundEventsRepository(sql, models),
    managerAlerts: managerAlertsRepository(sql, models),
    money: moneyRepository(sql, models),
    ranking: rankingRepository(sql, models),
    routing: routingRepository(sql, models),
    slackMessages: slackMessagesRepository(sql, models),
    stats: statsRepository(sql, models),
    surveys: surveysRepository(sql, models),
    ticketAliases: ticketAliasesRepository(sql, models),
    ticketMessages: ticketMessagesRepository(sql, models),
    tickets: ticketsRepository(sql, models),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
