import type { Attributes } from 'sequelize';
import type { ExpertAbsence } from '../models/expert-absence.ts';
import type { Models } from '../models/index.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type ExpertAbsenceRow = Attributes<ExpertAbsence>;

/** The days experts are away (see the expert_absences migration). */
export function expertAbsencesRepository(sql: Sql, { ExpertAbsence }: Pick<Models, 'ExpertAbsence'>) {
  return {
    /** The expert's absences not yet over at `now` (under way or to come), first first. */
    async upcoming(expertId: number, now: Date, opts: InTransaction = {}): Promise<ExpertAbsenceRow[]> {
      return sql.select(ExpertAbsence, 'expert_id = ? AND ends_at > ? ORDER BY starts_at, id', [expertId, now], opts);
    },

    /** The expert's most recently added absence, or undefined (its zone is the last one they used). */
    latest(expertId: number, opts: InTransaction = {}): Promise<ExpertAbsenceRow | undefined> {
      return sql.selectOne(ExpertAbsence, 'expert_id = ? ORDER BY id DESC', [expertId], opts);
    },

    async add(row: Pick<ExpertAbsenceRow, 'expertId' | 'firstDay' | 'lastDay' | 'timeZone' | 'startsAt' | 'endsAt'>, opts: InTransaction & { now: Date }): Promise<number> {
      const [id] = await sql.insert(ExpertAbsence, [{ ...row, createdAt: opts.now }], opts);
      return id!;
    },

    /** Removes those of `ids` that are the expert's (others are left alone); returns how many went. */
    async remove(expertId: number, ids: readonly number[], opts: InTransaction = {}): Promise<number> {
      if (ids.length === 0) return 0;
      return sql.execute(`DELETE FROM expert_absences WHERE expert_id = ? AND id IN (${Sql.list(ids.length)})`, [expertId, ...ids], opts);
    },
  };
}

export type ExpertAbsencesRepository = ReturnType<typeof expertAbsencesRepository>;
