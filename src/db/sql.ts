import { DataTypes, QueryTypes, type Attributes, type Model, type ModelStatic, type Sequelize, type Transaction } from 'sequelize';

/**
 * Plain SQL on a model's table for the hot paths (a webhook, a relayed message, a job that
 * runs for every ticket): one statement per call, rows back as plain objects with the
 * model's attribute names and types. A model method builds instances, deep-clones its
 * options and generates its SQL on every call, which costs three to four times the CPU of
 * the statement itself; that was most of what a ticket or a message cost. The models stay
 * the description of the schema (the column names and types come from them) and the way
 * to write everything that is not hot.
 *
 * SQL passed in (`where`, `query`) names columns, not attributes, and uses `?` parameters.
 * Parameters may be Dates (stored as the models store them, to the millisecond) and
 * booleans.
 */
export class Sql {
  readonly engine: 'mysql' | 'sqlite';
  private readonly tables = new Map<ModelStatic<Model>, TableShape>();

  constructor(private readonly sequelize: Sequelize) {
    this.engine = sequelize.getDialect() === 'sqlite' ? 'sqlite' : 'mysql';
  }

  /** Rows of `model`'s table matching `where` (SQL after WHERE, which may end with ORDER BY / LIMIT). */
  async select<M extends Model>(model: ModelStatic<M>, where: string, params: readonly unknown[], opts: { transaction?: Transaction | null; forUpdate?: boolean } = {}): Promise<Attributes<M>[]> {
    const table = this.shape(model);
    const lock = opts.forUpdate && this.engine === 'mysql' ? ' FOR UPDATE' : '';
    const rows = await this.query<Record<string, unknown>>(`SELECT ${table.selectList} FROM ${table.name} WHERE ${where}${lock}`, params, opts);
    return rows.map((row) => table.read(row) as Attributes<M>);
  }

  /** The first row of `model`'s table matching `where`, or undefined. */
  async selectOne<M extends Model>(model: ModelStatic<M>, where: string, params: readonly unknown[], opts: { transaction?: Transaction | null; forUpdate?: boolean } = {}): Promise<Attributes<M> | undefined> {
    const [row] = await this.select(model, `${where} LIMIT 1`, params, opts);
    return row;
  }

  /** A SELECT of any shape (joins, aggregates): rows as the driver gives them, columns as named in the SQL. */
  async query<R extends object>(sql: string, params: readonly unknown[], opts: { transaction?: Transaction | null } = {}): Promise<R[]> {
    const [text, values] = this.statement(sql, params);
    return this.sequelize.query<R>(text, { ...values, type: QueryTypes.SELECT, transaction: opts.transaction ?? undefined });
  }

  /**
   * Inserts rows (attribute names; created_at/updated_at filled in where the model has
   * them) in one statement and returns their ids in order. A multi-row INSERT of known
   * rows takes consecutive ids on both engines (InnoDB does so in every lock mode for such
   * "simple inserts"), so the ids are the first one and those after it.
   */
  async insert<M extends Model>(model: ModelStatic<M>, rows: readonly Partial<Attributes<M>>[], opts: { transaction?: Transaction | null; now?: Date } = {}): Promise<number[]> {
    if (rows.length === 0) return [];
    const table = this.shape(model);
    const now = opts.now ?? new Date();
    const withTimes = rows.map((r) => ({ ...(table.timestamps ? { createdAt: now, updatedAt: now } : {}), ...r }) as Record<string, unknown>);
    for (const row of withTimes) table.checkLengths(row);
    const attributes = [...new Set(withTimes.flatMap((r) => Object.keys(r)))].filter((a) => withTimes.some((r) => r[a] !== undefined));
    const columns = attributes.map((a) => table.column(a));
    const one = `(${attributes.map(() => '?').join(', ')})`;
    const params = withTimes.flatMap((r) => attributes.map((a) => (r[a] === undefined ? table.defaultOf(a) : r[a])));
    const [text, values] = this.statement(`INSERT INTO ${table.name} (${columns.join(', ')}) VALUES ${rows.map(() => one).join(', ')}`, params);
    const [id, count] = (await this.sequelize.query(text, {
      ...values,
      type: QueryTypes.INSERT,
      transaction: opts.transaction ?? undefined,
    })) as unknown as [number, number];
    if (count !== undefined && Number(count) !== rows.length) throw new Error(`inserted ${String(count)} of ${rows.length} rows into ${table.name}`);
    return insertedIds(this.sequelize, Number(id), rows.length);
  }

