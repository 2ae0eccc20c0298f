import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * A row of `agenda_jobs`, as stored: times are UTC epoch milliseconds, `data` is JSON text.
 * Used to insert (so a job can be written in a caller's transaction); reads are raw SQL and
 * job-row.ts converts them to Agenda's JobParameters.
 */
export class AgendaJobRow extends Model<InferAttributes<AgendaJobRow>, InferCreationAttributes<AgendaJobRow>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare priority: number;
  declare next_run_at: number | null;
  declare type: string;
  declare single_name: string | null;
  declare locked_at: number | null;
  declare last_run_at: number | null;
  declare last_finished_at: number | null;
  declare failed_at: number | null;
  declare fail_count: number | null;
  declare fail_reason: string | null;
  declare repeat_interval: string | null;
  declare repeat_timezone: string | null;
  declare repeat_at: string | null;
  declare data: string | null;
  declare disabled: boolean;
  declare progress: number | null;
  declare fork: boolean;
  declare last_modified_by: string | null;
  declare debounce_started_at: number | null;
  /** What identifies a unique job (its `unique` fields and values), set when it is saved as one. */
  declare unique_key: string | null;
  declare start_date: number | null;
  declare end_date: number | null;
  declare skip_days: string | null;
  declare created_at: number;
  declare updated_at: number;

  static initModel(sequelize: Sequelize): typeof AgendaJobRow {
    const time = () => ({ type: DataTypes.BIGINT, allowNull: true });
    return AgendaJobRow.init(
      {
        id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
        name: { type: DataTypes.STRING(191), allowNull: false },
        priority: { type: DataTypes.INTEGER, allowNull: false },
        next_run_at: time(),
        type: { type: DataTypes.STRING(10), allowNull: false },
        single_name: { type: DataTypes.STRING(191), allowNull: true },
        locked_at: time(),
        last_run_at: time(),
        last_finished_at: time(),
        failed_at: time(),
        fail_count: { type: DataTypes.INTEGER, allowNull: true },
        fail_reason: { type: DataTypes.TEXT, allowNull: true },
        repeat_interval: { type: DataTypes.STRING(255), allowNull: true },
        repeat_timezone: { type: DataTypes.STRING(100), allowNull: true },
        repeat_at: { type: DataTypes.STRING(255), allowNull: true },
        data: { type: DataTypes.TEXT, allowNull: true },
        disabled: { type: DataTypes.BOOLEAN, allowNull: false },
        progress: { type: DataTypes.DOUBLE, allowNull: true },
        fork: { type: DataTypes.BOOLEAN, allowNull: false },
        last_modified_by: { type: DataTypes.STRING(191), allowNull: true },
        debounce_started_at: time(),
        unique_key: { type: DataTypes.STRING(191), allowNull: true },
        start_date: time(),
        end_date: time(),
        skip_days: { type: DataTypes.STRING(64), allowNull: true },
        created_at: { type: DataTypes.BIGINT, allowNull: false },
        updated_at: { type: DataTypes.BIGINT, allowNull: false },
      },
      { sequelize, tableName: 'agenda_jobs', modelName: 'AgendaJobRow', timestamps: false, underscored: false },
    );
  }
}
