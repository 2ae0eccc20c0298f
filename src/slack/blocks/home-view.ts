import type { HomeView, KnownBlock } from '@slack/types';
import type { HomeData } from '../../domain/home/home-data.ts';
import { buildExpertHomeBlocks } from './home-expert.ts';
import { buildManagerHomeBlocks } from './home-manager.ts';
import { header } from './home-parts.ts';
import { mrkdwnSection } from './text.ts';

/** What someone who is neither an approved expert nor a manager sees: what Helpnet is, how to join. */
export function buildStrangerHomeBlocks(): KnownBlock[] {
  return [
    header('Welcome to Helpnet'),
    mrkdwnSection(
      'Helpnet is an IT help network inside Slack. Tickets from Zendesk, the web widget or `/helpnet` go to the group of experts qualified for them; the best-ranked available experts are paged, and the first to press *Book* takes the ticket. Expert and customer talk through Helpnet under aliases, and every resolved ticket gets a short survey that ranks the experts.',
    ),
    mrkdwnSection('*Need help?* Type `/helpnet` in any channel to file a ticket; `/helpnet status` shows your open tickets.'),
    mrkdwnSection('*Want to help as an expert?* Type `/helpnet join` to apply with your skills. A Helpnet manager reviews your application before any ticket is assigned to you; once approved, this page shows your status, your tickets and the tickets you can book.'),
  ];
}

/**
 * The App Home of one viewer, from what domain/home loaded: the expert's part, then the
 * managers' part, or the welcome for everyone else. Pure; within Slack's limits by
 * construction (at most about 70 blocks; every list text cut at a line to fit a section).
 */
export function buildHomeView(data: HomeData): HomeView {
  const blocks: KnownBlock[] = [];
  if (data.expert) blocks.push(...buildExpertHomeBlocks(data.expert));
  if (data.manager) {
    if (blocks.length > 0) blocks.push({ type: 'divider' });
    blocks.push(...buildManagerHomeBlocks(data.manager));
  }
  if (blocks.length === 0) blocks.push(...buildStrangerHomeBlocks());
  return { type: 'home', blocks };
}
