import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Category } from './category.ts';
import type { Group } from './group.ts';

/** Step `position` (1-based) of a category's escalation ladder: which group, for how long. */
export class Tier extends Model<InferAttributes<Tier>, InferCreationAttributes<Tier>> {
  declare id: CreationOptional<number>;
  declare categoryId: ForeignKey<Category['id']>;
  declare groupId: ForeignKey<Group['id']>;
  declare position: number;
  declare timeoutMinutes: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Tier {
    return Tier.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        position: { type: DataTypes.INTEGER, allowNull: false },
        timeoutMinutes: { type: DataTypes.DOUBLE, allowNull: false },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'tiers', modelName: 'Tier' },
    );
  }
}
