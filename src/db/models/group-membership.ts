import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Expert } from './expert.ts';
import type { Group } from './group.ts';

/** An expert sitting in a group: paged from, and allowed to book in, that group's channel. */
export class GroupMembership extends Model<InferAttributes<GroupMembership>, InferCreationAttributes<GroupMembership>> {
  declare id: CreationOptional<number>;
  declare groupId: ForeignKey<Group['id']>;
  declare expertId: ForeignKey<Expert['id']>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof GroupMembership {
    return GroupMembership.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'group_memberships', modelName: 'GroupMembership' },
    );
  }
}
