import { QueryTypes, type Sequelize } from 'sequelize';

/** The sandbox workspace's rows (see migrations/20261205000400-create-sandbox-tables.ts). */

export interface SandboxUser {
  slackId: string;
  name: string;
  tz: string;
  isManager: boolean;
}

export interface SandboxMessage {
  conversation: string;
  ts: string;
  threadTs: string | null;
  /** Who wrote it: a person's id, or null for the bot. */
  userId: string | null;
  text: string | null;
  blocks: unknown;
  metadata: unknown;
  updatedAt: Date;
}

export interface SandboxView {
  viewId: string;
  userId: string;
  kind: 'home' | 'modal';
  view: Record<string, unknown>;
  closed: boolean;
}

const parse = (text: unknown): unknown => (typeof text === 'string' && text !== '' ? JSON.parse(text) : undefined);
const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

export type SandboxStore = ReturnType<typeof sandboxStore>;

/** Plain SQL over the sandbox tables; both engines (SQLite, MariaDB) take it as written. */
export function sandboxStore(sequelize: Sequelize, now: () => Date = () => new Date()) {
  type Row = Record<string, unknown>;
  const select = async <T extends object = Row>(sql: string, replacements: unknown[]): Promise<T[]> => sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT });
  const run = (sql: string, replacements: unknown[]) => sequelize.query(sql, { replacements });
  // Slack's ts: seconds, then a counter, so they are unique and sort in posting order.
  let counter = 0;
  const nextTs = () => {
    counter = (counter + 1) % 1_000_000;
    return `${Math.floor(now().getTime() / 1000)}.${String(counter).padStart(6, '0')}`;
  };
  const toMessage = (r: Record<string, unknown>): SandboxMessage => ({
    conversation: String(r.conversation),
    ts: String(r.ts),
    threadTs: (r.thread_ts as string | null) ?? null,
    userId: (r.user_id as string | null) ?? null,
    text: (r.text as string | null) ?? null,
    blocks: parse(r.blocks),
    metadata: parse(r.metadata),
    updatedAt: new Date(r.updated_at as string),
  });
  const toView = (r: Record<string, unknown>): SandboxView => ({
    viewId: String(r.view_id),
    userId: String(r.user_id),
    kind: r.kind === 'home' ? 'home' : 'modal',
    view: parse(r.view) as Record<string, unknown>,
    closed: Boolean(Number(r.closed)),
  });

  return {
    async countUsers(): Promise<number> {
      const [row] = await select<{ n: number }>('SELECT COUNT(*) AS n FROM sandbox_users', []);
      return Number(row?.n ?? 0);
    },
    async addUser(u: SandboxUser): Promise<void> {
      const existing = await select('SELECT id FROM sandbox_users WHERE slack_id = ?', [u.slackId]);
      if (existing.length > 0) await run('UPDATE sandbox_users SET name = ?, tz = ?, is_manager = ? WHERE slack_id = ?', [u.name, u.tz, u.isManager, u.slackId]);
      else await run('INSERT INTO sandbox_users (slack_id, name, tz, is_manager, created_at) VALUES (?, ?, ?, ?, ?)', [u.slackId, u.name, u.tz, u.isManager, now()]);
    },
    async users(): Promise<SandboxUser[]> {
      const rows = await select('SELECT slack_id, name, tz, is_manager FROM sandbox_users ORDER BY id', []);
      return rows.map((r) => ({ slackId: String(r.slack_id), name: String(r.name), tz: String(r.tz), isManager: Boolean(Number(r.is_manager)) }));
    },
    async addChannel(channelId: string, name: string): Promise<void> {
      const existing = await select('SELECT id FROM sandbox_channels WHERE channel_id = ?', [channelId]);
      if (existing.length > 0) await run('UPDATE sandbox_channels SET name = ? WHERE channel_id = ?', [name, channelId]);
      else await run('INSERT INTO sandbox_channels (channel_id, name) VALUES (?, ?)', [channelId, name]);
    },
    async channels(): Promise<{ id: string; name: string }[]> {
      const rows = await select('SELECT channel_id, name FROM sandbox_channels ORDER BY name', []);
      return rows.map((r) => ({ id: String(r.channel_id), name: String(r.name) }));
    },
    async post(m: { conversation: string; threadTs?: string | null; userId?: string | null; text?: string | null; blocks?: unknown; metadata?: unknown }): Promise<string> {
      const ts = nextTs();
      const at = now();
      await run('INSERT INTO sandbox_messages (conversation, ts, thread_ts, user_id, text, blocks, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        m.conversation,
        ts,
        m.threadTs ?? null,
        m.userId ?? null,
        m.text ?? null,
        json(m.blocks),
        json(m.metadata),
        at,
        at,
      ]);
      return ts;
    },
    /** Replaces a message's text and blocks; false when there is no such message. */
    async update(conversation: string, ts: string, m: { text?: string | null; blocks?: unknown }): Promise<boolean> {
      const found = await select('SELECT id FROM sandbox_messages WHERE conversation = ? AND ts = ?', [conversation, ts]);
      if (found.length === 0) return false;
      await run('UPDATE sandbox_messages SET text = ?, blocks = ?, updated_at = ? WHERE conversation = ? AND ts = ?', [m.text ?? null, json(m.blocks), now(), conversation, ts]);
      return true;
    },
    /** A conversation's messages, oldest first, from `oldest` on (Slack's `oldest`, inclusive). */
    async messages(conversation: string, oldest = '0'): Promise<SandboxMessage[]> {
      const rows = await select('SELECT * FROM sandbox_messages WHERE conversation = ? ORDER BY id', [conversation]);
      return rows.map(toMessage).filter((m) => Number(m.ts) >= Number(oldest));
    },
    async message(conversation: string, ts: string): Promise<SandboxMessage | undefined> {
      const rows = await select('SELECT * FROM sandbox_messages WHERE conversation = ? AND ts = ?', [conversation, ts]);
      return rows[0] ? toMessage(rows[0]) : undefined;
    },
    /** A home (one per person: replaced) or a new modal; `viewId` replaces that view (views.update). */
    async saveView(v: { viewId?: string; userId: string; kind: 'home' | 'modal'; view: unknown }): Promise<string> {
      const existing =
        v.viewId !== undefined
          ? await select('SELECT view_id FROM sandbox_views WHERE view_id = ?', [v.viewId])
          : v.kind === 'home'
            ? await select("SELECT view_id FROM sandbox_views WHERE user_id = ? AND kind = 'home'", [v.userId])
            : [];
      if (existing[0]) {
        const id = String(existing[0].view_id);
        await run('UPDATE sandbox_views SET view = ?, updated_at = ? WHERE view_id = ?', [json(v.view), now(), id]);
        return id;
      }
      const id = `V0SBX${nextTs().replace('.', '')}`;
      await run('INSERT INTO sandbox_views (view_id, user_id, kind, view, closed, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [id, v.userId, v.kind, json(v.view), false, now()]);
      return id;
    },
    async view(viewId: string): Promise<SandboxView | undefined> {
      const rows = await select('SELECT * FROM sandbox_views WHERE view_id = ?', [viewId]);
      return rows[0] ? toView(rows[0]) : undefined;
    },
    async home(userId: string): Promise<SandboxView | undefined> {
      const rows = await select("SELECT * FROM sandbox_views WHERE user_id = ? AND kind = 'home'", [userId]);
      return rows[0] ? toView(rows[0]) : undefined;
    },
    /** The modals a person has open, newest last. */
    async openModals(userId: string): Promise<SandboxView[]> {
      const rows = await select("SELECT * FROM sandbox_views WHERE user_id = ? AND kind = 'modal' AND closed = ? ORDER BY id", [userId, false]);
      return rows.map(toView);
    },
    async closeView(viewId: string): Promise<void> {
      await run('UPDATE sandbox_views SET closed = ?, updated_at = ? WHERE view_id = ?', [true, now(), viewId]);
    },
  };
}
