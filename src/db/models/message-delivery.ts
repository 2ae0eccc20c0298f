import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { TicketMessage } from './ticket-message.ts';
import type { Ticket } from './ticket.ts';

export type DeliveryChannel = 'zendesk' | 'email';
/** `skipped`: nothing to send it with (mail is off, or the customer gave no address). */
export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'skipped';

/** A transcript message on its way to the customer outside Slack (see the migration). */
export class MessageDelivery extends Model<InferAttributes<MessageDelivery>, InferCreationAttributes<MessageDelivery>> {
  declare id: CreationOptional<number>;
  declare messageId: ForeignKey<TicketMessage['id']>;
  declare ticketId: ForeignKey<Ticket['id']>;
  declare channel: DeliveryChannel;
  declare status: CreationOptional<DeliveryStatus>;
  /** Deliveries sent together as one Zendesk comment share a key. */
  declare batchKey: CreationOptional<string | null>;
  declare attempts: CreationOptional<number>;
  declare lastError: CreationOptional<string | null>;
  declare deliveredAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof MessageDelivery {
    return MessageDelivery.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        channel: { type: DataTypes.STRING(16), allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        batchKey: { type: DataTypes.STRING(64), allowNull: true },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        lastError: { type: DataTypes.TEXT, allowNull: true },
        deliveredAt: { type: DataTypes.DATE(3), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'message_deliveries', modelName: 'MessageDelivery' },
    );
  }
}
