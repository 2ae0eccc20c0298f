import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { CustomerAccount } from './customer-account.ts';

/** A signed-in portal session: only the hash of the cookie's id is kept (see the migration). */
export class PortalSession extends Model<InferAttributes<PortalSession>, InferCreationAttributes<PortalSession>> {
  declare id: CreationOptional<number>;
  declare idHash: string;
  declare accountId: ForeignKey<CustomerAccount['id']>;
  declare csrfSecret: string;
  declare expiresAt: Date;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof PortalSession {
    return PortalSession.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        idHash: { type: DataTypes.STRING(64), allowNull: false },
        csrfSecret: { type: DataTypes.STRING(64), allowNull: false },
        expiresAt: { type: DataTypes.DATE(3), allowNull: false },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'portal_sessions', modelName: 'PortalSession' },
    );
  }
}
