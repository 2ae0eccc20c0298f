import type { Sequelize } from 'sequelize';
import { Category } from './category.ts';
import { Customer } from './customer.ts';
import { ExpertSkill } from './expert-skill.ts';
import { Expert } from './expert.ts';
import { GroupMembership } from './group-membership.ts';
import { Group } from './group.ts';
import { Ticket } from './ticket.ts';
import { Tier } from './tier.ts';
import { TicketAlias } from './ticket-alias.ts';
import { SlackMessage } from './slack-message.ts';
import { InboundEvent } from './inbound-event.ts';
import { TicketMessage } from './ticket-message.ts';
import { MessageDelivery } from './message-delivery.ts';
import { ManagerAlert } from './manager-alert.ts';

/** Every model, bound (see initModels). */
export type Models = ReturnType<typeof initModels>;

export { Category, Customer, Expert, ExpertSkill, Group, GroupMembership, InboundEvent, ManagerAlert, MessageDelivery, SlackMessage, Ticket, TicketAlias, TicketMessage, Tier };

/**
 * Binds every model to a Sequelize instance and declares associations. Models are
 * module-level classes, so one process serves one database at a time (tests use one
 * database per test file, each in its own worker).
 */
export function initModels(sequelize: Sequelize) {
  for (const m of [Group, Category, Tier, Expert, ExpertSkill, GroupMembership, Customer, Ticket, TicketAlias, SlackMessage, InboundEvent, TicketMessage, MessageDelivery, ManagerAlert]) m.initModel(sequelize);

  Category.hasMany(Tier, { as: 'tiers', foreignKey: 'categoryId' });
  Tier.belongsTo(Category, { as: 'category', foreignKey: 'categoryId' });
  Tier.belongsTo(Group, { as: 'group', foreignKey: 'groupId' });
  Group.hasMany(Tier, { as: 'tiers', foreignKey: 'groupId' });

  Expert.hasMany(ExpertSkill, { as: 'skills', foreignKey: 'expertId' });
  ExpertSkill.belongsTo(Expert, { as: 'expert', foreignKey: 'expertId' });
  ExpertSkill.belongsTo(Category, { as: 'category', foreignKey: 'categoryId' });

  Group.hasMany(GroupMembership, { as: 'memberships', foreignKey: 'groupId' });
  Expert.hasMany(GroupMembership, { as: 'memberships', foreignKey: 'expertId' });
  GroupMembership.belongsTo(Group, { as: 'group', foreignKey: 'groupId' });
  GroupMembership.belongsTo(Expert, { as: 'expert', foreignKey: 'expertId' });

  Ticket.belongsTo(Category, { as: 'category', foreignKey: 'categoryId' });
  Ticket.belongsTo(Customer, { as: 'customer', foreignKey: 'customerId' });
  Customer.hasMany(Ticket, { as: 'tickets', foreignKey: 'customerId' });
  Category.hasMany(Ticket, { as: 'tickets', foreignKey: 'categoryId' });

  Ticket.hasMany(TicketAlias, { as: 'aliases', foreignKey: 'ticketId' });
  TicketAlias.belongsTo(Ticket, { as: 'ticket', foreignKey: 'ticketId' });
  TicketAlias.belongsTo(Expert, { as: 'expert', foreignKey: 'expertId' });
  Ticket.hasMany(SlackMessage, { as: 'slackMessages', foreignKey: 'ticketId' });
  SlackMessage.belongsTo(Ticket, { as: 'ticket', foreignKey: 'ticketId' });
  SlackMessage.belongsTo(Expert, { as: 'expert', foreignKey: 'expertId' });

  Ticket.hasMany(TicketMessage, { as: 'messages', foreignKey: 'ticketId' });
  TicketMessage.belongsTo(Ticket, { as: 'ticket', foreignKey: 'ticketId' });
  TicketMessage.belongsTo(Expert, { as: 'expert', foreignKey: 'expertId' });
  TicketMessage.hasMany(MessageDelivery, { as: 'deliveries', foreignKey: 'messageId' });
  MessageDelivery.belongsTo(TicketMessage, { as: 'message', foreignKey: 'messageId' });
  MessageDelivery.belongsTo(Ticket, { as: 'ticket', foreignKey: 'ticketId' });
  SlackMessage.belongsTo(SlackMessage, { as: 'parent', foreignKey: 'threadOf' });
  SlackMessage.belongsTo(TicketMessage, { as: 'ticketMessage', foreignKey: 'ticketMessageId' });

  return { Group, Category, Tier, Expert, ExpertSkill, GroupMembership, Customer, Ticket, TicketAlias, SlackMessage, InboundEvent, TicketMessage, MessageDelivery, ManagerAlert };
}
