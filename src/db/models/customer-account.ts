import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Customer } from './customer.ts';

/** A customer's portal account (see the migrations): sign-in email, password hash, address, confirmation, a pending password reset. */
export class CustomerAccount extends Model<InferAttributes<CustomerAccount>, InferCreationAttributes<CustomerAccount>> {
  declare id: CreationOptional<number>;
  declare customerId: ForeignKey<Customer['id']>;
  declare email: string;
  declare passwordHash: string;
  declare firstName: string;
  declare lastName: string;
  declare company: string | null;
  declare address: string;
  declare city: string;
  declare state: string | null;
  declare zip: string;
  declare country: string;
  declare heardFrom: string | null;
  declare emailConfirmedAt: CreationOptional<Date | null>;
  declare confirmSalt: CreationOptional<string | null>;
  declare confirmTokenHash: CreationOptional<string | null>;
  declare confirmExpiresAt: CreationOptional<Date | null>;
  declare resetSalt: CreationOptional<string | null>;
  declare resetTokenHash: CreationOptional<string | null>;
  declare resetExpiresAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof CustomerAccount {
    return CustomerAccount.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        email: { type: DataTypes.STRING(320), allowNull: false },
        passwordHash: { type: DataTypes.STRING(200), allowNull: false },
        firstName: { type: DataTypes.STRING(100), allowNull: false },
        lastName: { type: DataTypes.STRING(100), allowNull: false },
        company: { type: DataTypes.STRING(200), allowNull: true },
        address: { type: DataTypes.STRING(200), allowNull: false },
        city: { type: DataTypes.STRING(100), allowNull: false },
        state: { type: DataTypes.STRING(100), allowNull: true },
        zip: { type: DataTypes.STRING(20), allowNull: false },
        country: { type: DataTypes.STRING(100), allowNull: false },
        heardFrom: { type: DataTypes.STRING(200), allowNull: true },
        emailConfirmedAt: { type: DataTypes.DATE(3), allowNull: true },
        confirmSalt: { type: DataTypes.STRING(64), allowNull: true },
        confirmTokenHash: { type: DataTypes.STRING(64), allowNull: true },
        confirmExpiresAt: { type: DataTypes.DATE(3), allowNull: true },
        resetSalt: { type: DataTypes.STRING(64), allowNull: true },
        resetTokenHash: { type: DataTypes.STRING(64), allowNull: true },
        resetExpiresAt: { type: DataTypes.DATE(3), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'customer_accounts', modelName: 'CustomerAccount' },
    );
  }
}
