import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { setAvailability } from '../../../domain/experts/set-availability.ts';
import { HOME_LISTS, MAX_PAGE, type HomeList } from '../../../domain/home/home-data.ts';
import { changeHomePage, refreshHomes } from '../../../domain/home/refresh-homes.ts';
import type { SlackContext } from '../../slack-context.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Lists only the managers' part has: anyone else asking for them changes nothing. */
const MANAGER_LISTS: readonly HomeList[] = ['leaderboard', 'applications', 'exhausted', 'suspended'];

/**
 * The App Home's Check in / Check out buttons (`expert.check_in`, `expert.check_out`).
 * Acknowledged at once; the clicker's own expert record is changed (by their Slack id, never
 * by anything in the payload) and their Home republished at once to show it. Someone who is
 * not an expert changes nothing; their Home is republished (it shows how to join).
 */
export function checkInOutAction(services: SlackContext, checkedIn: boolean) {
  return async ({ ack, body, logger }: Args): Promise<void> => {
    await ack();
    const user = body.user.id;
    try {
      const expert = await services.db.experts.bySlackId(user);
      if (expert) await setAvailability(services, expert.id, checkedIn, { homeNow: true });
      else await services.db.unitOfWork((t) => refreshHomes(services, t, { viewers: [user] }, { now: true }));
    } catch (err) {
      logger.error(`checking ${user} ${checkedIn ? 'in' : 'out'} from the App Home failed: ${String(err)}`);
    }
  };
}

/**
 * A button pressed on the clicker's App Home (Book, Reinstate) has no message to answer in:
 * their Home is republished at once to show the outcome. Anything else is left alone.
 */
export async function refreshClickerHome(services: SlackContext, body: BlockButtonAction, logger: { error(msg: string): void }): Promise<void> {
  if (body.view?.type !== 'home') return;
  try {
    await services.db.unitOfWork((t) => refreshHomes(services, t, { viewers: [body.user.id] }, { now: true }));
  } catch (err) {
    logger.error(`could not republish the App Home of ${body.user.id}: ${String(err)}`);
  }
}

/** `<list>:<page>` of a paging button, checked; undefined for anything else. */
export function parsePageValue(value: string | undefined): { list: HomeList; page: number } | undefined {
  const m = /^([a-z]{1,20}):(\d{1,6})$/.exec(value ?? '');
  if (!m || !(HOME_LISTS as readonly string[]).includes(m[1]!)) return undefined;
  const page = Number(m[2]);
  return page <= MAX_PAGE ? { list: m[1] as HomeList, page } : undefined;
}

/**
 * Previous / Next under a list of the App Home (`home.page.previous`, `home.page.next`, value
 * `<list>:<page>`): the page is kept for the viewer and their Home republished at once. A
 * value that is not a list and page, or a managers' list asked for by someone else, changes
 * nothing.
 */
export function homePageAction(services: SlackContext) {
  return async ({ ack, body, action, logger }: Args): Promise<void> => {
    await ack();
    const user = body.user.id;
    const target = parsePageValue(action.value);
    if (!target) return logger.info(`ignored a paging button with value ${JSON.stringify(action.value ?? '').slice(0, 80)}`);
    if (MANAGER_LISTS.includes(target.list) && !(services.managerSlackIds ?? []).includes(user)) return logger.info(`ignored ${user} paging the managers' ${target.list}`);
    try {
      await changeHomePage(services, user, target.list, target.page);
    } catch (err) {
      logger.error(`paging the App Home of ${user} failed: ${String(err)}`);
    }
  };
}
