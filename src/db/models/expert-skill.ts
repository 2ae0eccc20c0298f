import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Category } from './category.ts';
import type { Expert } from './expert.ts';

export const SKILL_STATUSES = ['applied', 'approved', 'rejected'] as const;
export type SkillStatus = (typeof SKILL_STATUSES)[number];

/** An expert's standing in one category: applied, then approved or rejected by a manager. */
export class ExpertSkill extends Model<InferAttributes<ExpertSkill>, InferCreationAttributes<ExpertSkill>> {
  declare id: CreationOptional<number>;
  declare expertId: ForeignKey<Expert['id']>;
  declare categoryId: ForeignKey<Category['id']>;
  declare status: CreationOptional<SkillStatus>;
  declare experience: CreationOptional<string | null>;
  /** The applicant's own rating in this category (see domain/experts/expert-levels.ts); null when not given. */
  declare level: CreationOptional<string | null>;
  declare decidedAt: CreationOptional<Date | null>;
  declare decidedBy: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ExpertSkill {
    return ExpertSkill.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'applied', validate: { isIn: [SKILL_STATUSES] } },
        experience: { type: DataTypes.TEXT, allowNull: true },
        level: { type: DataTypes.STRING(16), allowNull: true },
        decidedAt: { type: DataTypes.DATE(3), allowNull: true },
        decidedBy: { type: DataTypes.STRING(32), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'expert_skills', modelName: 'ExpertSkill' },
    );
  }
}