  /** Sets attributes (and updated_at, where the model has it) on the rows matching `where`; returns how many matched. */
  async update<M extends Model>(model: ModelStatic<M>, values: Partial<Attributes<M>>, where: string, params: readonly unknown[], opts: { transaction?: Transaction | null; now?: Date } = {}): Promise<number> {
    const table = this.shape(model);
    const set: Record<string, unknown> = { ...values, ...(table.timestamps ? { updatedAt: opts.now ?? new Date() } : {}) };
    table.checkLengths(set);
    const attributes = Object.keys(set).filter((a) => set[a] !== undefined);
    return this.execute(`UPDATE ${table.name} SET ${attributes.map((a) => `${table.column(a)} = ?`).join(', ')} WHERE ${where}`, [...attributes.map((a) => set[a]), ...params], opts);
  }

  /** An UPDATE or DELETE written out; returns how many rows it matched. */
  async execute(sql: string, params: readonly unknown[], opts: { transaction?: Transaction | null } = {}): Promise<number> {
    const [text, values] = this.statement(sql, params);
    const result = (await this.sequelize.query(text, { ...values, type: QueryTypes.BULKUPDATE, transaction: opts.transaction ?? undefined })) as unknown;
    return Number(result);
  }

  /**
   * A whole row of `model` from the values one insert wrote: the model's defaults and null
   * for what it left out (what the database filled in), for building an instance without
   * reading the row back.
   */
  rowOf<M extends Model>(model: ModelStatic<M>, values: Partial<Attributes<M>>): Attributes<M> {
    return this.shape(model).complete(values as Record<string, unknown>) as Attributes<M>;
  }

  /** The column an attribute of `model` is stored in, quoted. */
  columnOf<M extends Model>(model: ModelStatic<M>, attribute: keyof Attributes<M> & string): string {
    return this.shape(model).column(attribute);
  }

  /** `?, ?, ?` for an IN list of `n` values (at least one). */
  static list(n: number): string {
    return Array.from({ length: Math.max(1, n) }, () => '?').join(', ');
  }

  /**
   * The statement as sent, with its parameters. SQLite gets them bound (`$1`…): Sequelize
   * would otherwise write them into the SQL text, which SQLite reads only up to the first
   * NUL character, so a NUL in someone's text would break the statement. MySQL/MariaDB get
   * them escaped into the text by the driver, which writes NUL as `\0`, and so do not need
   * a prepared statement per distinct multi-row INSERT.
   */
  private statement(sql: string, params: readonly unknown[]): [string, { bind: unknown[] } | { replacements: unknown[] }] {
    const values = this.values(params);
    if (this.engine === 'mysql') return [sql, { replacements: values }];
    let n = 0;
    return [sql.replace(/'(?:[^']|'')*'|`[^`]*`|\?/g, (token) => (token === '?' ? `$${++n}` : token)), { bind: values }];
  }

  /** Dates and booleans as the models write them on this engine. */
  private values(params: readonly unknown[]): unknown[] {
    return params.map((p) => (p instanceof Date ? formatDate(p, this.engine) : typeof p === 'boolean' ? (p ? 1 : 0) : p));
  }

  private shape(model: ModelStatic<Model>): TableShape {
    let shape = this.tables.get(model);
    if (!shape) {
      shape = new TableShape(model);
      this.tables.set(model, shape);
    }
    return shape;
  }
}

/** A value longer than its column (see TableShape.checkLengths). */
export class ValueTooLongError extends Error {
  override readonly name = 'ValueTooLongError';
}

/** What the SQL needs of a model: its table, columns, and how to read each value. */
class TableShape {
  readonly name: string;
  readonly selectList: string;
  readonly timestamps: boolean;
  private readonly columns = new Map<string, string>();
  private readonly defaults = new Map<string, unknown>();
  private readonly maxLengths = new Map<string, number>();
  private readonly readers: [column: string, attribute: string, convert: ((v: unknown) => unknown) | undefined][] = [];

