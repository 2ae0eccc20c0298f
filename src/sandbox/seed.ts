import type { DomainContext } from '../domain/domain-context.ts';
import { bookTicket } from '../domain/booking/book-ticket.ts';
import { resolveTicket } from '../domain/booking/resolve-ticket.ts';
import { importExperts } from '../domain/experts/import-experts.ts';
import { answerSurvey } from '../domain/surveys/answer-survey.ts';
import { createTicket } from '../domain/tickets/create-ticket.ts';
import type { Logger } from '../lib/logger.ts';
import type { SandboxStore } from '../db/repositories/sandbox-store.ts';

/**
 * The sandbox's demo workspace, made on its first start (when Helpnet has no experts yet):
 * a channel per group, a dozen experts across the categories (through the same import the
 * `helpnet import-experts` command uses), the manager, a newcomer who has not applied yet,
 * and closed tickets with answered surveys (filed, booked, resolved and answered through the
 * same use cases as real ones) so scores, the leaderboard and the statistics have something
 * to show. Running it again changes nothing.
 */

interface SeedExpert {
  id: string;
  name: string;
  tz: string;
  categories: string[];
  groups: string[];
  /** Survey answers (timeliness = helpfulness) for the closed tickets this expert gets. */
  ratings: number[];
}

const EXPERTS: SeedExpert[] = [
  { id: 'U0SBXE001', name: 'Ada Okafor', tz: 'Europe/London', categories: ['ms-exchange'], groups: ['exchange-l1'], ratings: [5, 5, 4] },
  { id: 'U0SBXE002', name: 'Bruno Costa', tz: 'Europe/Lisbon', categories: ['ms-exchange'], groups: ['exchange-l1'], ratings: [3] },
  { id: 'U0SBXE003', name: 'Chen Wei', tz: 'Asia/Singapore', categories: ['ms-exchange', 'windows-nt'], groups: ['messaging-l2', 'infra-l2'], ratings: [4, 5] },
  { id: 'U0SBXE004', name: 'Dana Levi', tz: 'Asia/Jerusalem', categories: ['ms-exchange'], groups: ['messaging-l2'], ratings: [] },
  { id: 'U0SBXE005', name: 'Emil Novak', tz: 'Europe/Prague', categories: ['windows-nt'], groups: ['windows-l1'], ratings: [2, 3] },
  { id: 'U0SBXE006', name: 'Fatima Haddad', tz: 'Africa/Casablanca', categories: ['windows-nt'], groups: ['windows-l1'], ratings: [5] },
  { id: 'U0SBXE007', name: 'Gus Lindqvist', tz: 'Europe/Stockholm', categories: ['windows-nt', 'networking'], groups: ['infra-l2'], ratings: [4] },
  { id: 'U0SBXE008', name: 'Hana Sato', tz: 'Asia/Tokyo', categories: ['networking'], groups: ['network-l1'], ratings: [5, 4] },
  { id: 'U0SBXE009', name: 'Ivan Petrov', tz: 'Europe/Sofia', categories: ['networking'], groups: ['network-l1'], ratings: [1] },
  { id: 'U0SBXE010', name: 'Julia Mendes', tz: 'America/Sao_Paulo', categories: ['networking', 'ms-exchange'], groups: ['infra-l2', 'messaging-l2'], ratings: [] },
  { id: 'U0SBXE011', name: 'Kofi Mensah', tz: 'Africa/Accra', categories: ['windows-nt'], groups: ['windows-l1'], ratings: [] },
  { id: 'U0SBXE012', name: 'Lena Fischer', tz: 'America/New_York', categories: ['ms-exchange', 'networking'], groups: ['exchange-l1', 'network-l1'], ratings: [4] },
];

export const SANDBOX_NEWCOMER = { id: 'U0SBXNEW1', name: 'Nora Newcomer (not an expert yet)', tz: 'Europe/Dublin' };

const PROBLEMS: Record<string, string[]> = {
  'ms-exchange': ['Outlook keeps asking for my password since the upgrade.', 'Shared mailbox does not show up for the new hire.', 'Out-of-office replies go to external senders twice.'],
  'windows-nt': ['The file server share is read-only for the finance group.', 'A workstation blue-screens after the driver update.'],
  networking: ['VPN drops every twenty minutes from the branch office.', 'Printers on the second floor cannot be reached.'],
};

