import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A kind of problem tickets are filed under ("MS Exchange"); routes to an ordered list of tiers. */
export class Category extends Model<InferAttributes<Category>, InferCreationAttributes<Category>> {
  declare id: CreationOptional<number>;
  declare key: string;
  declare name: string;
  declare customerRate: number;
  declare expertRate: number;
  declare shareCustomerContact: CreationOptional<boolean>;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Category {
    return Category.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        key: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        name: { type: DataTypes.STRING(200), allowNull: false },
        customerRate: { type: DataTypes.DECIMAL(10, 2), allowNull: false, defaultValue: 0, get() { return Number(this.getDataValue('customerRate')); } },
        expertRate: { type: DataTypes.DECIMAL(10, 2), allowNull: false, defaultValue: 0, get() { return Number(this.getDataValue('expertRate')); } },
        shareCustomerContact: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'categories', modelName: 'Category' },
    );
  }
}
