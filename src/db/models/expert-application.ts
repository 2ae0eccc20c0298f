import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Expert } from './expert.ts';

export const APPLICATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * An application to answer tickets (from `/helpnet join` or the portal), then the managers'
 * decision. What it asks for, category by category, is also in ExpertSkill (status
 * `applied` until decided); the application keeps what was asked, as asked.
 */
export class ExpertApplication extends Model<InferAttributes<ExpertApplication>, InferCreationAttributes<ExpertApplication>> {
  declare id: CreationOptional<number>;
  declare expertId: ForeignKey<Expert['id']>;
  /** The expert's id while pending, null once decided: unique, so an expert has one pending application at most. */
  declare pendingExpertId: CreationOptional<number | null>;
  declare status: CreationOptional<ApplicationStatus>;
  declare yearsExperience: number;
  declare summary: string;
  /** JSON `[{ name, contact }]`: the referees (two from Slack, two or more from the portal). */
  declare referees: string;
  /** JSON `[{ employer, role, from, to, description }]`: the employment history (the portal's wizard asks for it), or null. */
  declare employment: CreationOptional<string | null>;
  /** JSON `[{ categoryId, level }]`: what was applied for, with the applicant's own rating. */
  declare categories: string;
  /** Who decided: a manager's Slack user id. */
  declare decidedBy: CreationOptional<string | null>;
  declare decidedAt: CreationOptional<Date | null>;
  declare rejectReason: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ExpertApplication {
    return ExpertApplication.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        pendingExpertId: { type: DataTypes.INTEGER, allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending', validate: { isIn: [APPLICATION_STATUSES] } },
        yearsExperience: { type: DataTypes.INTEGER, allowNull: false },
        summary: { type: DataTypes.TEXT, allowNull: false },
        referees: { type: DataTypes.TEXT, allowNull: false },
        categories: { type: DataTypes.TEXT, allowNull: false },
        employment: { type: DataTypes.TEXT('medium'), allowNull: true },
        decidedBy: { type: DataTypes.STRING(64), allowNull: true },
        decidedAt: { type: DataTypes.DATE(3), allowNull: true },
        rejectReason: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'expert_applications', modelName: 'ExpertApplication' },
    );
  }
}
