import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Expert } from './expert.ts';

/** Days an expert is away: not paged from the first to the last, inclusive, in their time zone (see the migration). */
export class ExpertAbsence extends Model<InferAttributes<ExpertAbsence>, InferCreationAttributes<ExpertAbsence>> {
  declare id: CreationOptional<number>;
  declare expertId: ForeignKey<Expert['id']>;
  /** The first day away, `YYYY-MM-DD`, as the expert gave it in `timeZone`. */
  declare firstDay: string;
  /** The last day away, inclusive. */
  declare lastDay: string;
  /** The IANA zone the days are in. */
  declare timeZone: string;
  /** Midnight at the start of the first day, in that zone. */
  declare startsAt: Date;
  /** Midnight after the last day (exclusive). */
  declare endsAt: Date;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ExpertAbsence {
    return ExpertAbsence.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        firstDay: { type: DataTypes.STRING(10), allowNull: false },
        lastDay: { type: DataTypes.STRING(10), allowNull: false },
        timeZone: { type: DataTypes.STRING(64), allowNull: false },
        startsAt: { type: DataTypes.DATE(3), allowNull: false },
        endsAt: { type: DataTypes.DATE(3), allowNull: false },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'expert_absences', modelName: 'ExpertAbsence', updatedAt: false },
    );
  }
}
