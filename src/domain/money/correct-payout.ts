import type { DomainContext } from '../domain-context.ts';

export type CorrectionOutcome = { outcome: 'written'; feeId: number; expertName: string } | { outcome: 'unknown_expert' };

/**
 * A manager's correction of an expert's payout: a new `correction` entry (positive or
 * negative, in the network's currency) dated now, which the next statement written takes.
 * Written statements are never changed: a correction is how a mistake on one is put right.
 */
export async function correctPayout(ctx: Pick<DomainContext, 'db' | 'routing' | 'now'>, input: { slackUserId: string; amountMinor: number; note: string }): Promise<CorrectionOutcome> {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor === 0) throw new Error('a correction is a whole, non-zero number of minor units');
  if (!input.note.trim()) throw new Error('a correction needs a note');
  const expert = await ctx.db.models.Expert.findOne({ where: { slackUserId: input.slackUserId } });
  if (!expert) return { outcome: 'unknown_expert' };
  const now = ctx.now();
  const feeId = await ctx.db.unitOfWork((transaction) =>
    ctx.db.money.addFee(
      { expertId: expert.id, ticketId: null, categoryId: null, kind: 'correction', solved: null, multiplier: 1, amountMinor: input.amountMinor, currency: ctx.routing.currency, note: input.note.trim(), occurredAt: now },
      { transaction, now },
    ),
  );
  return { outcome: 'written', feeId, expertName: expert.name };
}
