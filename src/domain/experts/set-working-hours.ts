import type { ExpertAbsenceRow } from '../../db/repositories/expert-absences.ts';
import { escapeMrkdwn } from '../../lib/mrkdwn.ts';
import { parseWorkingHours, type WorkingHours } from '../dispatch/working-hours.ts';
import type { DomainContext } from '../domain-context.ts';
import { WORK } from '../domain-context.ts';
import { describeAbsence, describeWorkingHours, MAX_UPCOMING_ABSENCES, readAvailabilityForm, type AvailabilityErrors, type AvailabilityForm } from './availability-rules.ts';
import { refreshHomes } from '../home/refresh-homes.ts';

/** An absence as the expert sees it. */
export interface AbsenceView {
  id: number;
  firstDay: string;
  lastDay: string;
  timeZone: string;
}

export type SetWorkingHoursOutcome =
  | { outcome: 'not_approved' }
  | { outcome: 'invalid'; errors: AvailabilityErrors }
  | { outcome: 'saved'; workingHours: WorkingHours | null; absences: AbsenceView[]; added: boolean; removed: number };

const view = (a: ExpertAbsenceRow): AbsenceView => ({ id: a.id, firstDay: a.firstDay, lastDay: a.lastDay, timeZone: a.timeZone });

/** An expert's availability as the form shows it: their weekly hours and the absences not yet over. */
export async function loadAvailability(ctx: Pick<DomainContext, 'db' | 'now'>, expertId: number): Promise<{ workingHours: WorkingHours | null; absences: AbsenceView[]; lastTimeZone: string | null }> {
  const [expert, absences, latest] = await Promise.all([ctx.db.experts.byId(expertId), ctx.db.expertAbsences.upcoming(expertId, ctx.now()), ctx.db.expertAbsences.latest(expertId)]);
  const workingHours = parseWorkingHours(expert?.workingHours);
  return { workingHours, absences: absences.map(view), lastTimeZone: workingHours?.timeZone ?? latest?.timeZone ?? null };
}

/**
 * An expert sets when they may be paged: their weekly working hours (or any time), and adds
 * or removes absences (days away, inclusive, in their time zone). Only an approved expert
 * (approved for at least one category) may. The form is checked first (readAvailabilityForm)
 * and nothing is stored unless all of it is valid; then the hours, the absence added and
 * those removed are written in one unit of work, with a DM confirming what now holds.
 * Paging reads both (select-experts-to-page.ts); booking from the channel ignores them.
 */
export async function setWorkingHours(ctx: Pick<DomainContext, 'db' | 'now' | 'outbox'>, input: { expertId: number; form: AvailabilityForm; notify?: boolean }): Promise<SetWorkingHoursOutcome> {
  const now = ctx.now();
  const read = readAvailabilityForm(input.form, now);
  return ctx.db.unitOfWork(async (transaction) => {
    const expert = await ctx.db.experts.approvedById(input.expertId, { transaction });
    if (!expert) return { outcome: 'not_approved' } as const;
    if (!read.ok) return { outcome: 'invalid', errors: read.errors } as const;
    const { workingHours, addAbsence, removeAbsenceIds } = read.change;

    const removed = await ctx.db.expertAbsences.remove(expert.id, removeAbsenceIds, { transaction });
    const upcoming = await ctx.db.expertAbsences.upcoming(expert.id, now, { transaction });
    let added = false;
    if (addAbsence) {
      const same = upcoming.some((a) => a.firstDay === addAbsence.firstDay && a.lastDay === addAbsence.lastDay && a.timeZone === addAbsence.timeZone);
      if (!same) {
        if (upcoming.length >= MAX_UPCOMING_ABSENCES) {
          return { outcome: 'invalid', errors: { absence_first: `You already have ${MAX_UPCOMING_ABSENCES} absences planned: remove one to add another.` } } as const;
        }
        await ctx.db.expertAbsences.add({ expertId: expert.id, ...addAbsence }, { transaction, now });
        added = true;
      }
    }
    await ctx.db.experts.setWorkingHours(expert.id, workingHours ? JSON.stringify(workingHours) : null, { transaction, now });
    const absences = added || removed > 0 ? (await ctx.db.expertAbsences.upcoming(expert.id, now, { transaction })).map(view) : upcoming.map(view);

    if (input.notify !== false && expert.slackUserId) {
      const text = availabilityNotice(workingHours, absences, { checkedIn: Boolean(expert.checkedIn) });
      const [messageId] = await ctx.db.slackMessages.add([{ ticketId: null, purpose: 'notice', channel: expert.slackUserId, expertId: expert.id, details: JSON.stringify({ text }) }], { transaction, now });
      await ctx.outbox.add(transaction, WORK.slackPost, { messageId: messageId! });
    }
    // Their Home shows their hours.
    await refreshHomes(ctx, transaction, { experts: [expert.id] });
    return { outcome: 'saved', workingHours, absences, added, removed } as const;
  });
}

/** The DM confirming an expert's availability (mrkdwn; the only outside text, the time zone, escaped). */
export function availabilityNotice(hours: WorkingHours | null, absences: readonly AbsenceView[], opts: { checkedIn: boolean }): string {
  const lines = [':white_check_mark: Your availability is saved.', `*Working hours:* ${escapeMrkdwn(describeWorkingHours(hours))}`];
  lines.push(absences.length === 0 ? '*Absences:* none planned' : `*Absences:* ${absences.map((a) => escapeMrkdwn(`${describeAbsence(a)}`)).join('; ')}`);
  lines.push(
    `You are paged only inside your working hours and never during an absence${opts.checkedIn ? '' : ' — and not at all while you are checked out (`/helpnet available` to check in)'}. You can still book from the channel at any time. Change this with \`/helpnet hours\`.`,
  );
  return lines.join('\n');
}
