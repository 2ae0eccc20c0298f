import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** Whoever files tickets. Their identity never reaches Slack unless a category shares it. */
export class Customer extends Model<InferAttributes<Customer>, InferCreationAttributes<Customer>> {
  declare id: CreationOptional<number>;
  declare name: string | null;
  declare email: string | null;
  declare phone: CreationOptional<string | null>;
  declare company: CreationOptional<string | null>;
  declare city: CreationOptional<string | null>;
  declare slackUserId: CreationOptional<string | null>;
  declare zendeskUserId: CreationOptional<string | null>;
  /** JSON array of the names they go by in Slack (see domain/relay/identity.ts); null = not known. */
  declare slackNames: CreationOptional<string | null>;
  /** JSON of the names, emails, phones, companies and Slack names they gave before (see domain/relay/identity.ts FormerIdentity). */
  declare formerIdentity: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Customer {
    return Customer.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        name: { type: DataTypes.STRING(200), allowNull: true },
        email: { type: DataTypes.STRING(320), allowNull: true },
        phone: { type: DataTypes.STRING(64), allowNull: true },
        company: { type: DataTypes.STRING(200), allowNull: true },
        city: { type: DataTypes.STRING(200), allowNull: true },
        slackUserId: { type: DataTypes.STRING(32), allowNull: true, unique: true },
        zendeskUserId: { type: DataTypes.STRING(32), allowNull: true, unique: true },
        slackNames: { type: DataTypes.TEXT, allowNull: true },
        formerIdentity: { type: DataTypes.TEXT('medium'), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'customers', modelName: 'Customer' },
    );
  }
}
