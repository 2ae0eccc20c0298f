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
import { Survey } from './survey.ts';
import { RankingSum } from './ranking-sum.ts';
import { BillingEntry } from './billing-entry.ts';
import { ExpertFee } from './expert-fee.ts';
import { Statement } from './statement.ts';
import { AppSecret } from './app-secret.ts';
import { ExpertAbsence } from './expert-absence.ts';
import { ExpertApplication } from './expert-application.ts';
import { CustomerAccount } from './customer-account.ts';
import { PortalSession } from './portal-session.ts';
import { ExpertApplicationDraft } from './expert-application-draft.ts';

/** Every model, bound (see initModels). */
export type Models = ReturnType<typeof initModels>;

export { ExpertAbsence };
export { AppSecret, BillingEntry, Category, Customer, Expert, ExpertSkill, Group, GroupMembership, InboundEvent, ManagerAlert, MessageDelivery, SlackMessage, ExpertFee, RankingSum, Statement, Survey, Ticket, TicketAlias, TicketMessage, Tier };
export { ExpertApplication };
export { CustomerAccount, PortalSession };
export { ExpertApplicationDraft };

/**
 * Binds every model to a Sequelize instance and declares associations. Models are
 * module-level classes, so one process serves one database at a time (tests use one
 * database per test file, each in its own worker).
 */
export function initModels(sequelize: Sequelize) {
  for (const m of [Group, Category, Tier, Expert, ExpertSkill, GroupMembership, Customer, Ticket, TicketAlias, SlackMessage, InboundEvent, TicketMessage, MessageDelivery, ManagerAlert, Survey, RankingSum, BillingEntry, ExpertFee, Statement, AppSecret]) m.initModel(sequelize);
  ExpertAbsence.initModel(sequelize);
  ExpertApplication.initModel(sequelize);
  CustomerAccount.initModel(sequelize);
  PortalSession.initModel(sequelize);
  ExpertApplicationDraft.initModel(sequelize);

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

  Ticket.hasOne(Survey, { as: 'survey', foreignKey: 'ticketId' });
  Survey.belongsTo(Ticket, { as: 'ticket', foreignKey: 'ticketId' });
  Survey.belongsTo(Expert, { as: 'expert', foreignKey: 'expertId' });
  Survey.belongsTo(Category, { as: 'category', foreignKey: 'categoryId' });
  TicketMessage.belongsTo(Survey, { as: 'survey', foreignKey: 'surveyId' });
  BillingEntry.belongsTo(Ticket, { as: 'ticket', foreignKey: 'ticketId' });
  BillingEntry.belongsTo(Customer, { as: 'customer', foreignKey: 'customerId' });
  BillingEntry.belongsTo(Category, { as: 'category', foreignKey: 'categoryId' });
  ExpertFee.belongsTo(Expert, { as: 'expert', foreignKey: 'expertId' });
  ExpertFee.belongsTo(Ticket, { as: 'ticket', foreignKey: 'ticketId' });
  ExpertFee.belongsTo(Category, { as: 'category', foreignKey: 'categoryId' });
  ExpertFee.belongsTo(Statement, { as: 'statement', foreignKey: 'statementId' });
  Statement.belongsTo(Expert, { as: 'expert', foreignKey: 'expertId' });
  Statement.hasMany(ExpertFee, { as: 'fees', foreignKey: 'statementId' });
  ExpertAbsence.belongsTo(Expert, { as: 'expert', foreignKey: 'expertId' });
  ExpertApplication.belongsTo(Expert, { as: 'expert', foreignKey: 'expertId' });
  CustomerAccount.belongsTo(Customer, { as: 'customer', foreignKey: 'customerId' });
  PortalSession.belongsTo(CustomerAccount, { as: 'account', foreignKey: 'accountId' });

  return { Group, Category, Tier, Expert, ExpertSkill, GroupMembership, Customer, Ticket, TicketAlias, SlackMessage, InboundEvent, TicketMessage, MessageDelivery, ManagerAlert, Survey, RankingSum, BillingEntry, ExpertFee, Statement, AppSecret, ExpertAbsence, ExpertApplication, CustomerAccount, PortalSession, ExpertApplicationDraft };
}
