import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { DomainContext } from '../domain-context.ts';
import type { AliasSide } from '../../db/models/ticket-alias.ts';
import { randomCodeAlias, randomWordAlias } from './alias-names.ts';

const WORD_TRIES = 8;
const CODE_TRIES = 20;

/**
 * Gives one side of a ticket a name unique among active tickets: a free word alias if one
 * of a few random picks is free, else a code. A name another transaction takes at the same
 * moment is caught by the unique index and another is tried.
 */
export async function assignAlias(
  ctx: Pick<DomainContext, 'db'>,
  transaction: Transaction,
  input: { ticketId: number; side: AliasSide; expertId?: number | null },
): Promise<{ id: number; name: string }> {
  const { ticketAliases } = ctx.db;
  const picks = [...new Set(Array.from({ length: WORD_TRIES }, () => randomWordAlias()))];
  const taken = await ticketAliases.takenNames(picks, { transaction });
  const candidates = [...picks.filter((p) => !taken.has(p)), ...Array.from({ length: CODE_TRIES }, () => randomCodeAlias(input.side === 'customer' ? 'C' : 'E'))];
  for (const name of candidates) {
    try {
      const id = await ticketAliases.hold({ ticketId: input.ticketId, side: input.side, expertId: input.expertId ?? null, name }, { transaction });
      return { id, name };
    } catch (err) {
      if (!(err instanceof UniqueConstraintError)) throw err;
    }
  }
  throw new Error('no free alias found');
}

/** Releases a ticket's aliases (at close, or the expert's on release): the names may be reused. */
export async function releaseAliases(ctx: Pick<DomainContext, 'db' | 'now'>, transaction: Transaction, ticketId: number, side?: AliasSide): Promise<void> {
  await ctx.db.ticketAliases.release(ticketId, side, { transaction, now: ctx.now() });
}