export async function seedSandbox(ctx: DomainContext & { logger: Logger }, store: SandboxStore, managerSlackIds: readonly string[]): Promise<void> {
  const { Category, Group, Expert } = ctx.db.models;
  // Channels and people in the stand-in follow the routing file on every start.
  const groups = await Group.findAll();
  for (const g of groups) await store.addChannel(g.channelId, g.name || g.key);
  await store.addChannel(ctx.routing.managersChannel, 'helpnet-managers');
  for (const [i, id] of managerSlackIds.entries()) await store.addUser({ slackId: id, name: i === 0 ? 'Maya Manager' : `Manager ${i + 1}`, tz: 'Europe/Berlin', isManager: true });
  await store.addUser({ slackId: SANDBOX_NEWCOMER.id, name: SANDBOX_NEWCOMER.name, tz: SANDBOX_NEWCOMER.tz, isManager: false });

  if ((await Expert.count()) > 0) return;
  const categoryKeys = new Set((await Category.findAll()).map((c) => c.key));
  const groupKeys = new Set(groups.map((g) => g.key));
  // A routing file of one's own (ROUTING_FILE) may name other categories: each expert keeps those that exist.
  const experts = EXPERTS.map((e) => ({ ...e, categories: e.categories.filter((k) => categoryKeys.has(k)), groups: e.groups.filter((k) => groupKeys.has(k)) })).filter((e) => e.categories.length > 0);
  for (const e of experts) await store.addUser({ slackId: e.id, name: e.name, tz: e.tz, isManager: false });
  const imported = await importExperts(ctx, experts.map((e, i) => ({ line: i + 1, record: { slack_user_id: e.id, name: e.name, categories: e.categories.join(';'), groups: e.groups.join(';'), checked_in: 'true' } })));
  if (imported.errors.length > 0) {
    ctx.logger.warn({ errors: imported.errors }, 'sandbox: the demo experts could not be imported');
    return;
  }
  let closed = 0;
  for (const e of experts) {
    for (const [n, rating] of e.ratings.entries()) if (await closedTicket(ctx, e, n, rating)) closed += 1;
  }
  ctx.logger.info({ experts: experts.length, closedTickets: closed }, 'sandbox: demo workspace seeded');
}

/** One ticket through its whole life: filed, booked by `e`, resolved, and its survey answered with `rating`. */
async function closedTicket(ctx: DomainContext & { logger: Logger }, e: SeedExpert, n: number, rating: number): Promise<boolean> {
  const { Category, Expert, Survey } = ctx.db.models;
  const categoryKey = e.categories[n % e.categories.length]!;
  const category = await Category.findOne({ where: { key: categoryKey } });
  const expert = await Expert.findOne({ where: { slackUserId: e.id } });
  if (!category || !expert) return false;
  const problems = PROBLEMS[categoryKey] ?? ['Something stopped working.'];
  const { ticket } = await createTicket(ctx, {
    source: 'widget',
    externalId: `sandbox-seed-${e.id}-${n}`,
    categoryId: category.id,
    description: problems[n % problems.length]!,
    customer: { name: `Demo Customer ${e.id.slice(-2)}${n}`, email: `demo.${e.id.toLowerCase()}.${n}@customer.example` },
  });
  const booked = await bookTicket(ctx, { ticketId: ticket.id, expertId: expert.id });
  const resolved = booked === 'booked' ? await resolveTicket(ctx, { ticketId: ticket.id, expertId: expert.id, notes: 'Fixed during the demo.' }) : booked;
  const survey = resolved === 'resolved' ? await Survey.findOne({ where: { ticketId: ticket.id } }) : null;
  if (!survey) {
    ctx.logger.warn({ ticketId: ticket.id, booked, resolved }, 'sandbox: a demo ticket could not be closed');
    return false;
  }
  const answered = await answerSurvey(ctx, ctx.surveyLinks.tokenFor(survey.tokenSalt), { solved: rating >= 2, timeliness: rating, helpfulness: rating, comment: null });
  return answered.outcome === 'answered';
}
