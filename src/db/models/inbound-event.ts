import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A webhook delivery or Slack event as received: Zendesk's are processed by a job; Slack's record that an event was handled. */
export class InboundEvent extends Model<InferAttributes<InboundEvent>, InferCreationAttributes<InboundEvent>> {
  declare id: CreationOptional<number>;
  declare source: 'zendesk' | 'slack';
  declare dedupeKey: string;
  declare payload: string;
  declare status: CreationOptional<'received' | 'processed' | 'ignored' | 'unroutable'>;
  declare error: CreationOptional<string | null>;
  declare processedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof InboundEvent {
    return InboundEvent.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        source: { type: DataTypes.STRING(16), allowNull: false },
        dedupeKey: { type: DataTypes.STRING(191), allowNull: false },
        payload: { type: DataTypes.TEXT, allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'received' },
        error: { type: DataTypes.TEXT, allowNull: true },
        processedAt: { type: DataTypes.DATE(3), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'inbound_events', modelName: 'InboundEvent' },
    );
  }
}
