import type { AllMiddlewareArgs, Logger, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ExpertLevel } from '../../../domain/experts/expert-levels.ts';
import { buildExpertSignupModal, type SignupPrefill } from '../../blocks/expert-signup-modal.ts';
import { answerClicker } from '../../answer-clicker.ts';
import type { SlackContext } from '../../slack-context.ts';

/** How long the modal waits for the Slack profile before opening without it: its trigger lasts 3 s. */
const PROFILE_WAIT_MS = 1200;

type Args = Pick<SlackCommandMiddlewareArgs & AllMiddlewareArgs, 'command' | 'ack' | 'client' | 'logger' | 'respond'>;

/** `/helpnet join`: acknowledged first (the form must open within Slack's 3 seconds), then the form; a failure is told to the caller only. */
export async function joinCommand(services: SlackContext, { command, ack, client, logger, respond }: Args): Promise<void> {
  await ack();
  try {
    if ((await openSignupModal(services, { userId: command.user_id, triggerId: command.trigger_id, client, logger })) === 'no_categories') {
      answerClicker(respond, logger, { text: 'Helpnet has no categories to answer tickets in yet. Please ask your Helpnet managers.' });
    }
  } catch (err) {
    logger.error(`/helpnet join for ${command.user_id} failed: ${String(err)}`);
    answerClicker(respond, logger, { text: `Something went wrong opening the application form. Please try \`${command.command} join\` again.` });
  }
}

/**
 * The `/helpnet join` form: opens the `expert.signup` modal, filled with
 * the applicant's pending application when they have one, else with the name, email and
 * phone of their Slack profile (users.info), if it answers in time. With no category to
 * apply for, nothing opens.
 */
export async function openSignupModal(services: SlackContext, input: { userId: string; triggerId: string; client: WebClient; logger: Logger }): Promise<'opened' | 'no_categories'> {
  const { db } = services;
  const [categories, prefill] = await Promise.all([db.routing.categories().then((cs) => cs.filter((c) => c.active).sort((a, b) => a.name.localeCompare(b.name))), pendingPrefill(services, input.userId)]);
  if (categories.length === 0) return 'no_categories';
  const view = buildExpertSignupModal(categories, prefill ?? (await profilePrefill(input)));
  await input.client.views.open({ trigger_id: input.triggerId, view });
  return 'opened';
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
