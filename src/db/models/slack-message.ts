import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Expert } from './expert.ts';
import type { TicketAlias } from './ticket-alias.ts';
import type { TicketMessage } from './ticket-message.ts';
import type { Ticket } from './ticket.ts';

export const SLACK_MESSAGE_PURPOSES = ['dispatch', 'page', 'escalation_alert', 'requester_confirmation', 'unroutable_alert', 'delivery_alert', 'expert_thread', 'relay', 'notice', 'suspension_alert', 'expert_application'] as const;
export type SlackMessagePurpose = (typeof SLACK_MESSAGE_PURPOSES)[number];

/** A message to Slack: written with the change that implies it, sent by a job, updated by ts. */
export class SlackMessage extends Model<InferAttributes<SlackMessage>, InferCreationAttributes<SlackMessage>> {
  declare id: CreationOptional<number>;
  declare ticketId: ForeignKey<Ticket['id']> | null;
  declare purpose: SlackMessagePurpose;
  declare tier: CreationOptional<number | null>;
  declare expertId: ForeignKey<Expert['id']> | null;
  /** Where it goes: a channel id, or a user id for a DM (replaced by the DM's id once posted). */
  declare channel: string;
  /** The message this one is a threaded reply to. */
  declare threadOf: ForeignKey<SlackMessage['id']> | null;
  /** On an expert's ticket thread: the alias of the booking it was opened for (replies count while it is active). */
  declare aliasId: CreationOptional<ForeignKey<TicketAlias['id']> | null>;
  /** For a relay: the transcript message it carries. */
  declare ticketMessageId: ForeignKey<TicketMessage['id']> | null;
  /** On a thread parent: while in the future, one job is posting the thread's replies. */
  declare repliesLeaseUntil: CreationOptional<Date | null>;
  /** JSON with what the message needs beyond the ticket (e.g. an alert's reason). */
  declare details: CreationOptional<string | null>;
  declare status: CreationOptional<'pending' | 'sent' | 'failed'>;
  declare ts: CreationOptional<string | null>;
  declare attempts: CreationOptional<number>;
  declare lastError: CreationOptional<string | null>;
  /** Set while a post went out without Slack's answer: the next attempt looks for it before posting again. */
  declare postUnconfirmedAt: CreationOptional<Date | null>;
  declare sentAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof SlackMessage {
    return SlackMessage.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        purpose: { type: DataTypes.STRING(32), allowNull: false },
        tier: { type: DataTypes.INTEGER, allowNull: true },
        channel: { type: DataTypes.STRING(32), allowNull: false },
        aliasId: { type: DataTypes.INTEGER, allowNull: true, references: { model: 'ticket_aliases', key: 'id' } },
        details: { type: DataTypes.TEXT, allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        ts: { type: DataTypes.STRING(32), allowNull: true },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        lastError: { type: DataTypes.TEXT, allowNull: true },
        sentAt: { type: DataTypes.DATE(3), allowNull: true },
        postUnconfirmedAt: { type: DataTypes.DATE(3), allowNull: true },
        repliesLeaseUntil: { type: DataTypes.DATE(3), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'slack_messages', modelName: 'SlackMessage' },
    );
  }
}
