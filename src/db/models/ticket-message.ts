import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Expert } from './expert.ts';
import type { Survey } from './survey.ts';
import type { Ticket } from './ticket.ts';

/** Who a transcript message is from: one side of the ticket, or Helpnet telling the customer something. */
export type MessageSide = 'customer' | 'expert' | 'system';
/** Where a message was written. */
export type MessageVia = 'slack' | 'zendesk' | 'widget' | 'portal' | 'helpnet';

/** One message of a ticket's transcript, stored before it is delivered (see the migration). */
export class TicketMessage extends Model<InferAttributes<TicketMessage>, InferCreationAttributes<TicketMessage>> {
  declare id: CreationOptional<number>;
  declare ticketId: ForeignKey<Ticket['id']>;
  declare side: MessageSide;
  /** The sender's alias when it was written; null for Helpnet's notices. */
  declare aliasName: string | null;
  /** The expert who wrote it (never shown to the customer). */
  declare expertId: ForeignKey<Expert['id']> | null;
  /** Plain text, with the sender's identity already scrubbed: all the other side ever gets. */
  declare body: string;
  /** What the writer wrote, where scrubbing changed it (null where it did not): shown to the writer's side only. */
  declare originalBody: CreationOptional<string | null>;
  declare via: MessageVia;
  declare sourceKey: string | null;
  /** The survey a notice asks for: its link is added where the notice is shown to the customer. */
  declare surveyId: ForeignKey<Survey['id']> | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof TicketMessage {
    return TicketMessage.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        side: { type: DataTypes.STRING(16), allowNull: false },
        aliasName: { type: DataTypes.STRING(64), allowNull: true },
        body: { type: DataTypes.TEXT, allowNull: false },
        originalBody: { type: DataTypes.TEXT('medium'), allowNull: true },
        via: { type: DataTypes.STRING(16), allowNull: false },
        sourceKey: { type: DataTypes.STRING(191), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'ticket_messages', modelName: 'TicketMessage' },
    );
  }
}
