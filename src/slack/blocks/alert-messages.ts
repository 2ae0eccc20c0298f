import type { KnownBlock } from '@slack/types';
import { escapeAndTruncate, escapeMrkdwn } from '../../lib/mrkdwn.ts';
import { mrkdwnSection } from './text.ts';

/** To the managers' channel: a ticket passed its last tier unbooked. */
export function buildEscalationAlert(a: { publicId: string; categoryName: string; tierCount: number; channels: string[] }): { text: string; blocks: KnownBlock[] } {
  const where = a.channels.map((c) => `<#${c}>`).join(', ');
  const text = `:rotating_light: *${a.publicId}* (${escapeMrkdwn(a.categoryName)}) went through all ${a.tierCount} tier${a.tierCount === 1 ? '' : 's'} without being booked. It is still open in ${where}: please find an expert for it.`;
  return { text: `${a.publicId} needs an expert: no one booked it`, blocks: [mrkdwnSection(text)] };
}

/** To the managers' channel: something arrived that no category matches and there is no default. */
export function buildUnroutableAlert(a: { source: string; reference: string; reason: string }): { text: string; blocks: KnownBlock[] } {
  const text = `:warning: A ticket from ${escapeMrkdwn(a.source)} (${escapeAndTruncate(a.reference, 200)}) could not be routed: ${escapeAndTruncate(a.reason, 1000)}. Add its category (or a \`defaultCategory\`) to the routing file and restart Helpnet, or tag the ticket with a category key: it is filed at its next change.`;
  return { text: `Unroutable ticket from ${a.source}`, blocks: [mrkdwnSection(text)] };
}

/** To the managers' channel: a message could not be delivered and will not be retried. */
export function buildDeliveryAlert(a: { channel: string; what: string; error: string }): { text: string; blocks: KnownBlock[] } {
  // Pages go to a user's DM (a user id), everything else to a channel; no channel: not to be named.
  const where = !a.channel ? '' : /^[UW]/.test(a.channel) ? ` to <@${a.channel}>` : ` to <#${a.channel}>`;
  const text = `:warning: Helpnet could not post ${escapeMrkdwn(a.what)}${where}: Slack answered \`${escapeAndTruncate(a.error, 200)}\`. Check that the channel exists and the Helpnet app is in it.`;
  return { text: 'Helpnet could not deliver a message', blocks: [mrkdwnSection(text)] };
}

/** To a Slack requester: their ticket was received. */
export function buildRequesterConfirmation(a: { publicId: string; categoryName: string }): { text: string; blocks: KnownBlock[] } {
  const text = `:inbox_tray: Thanks — your ticket *${a.publicId}* (${escapeMrkdwn(a.categoryName)}) is with our experts. You will be told in this thread when one takes it; *reply in this thread* to write to them. \`/helpnet status\` lists your open tickets.`;
  return { text: `Your ticket ${a.publicId} was received`, blocks: [mrkdwnSection(text)] };
}
