import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';

/** Columns every table has; migrations spread these so all tables agree on id and time types. */
export function idColumn(): ModelAttributeColumnOptions {
  return { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false };
}

export function timestampColumns(): Record<'created_at' | 'updated_at', ModelAttributeColumnOptions> {
  return {
    created_at: { type: DataTypes.DATE(3), allowNull: false },
    updated_at: { type: DataTypes.DATE(3), allowNull: false },
  };
}

/** A foreign key to `table.id`; `onDelete` says what happens to this row when the parent goes. */
export function reference(table: string, opts: { allowNull?: boolean; onDelete?: 'CASCADE' | 'RESTRICT' | 'SET NULL' } = {}): ModelAttributeColumnOptions {
  return {
    type: DataTypes.INTEGER,
    allowNull: opts.allowNull ?? false,
    references: { model: table, key: 'id' },
    onDelete: opts.onDelete ?? 'RESTRICT',
    onUpdate: 'CASCADE',
  };
}

/** MySQL/MariaDB tables in full UTF-8 (emoji, any script); SQLite ignores these options. */
export const TABLE_OPTIONS = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' } as const;
