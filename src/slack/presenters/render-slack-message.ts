import type { DatabaseAccess } from '../../db/database.ts';
import type { SlackMessagePurpose } from '../../db/models/slack-message.ts';
import type { SlackMessageRow } from '../../db/repositories/slack-messages.ts';
import { customerLabel, expertLabel } from '../../domain/relay/labels.ts';
import { escapeMrkdwn } from '../../lib/mrkdwn.ts';
import { surveyNotice } from '../../domain/surveys/survey-notices.ts';
import type { SurveyLinks } from '../../domain/surveys/survey-token.ts';
import { buildDeliveryAlert, buildEscalationAlert, buildRequesterConfirmation, buildUnroutableAlert } from '../blocks/alert-messages.ts';
import { buildRelayMessage } from '../blocks/relay-message.ts';
import { mrkdwnSection } from '../blocks/text.ts';
import { buildSuspensionAlert } from '../blocks/suspension-alert.ts';
import { buildApplicationMessage } from '../blocks/expert-application.ts';
import { loadExpertApplication } from './load-expert-application.ts';
import { buildTicketCard } from '../blocks/ticket-card.ts';
import { loadTicketCard } from './load-ticket-card.ts';
import { renderExpertThread } from './render-expert-thread.ts';
import type { RenderedMessage } from './rendered-message.ts';

/** What a message's JSON details hold beyond its row (an alert's reason, a notice's text, the dispatch round). */
type Details = Record<string, string | number | undefined>;

/** What rendering reads: the database, and the survey links a notice to a customer carries. */
export type RenderContext = { db: DatabaseAccess; surveyLinks: SurveyLinks };

type Renderer = (db: DatabaseAccess, message: SlackMessageRow, details: Details, links: SurveyLinks) => RenderedMessage | Promise<RenderedMessage>;

const text = (details: Details, key: string, fallback: string) => (typeof details[key] === 'string' ? details[key] : fallback);
const round = (details: Details) => (typeof details.round === 'number' ? details.round : 1);

/**
 * How each kind of message looks, by its purpose: every purpose has its renderer here, so
 * a purpose added without one does not compile.
 */
const RENDERERS: Record<SlackMessagePurpose, Renderer> = {
  dispatch: async (db, m, details) => buildTicketCard((await loadTicketCard(db, m.ticketId!, m.tier ?? 1, round(details))).card),
  page: async (db, m, details) => {
    const { card } = await loadTicketCard(db, m.ticketId!, m.tier ?? 1, round(details));
    return buildTicketCard(card, `:wave: You are one of the best-placed experts for this *${escapeMrkdwn(card.categoryName)}* ticket. Book it if you can take it.`);
  },
  escalation_alert: async (db, m) => {
    const { card, channels } = await loadTicketCard(db, m.ticketId!, m.tier ?? 1);
    return buildEscalationAlert({ publicId: card.publicId, categoryName: card.categoryName, tierCount: card.tierCount, channels });
  },
  requester_confirmation: async (db, m) => {
    const { card } = await loadTicketCard(db, m.ticketId!, 1);
    return buildRequesterConfirmation({ publicId: card.publicId, categoryName: card.categoryName });
  },
  unroutable_alert: (_db, _m, details) => buildUnroutableAlert({ source: text(details, 'source', 'a source'), reference: text(details, 'reference', ''), reason: text(details, 'reason', 'no matching category') }),
  delivery_alert: (_db, _m, details) => buildDeliveryAlert({ channel: text(details, 'channel', ''), what: text(details, 'what', 'a message'), error: text(details, 'error', 'unknown error') }),
  expert_thread: (db, m) => renderExpertThread(db, m),
  relay: async (db, m, _details, links) => {
    const message = await db.ticketMessages.byId(m.ticketMessageId!);
    if (!message) throw new Error(`transcript message ${m.ticketMessageId} not found`);
    const label = message.side === 'customer' ? customerLabel(message.aliasName ?? '') : message.side === 'expert' ? expertLabel(message.aliasName ?? '') : null;
    if (message.side !== 'system' || !message.surveyId) return buildRelayMessage(label, message.body);
    // Helpnet's notice to the customer of a survey: with its link (never stored) while the
    // survey waits. Relayed text is verbatim, where Slack links no bare URL: the link is
    // Helpnet's own markup, so the requester can click it.
    const notice = surveyNotice(message, await db.surveys.byId(message.surveyId), links);
    if (!notice.url) return buildRelayMessage(null, notice.text);
    const withLink = `${escapeMrkdwn(notice.text)} <${notice.url}|Answer the survey>`;
    return { text: withLink, blocks: [mrkdwnSection(withLink)] };
  },
  // Written by Helpnet; anything from outside in it was escaped when it was written.
  notice: (_db, _m, details) => ({ text: text(details, 'text', '') }),
  // The reason as it was when they were suspended; who reinstated them once someone has.
  suspension_alert: async (db, m, details) => {
    const expert = m.expertId ? await db.experts.byId(m.expertId) : undefined;
    const reinstatedBy = typeof details.reinstatedBy === 'string' ? details.reinstatedBy : null;
    return buildSuspensionAlert({ expertId: m.expertId ?? 0, expertName: expert?.name ?? 'An expert', slackUserId: expert?.slackUserId ?? null, reason: text(details, 'reason', 'score below the threshold'), reinstatedBy });
  },
  // An application to the managers: its state now (pending with its inputs, or who decided).
  expert_application: async (db, _m, details) => {
    const view = typeof details.applicationId === 'number' ? await loadExpertApplication(db, details.applicationId) : undefined;
    return view ? buildApplicationMessage(view) : { text: 'This expert application no longer exists.' };
  },
};

/** The content of a Slack message, from the current state of what it is about. */
export async function renderSlackMessage(ctx: RenderContext, message: SlackMessageRow): Promise<RenderedMessage> {
  const details = message.details ? (JSON.parse(message.details) as Details) : {};
  return RENDERERS[message.purpose](ctx.db, message, details, ctx.surveyLinks);
}
