import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Category } from './category.ts';
import type { Expert } from './expert.ts';
import type { Ticket } from './ticket.ts';

export const SURVEY_STATUSES = ['pending', 'answered', 'defaulted'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

/** The satisfaction survey of a resolved ticket (see the migration). */
export class Survey extends Model<InferAttributes<Survey>, InferCreationAttributes<Survey>> {
  declare id: CreationOptional<number>;
  declare ticketId: ForeignKey<Ticket['id']>;
  /** The expert who resolved the ticket: the one the survey rates. */
  declare expertId: ForeignKey<Expert['id']>;
  declare categoryId: ForeignKey<Category['id']>;
  /** SHA-256 (hex) of the link's token; the token itself is never stored. */
  declare tokenHash: string;
  /** Random; with the server's secret it gives the token (see domain/surveys/survey-token.ts). */
  declare tokenSalt: string;
  declare status: CreationOptional<SurveyStatus>;
  declare remindersSent: CreationOptional<number>;
  declare solved: CreationOptional<boolean | null>;
  declare timeliness: CreationOptional<number | null>;
  declare helpfulness: CreationOptional<number | null>;
  declare comment: CreationOptional<string | null>;
  /** The rating (1–5) and weight the ranking counted. */
  declare rating: CreationOptional<number | null>;
  declare weight: CreationOptional<number | null>;
  declare answeredAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Survey {
    return Survey.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tokenHash: { type: DataTypes.STRING(64), allowNull: false },
        tokenSalt: { type: DataTypes.STRING(64), allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        remindersSent: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        solved: { type: DataTypes.BOOLEAN, allowNull: true },
        timeliness: { type: DataTypes.INTEGER, allowNull: true },
        helpfulness: { type: DataTypes.INTEGER, allowNull: true },
        comment: { type: DataTypes.TEXT, allowNull: true },
        rating: { type: DataTypes.DOUBLE, allowNull: true },
        weight: { type: DataTypes.DOUBLE, allowNull: true },
        answeredAt: { type: DataTypes.DATE(3), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'surveys', modelName: 'Survey' },
    );
  }
}
