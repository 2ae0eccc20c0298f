import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** All experts or all categories, in a ranking sum's key. */
export const ALL = 0;

/** A running, time-decayed sum of survey ratings (see the migration and domain/ranking/rules.ts). */
export class RankingSum extends Model<InferAttributes<RankingSum>, InferCreationAttributes<RankingSum>> {
  declare id: CreationOptional<number>;
  /** An expert, or ALL for the whole network. */
  declare expertId: number;
  /** A category, or ALL for every category. */
  declare categoryId: number;
  declare weightedRatings: number;
  declare weights: number;
  declare decayedAt: Date;
  declare surveys: number;

  static initModel(sequelize: Sequelize): typeof RankingSum {
    return RankingSum.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        expertId: { type: DataTypes.INTEGER, allowNull: false },
        categoryId: { type: DataTypes.INTEGER, allowNull: false },
        weightedRatings: { type: DataTypes.DOUBLE, allowNull: false, defaultValue: 0 },
        weights: { type: DataTypes.DOUBLE, allowNull: false, defaultValue: 0 },
        decayedAt: { type: DataTypes.DATE(3), allowNull: false },
        surveys: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      },
      { sequelize, tableName: 'ranking_sums', modelName: 'RankingSum', timestamps: false },
    );
  }
}
