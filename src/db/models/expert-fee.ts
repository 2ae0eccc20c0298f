import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Category } from './category.ts';
import type { Expert } from './expert.ts';
import type { Statement } from './statement.ts';
import type { Ticket } from './ticket.ts';

/** A fee for a closed ticket, or a manager's correction. */
export type FeeKind = 'fee' | 'correction';

/** What an expert earned, in minor units of `currency`; taken by one statement, then never changed. */
export class ExpertFee extends Model<InferAttributes<ExpertFee>, InferCreationAttributes<ExpertFee>> {
  declare id: CreationOptional<number>;
  declare expertId: ForeignKey<Expert['id']>;
  declare ticketId: ForeignKey<Ticket['id']> | null;
  declare categoryId: ForeignKey<Category['id']> | null;
  declare kind: CreationOptional<FeeKind>;
  /** The survey's answer (fees); null for a correction. */
  declare solved: CreationOptional<boolean | null>;
  /** What the category's expert rate was multiplied by: 0 not solved, 1 solved, more in the top band. */
  declare multiplier: CreationOptional<number>;
  declare amountMinor: number;
  declare currency: string;
  declare note: CreationOptional<string | null>;
  /** When the ticket closed (or the correction was written). */
  declare occurredAt: Date;
  declare statementId: CreationOptional<ForeignKey<Statement['id']> | null>;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ExpertFee {
    return ExpertFee.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        kind: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'fee' },
        solved: { type: DataTypes.BOOLEAN, allowNull: true },
        multiplier: { type: DataTypes.DOUBLE, allowNull: false, defaultValue: 1 },
        amountMinor: { type: DataTypes.BIGINT, allowNull: false, get() { return Number(this.getDataValue('amountMinor')); } },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        note: { type: DataTypes.TEXT, allowNull: true },
        occurredAt: { type: DataTypes.DATE(3), allowNull: false },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'expert_fees', modelName: 'ExpertFee', updatedAt: false },
    );
  }
}
