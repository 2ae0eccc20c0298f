import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** An alert posted to the managers once: its once key is taken by the first to post it. */
export class ManagerAlert extends Model<InferAttributes<ManagerAlert>, InferCreationAttributes<ManagerAlert>> {
  declare id: CreationOptional<number>;
  /** What makes two alerts one (`unroutable:zendesk-ticket:42`). */
  declare onceKey: string;
  /** What the alert was about, as JSON. */
  declare about: string;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ManagerAlert {
    return ManagerAlert.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        onceKey: { type: DataTypes.STRING(191), allowNull: false },
        about: { type: DataTypes.TEXT, allowNull: false },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'manager_alerts', modelName: 'ManagerAlert', updatedAt: false },
    );
  }
}
