import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Expert } from './expert.ts';

/** An expert's payout for a period: the sum of the fees it took, written once (see the migration). */
export class Statement extends Model<InferAttributes<Statement>, InferCreationAttributes<Statement>> {
  declare id: CreationOptional<number>;
  declare expertId: ForeignKey<Expert['id']>;
  /** The period's label: `2026-11` (month), `2026-W48` (week). */
  declare period: string;
  declare periodStart: Date;
  declare periodEnd: Date;
  declare currency: string;
  /** Tickets whose fees it holds (corrections are not tickets). */
  declare tickets: number;
  declare amountMinor: number;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Statement {
    return Statement.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        period: { type: DataTypes.STRING(16), allowNull: false },
        periodStart: { type: DataTypes.DATE(3), allowNull: false },
        periodEnd: { type: DataTypes.DATE(3), allowNull: false },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        tickets: { type: DataTypes.INTEGER, allowNull: false },
        amountMinor: { type: DataTypes.BIGINT, allowNull: false, get() { return Number(this.getDataValue('amountMinor')); } },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'statements', modelName: 'Statement', updatedAt: false },
    );
  }
}
