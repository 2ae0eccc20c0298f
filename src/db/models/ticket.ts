import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Category } from './category.ts';
import type { Customer } from './customer.ts';

export const TICKET_SOURCES = ['zendesk', 'slack', 'widget', 'portal'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

export const TICKET_STATUSES = ['open', 'dispatched', 'booked', 'close_pending', 'closed', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_URGENCIES = ['low', 'normal', 'high'] as const;
export type TicketUrgency = (typeof TICKET_URGENCIES)[number];

/** A request for help. Shown to people as `HN-<id>` (see ticket-public-id.ts). */
export class Ticket extends Model<InferAttributes<Ticket>, InferCreationAttributes<Ticket>> {
  declare id: CreationOptional<number>;
  declare categoryId: ForeignKey<Category['id']>;
  declare customerId: ForeignKey<Customer['id']>;
  declare source: TicketSource;
  /** The source's own id (Zendesk ticket id, Slack view id, widget or portal submission id): one ticket per source event. */
  declare externalId: string | null;
  declare status: CreationOptional<TicketStatus>;
  declare urgency: CreationOptional<TicketUrgency>;
  declare subject: CreationOptional<string | null>;
  declare description: string;
  /** Position of the tier the ticket is currently posted to; null before dispatch. */
  declare tier: CreationOptional<number | null>;
  declare dispatchedAt: CreationOptional<Date | null>;
  declare bookedAt: CreationOptional<Date | null>;
  declare resolvedAt: CreationOptional<Date | null>;
  declare closedAt: CreationOptional<Date | null>;
  /** The expert who booked the ticket. */
  declare expertId: CreationOptional<number | null>;
  /** SHA-256 of the widget customer's access token. */
  declare accessTokenHash: CreationOptional<string | null>;
  /** Set when the last tier's timeout passed unbooked and managers were alerted. */
  declare escalationExhaustedAt: CreationOptional<Date | null>;
  /** When the source (e.g. Zendesk's internal note) was told where the ticket went. */
  declare sourceNotedAt: CreationOptional<Date | null>;
  /** Set while that note went out without Zendesk's answer: the next attempt looks for it before sending again. */
  declare sourceNoteUnconfirmedAt: CreationOptional<Date | null>;
  /** Starts at 1; a release starts a new round, so escalations left from an earlier round do nothing. */
  declare dispatchRound: CreationOptional<number>;
  /** The last Zendesk comment read into the transcript (Zendesk tickets). */
  declare zendeskCommentCursor: CreationOptional<string | null>;
  /** While set in the future, one job holds the right to send this ticket's Zendesk comments. */
  declare zendeskRelayLeaseUntil: CreationOptional<Date | null>;
  /** The token of the sender holding that lease. */
  declare zendeskRelayLeaseOwner: CreationOptional<string | null>;
  /** Set while a job to send this ticket's Zendesk comments is queued and has not started. */
  declare zendeskRelayDueAt: CreationOptional<Date | null>;
  /** What the expert wrote when resolving. */
  declare resolutionNotes: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Ticket {
    return Ticket.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        source: { type: DataTypes.STRING(16), allowNull: false, validate: { isIn: [TICKET_SOURCES] } },
        externalId: { type: DataTypes.STRING(128), allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'open', validate: { isIn: [TICKET_STATUSES] } },
        urgency: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'normal', validate: { isIn: [TICKET_URGENCIES] } },
        subject: { type: DataTypes.STRING(500), allowNull: true },
        description: { type: DataTypes.TEXT, allowNull: false },
        tier: { type: DataTypes.INTEGER, allowNull: true },
        dispatchedAt: { type: DataTypes.DATE(3), allowNull: true },
        bookedAt: { type: DataTypes.DATE(3), allowNull: true },
        resolvedAt: { type: DataTypes.DATE(3), allowNull: true },
        closedAt: { type: DataTypes.DATE(3), allowNull: true },
        expertId: { type: DataTypes.INTEGER, allowNull: true },
        accessTokenHash: { type: DataTypes.STRING(64), allowNull: true },
        escalationExhaustedAt: { type: DataTypes.DATE(3), allowNull: true },
        sourceNotedAt: { type: DataTypes.DATE(3), allowNull: true },
        sourceNoteUnconfirmedAt: { type: DataTypes.DATE(3), allowNull: true },
        dispatchRound: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        zendeskCommentCursor: { type: DataTypes.BIGINT, allowNull: true },
        zendeskRelayLeaseUntil: { type: DataTypes.DATE(3), allowNull: true },
        zendeskRelayLeaseOwner: { type: DataTypes.STRING(64), allowNull: true },
        zendeskRelayDueAt: { type: DataTypes.DATE(3), allowNull: true },
        resolutionNotes: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'tickets', modelName: 'Ticket' },
    );
  }
}
