import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Category } from './category.ts';
import type { Customer } from './customer.ts';
import type { Ticket } from './ticket.ts';

/** What a customer is billed for a closed ticket, in minor units of `currency`. */
export class BillingEntry extends Model<InferAttributes<BillingEntry>, InferCreationAttributes<BillingEntry>> {
  declare id: CreationOptional<number>;
  declare ticketId: ForeignKey<Ticket['id']>;
  declare customerId: ForeignKey<Customer['id']>;
  declare categoryId: ForeignKey<Category['id']>;
  declare amountMinor: number;
  declare currency: string;
  /** When the ticket closed: the period the entry belongs to. */
  declare occurredAt: Date;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof BillingEntry {
    return BillingEntry.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        amountMinor: { type: DataTypes.BIGINT, allowNull: false, get() { return Number(this.getDataValue('amountMinor')); } },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        occurredAt: { type: DataTypes.DATE(3), allowNull: false },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'billing_entries', modelName: 'BillingEntry', updatedAt: false },
    );
  }
}
