import { randomBytes } from 'node:crypto';
import type { CreationAttributes } from 'sequelize';
import { Category, Customer, Expert, ExpertSkill, Group, GroupMembership, Ticket, Tier } from '../../src/db/models/index.ts';
import type { SkillStatus } from '../../src/db/models/expert-skill.ts';

/**
 * Row factories. Each builds the parents it needs, so a test asks only for what it cares
 * about. They need a database whose models are bound (openDatabase or startTestApp).
 */

const unique = () => randomBytes(4).toString('hex');
const slackId = (prefix: string) => `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;

export async function createGroup(attrs: Partial<CreationAttributes<Group>> = {}): Promise<Group> {
  const key = attrs.key ?? `group-${unique()}`;
  return Group.create({ key, name: key, channelId: slackId('C'), pageTop: 3, ...attrs });
}

/** A category with one tier (on a new group unless `group` is given). */
export async function createCategory(attrs: Partial<CreationAttributes<Category>> & { group?: Group; timeoutMinutes?: number } = {}): Promise<Category> {
  const { group: givenGroup, timeoutMinutes, ...rest } = attrs;
  const key = rest.key ?? `category-${unique()}`;
  const category = await Category.create({ key, name: key, customerRate: 40, expertRate: 30, ...rest });
  const group = givenGroup ?? (await createGroup());
  await Tier.create({ categoryId: category.id, groupId: group.id, position: 1, timeoutMinutes: timeoutMinutes ?? 10 });
  return category;
}

export async function createExpert(attrs: Partial<CreationAttributes<Expert>> = {}): Promise<Expert> {
  return Expert.create({ slackUserId: slackId('U'), name: `Expert ${unique()}`, email: `expert-${unique()}@example.com`, ...attrs });
}

/** An expert's skill in a category (both made if not given), approved unless said otherwise. */
export async function createExpertSkill(attrs: { expert?: Expert; category?: Category; status?: SkillStatus } = {}): Promise<ExpertSkill> {
  const expert = attrs.expert ?? (await createExpert());
  const category = attrs.category ?? (await createCategory());
  return ExpertSkill.create({ expertId: expert.id, categoryId: category.id, status: attrs.status ?? 'approved' });
}

export async function createMembership(attrs: { expert?: Expert; group?: Group } = {}): Promise<GroupMembership> {
  const expert = attrs.expert ?? (await createExpert());
  const group = attrs.group ?? (await createGroup());
  return GroupMembership.create({ expertId: expert.id, groupId: group.id });
}

export async function createCustomer(attrs: Partial<CreationAttributes<Customer>> = {}): Promise<Customer> {
  const id = unique();
  return Customer.create({ name: `Customer ${id}`, email: `customer-${id}@example.com`, phone: '+1 555 0100', company: 'Acme', ...attrs });
}

export async function createTicket(attrs: Partial<CreationAttributes<Ticket>> & { category?: Category; customer?: Customer } = {}): Promise<Ticket> {
  const { category: givenCategory, customer: givenCustomer, ...rest } = attrs;
  const category = givenCategory ?? (await createCategory());
  const customer = givenCustomer ?? (await createCustomer());
  return Ticket.create({
    categoryId: category.id,
    customerId: customer.id,
    source: 'widget',
    externalId: unique(),
    description: 'Outlook cannot connect to the Exchange server since this morning.',
    ...rest,
  });
}
