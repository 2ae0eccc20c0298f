import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ExpertLevel } from '../../../domain/experts/expert-levels.ts';
import { buildExpertSignupModal, type SignupPrefill } from '../../blocks/expert-signup-modal.ts';
import type { SlackContext } from '../../slack-context.ts';

/** How long the modal waits for the Slack profile before opening without it: its trigger lasts 3 s. */
const PROFILE_WAIT_MS = 1200;

/**
 * `/helpnet join` (acknowledged by the caller): opens the `expert.signup` modal, filled with
 * the applicant's pending application when they have one, else with the name, email and
 * phone of their Slack profile (users.info), if it answers in time.
 */
export async function openSignupModal(services: SlackContext, input: { userId: string; triggerId: string; client: WebClient; logger: Logger }): Promise<void> {
  const { db } = services;
  const [categories, prefill] = await Promise.all([db.routing.categories().then((cs) => cs.filter((c) => c.active).sort((a, b) => a.name.localeCompare(b.name))), pendingPrefill(services, input.userId)]);
  const view = buildExpertSignupModal(categories, prefill ?? (await profilePrefill(input)));
  await input.client.views.open({ trigger_id: input.triggerId, view });
}

async function pendingPrefill(services: SlackContext, userId: string): Promise<SignupPrefill | undefined> {
  const expert = await services.db.experts.bySlackId(userId);
  const pending = expert ? await services.db.expertApplications.pendingOf(expert.id) : undefined;
  if (!expert || !pending) return undefined;
  const keys = new Map((await services.db.routing.categories()).map((c) => [c.id, c.key]));
  const levels: Record<string, ExpertLevel> = {};
  for (const c of JSON.parse(pending.categories) as { categoryId: number; level: ExpertLevel }[]) if (keys.has(c.categoryId)) levels[keys.get(c.categoryId)!] = c.level;
  return {
    name: expert.name,
    email: expert.email ?? undefined,
    phone: expert.phone ?? undefined,
    yearsExperience: pending.yearsExperience,
    summary: pending.summary,
    referees: JSON.parse(pending.referees) as { name: string; contact: string }[],
    levels,
  };
}

async function profilePrefill(input: { userId: string; client: WebClient; logger: Logger }): Promise<SignupPrefill> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), PROFILE_WAIT_MS)));
  try {
    const res = await Promise.race([input.client.users.info({ user: input.userId }), late]);
    const profile = res?.user?.profile;
    return { name: profile?.real_name || res?.user?.real_name || undefined, email: profile?.email || undefined, phone: profile?.phone || undefined };
  } catch (err) {
    input.logger.warn(`could not read the Slack profile of ${input.userId} for /helpnet join: ${String(err)}`);
    return {};
  } finally {
    clearTimeout(timer);
  }
}