  constructor(model: ModelStatic<Model>) {
    this.name = `\`${model.getTableName() as string}\``;
    const attributes = model.getAttributes() as Record<string, { field?: string; type: unknown; defaultValue?: unknown }>;
    for (const [attribute, spec] of Object.entries(attributes)) {
      const column = spec.field ?? attribute;
      this.columns.set(attribute, `\`${column}\``);
      if (spec.defaultValue !== undefined && typeof spec.defaultValue !== 'object') this.defaults.set(attribute, spec.defaultValue);
      if (spec.type instanceof DataTypes.STRING && typeof (spec.type as { _length?: unknown })._length === 'number') this.maxLengths.set(attribute, (spec.type as unknown as { _length: number })._length);
      this.readers.push([column, attribute, readerFor(spec.type)]);
    }
    this.selectList = this.readers.map(([column]) => `\`${column}\``).join(', ');
    this.timestamps = 'createdAt' in attributes && 'updatedAt' in attributes;
  }

  column(attribute: string): string {
    const column = this.columns.get(attribute);
    if (!column) throw new Error(`${this.name} has no attribute ${attribute}`);
    return column;
  }

  /**
   * Refuses a string longer than its column: MariaDB would refuse it with a database error,
   * SQLite would store it, and the two engines must keep the same data. Lengths count
   * characters, as the columns do. Boundaries check lengths first, with a message for the
   * person; this says which column, for the code that did not.
   */
  checkLengths(values: Record<string, unknown>): void {
    for (const [attribute, max] of this.maxLengths) {
      const value = values[attribute];
      if (typeof value === 'string' && value.length > max && [...value].length > max) throw new ValueTooLongError(`${this.name}.${this.column(attribute)} holds at most ${max} characters; got ${[...value].length}`);
    }
  }

  /** The model's default for an attribute left out of one row of a multi-row insert. */
  defaultOf(attribute: string): unknown {
    return this.defaults.has(attribute) ? this.defaults.get(attribute) : null;
  }

  complete(values: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [, attribute] of this.readers) out[attribute] = values[attribute] !== undefined ? values[attribute] : this.defaultOf(attribute);
    return out;
  }

  read(row: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [column, attribute, convert] of this.readers) {
      const value = row[column];
      out[attribute] = value === null || value === undefined ? null : convert ? convert(value) : value;
    }
    return out;
  }
}

function readerFor(type: unknown): ((v: unknown) => unknown) | undefined {
  // SQLite hands back dates as text and booleans as 0/1; MySQL's driver gives Dates already.
  if (type instanceof DataTypes.DATE) return (v) => (v instanceof Date ? v : new Date(String(v)));
  if (type instanceof DataTypes.BOOLEAN) return (v) => v === true || v === 1 || v === '1';
  if (type instanceof DataTypes.DECIMAL) return (v) => Number(v);
  return undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A Date as the models store it: UTC to the millisecond (SQLite with its offset, as Sequelize writes it). */
export function formatDate(d: Date, engine: 'mysql' | 'sqlite'): string {
  const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  return engine === 'sqlite' ? `${text} +00:00` : text;
}

const idSteps = new WeakMap<Sequelize, number>();

/**
 * Reads how far apart MySQL's auto-increment ids are (`auto_increment_increment`: 1, or
 * the number of primaries in a Galera cluster), once, after connecting: see insertedIds.
 */
export async function readIdStep(sequelize: Sequelize): Promise<void> {
  if (sequelize.getDialect() === 'sqlite') return;
  const [row] = await sequelize.query<{ step: number | string }>('SELECT @@auto_increment_increment AS step', { type: QueryTypes.SELECT });
  idSteps.set(sequelize, Number(row?.step ?? 1) || 1);
}

/**
 * The ids a multi-row INSERT of `count` rows took, from the id the driver reported: MySQL
 * reports the first, SQLite the last. A multi-row INSERT of known rows takes consecutive
 * ids (`auto_increment_increment` apart on MySQL, which InnoDB keeps in every lock mode for
 * such "simple inserts").
 */
export function insertedIds(sequelize: Sequelize, reported: number, count: number): number[] {
  if (sequelize.getDialect() === 'sqlite') return Array.from({ length: count }, (_, i) => reported - count + 1 + i);
  const step = idSteps.get(sequelize) ?? 1;
  return Array.from({ length: count }, (_, i) => reported + i * step);
}
