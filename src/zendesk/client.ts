import zendesk from 'node-zendesk';
import type { ZendeskConfig } from '../config/load-config.ts';

/** A failure worth retrying (429, 5xx, network); `retryAfterMs` from Zendesk's Retry-After. */
export class RetryableZendeskError extends Error {
  override readonly name = 'RetryableZendeskError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A refusal retrying cannot fix (404, 401, 422…). */
export class PermanentZendeskError extends Error {
  override readonly name = 'PermanentZendeskError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface ZendeskTicketData {
  id: number;
  subject: string | null;
  description: string;
  status: string;
  priority: string | null;
  requester_id: number;
  tags: string[];
  custom_fields: { id: number; value: unknown }[];
}

export interface ZendeskUserData {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
}

export interface ZendeskCommentData {
  id: number;
  author_id: number;
  body: string;
  public: boolean;
  created_at: string;
}

/** The few Zendesk calls Helpnet makes, with errors turned into retry-or-not. */
export interface ZendeskClient {
  getTicket(id: number): Promise<ZendeskTicketData>;
  getUser(id: number): Promise<ZendeskUserData>;
  getComments(ticketId: number): Promise<ZendeskCommentData[]>;
  addComment(ticketId: number, body: string, visibility: 'public' | 'internal'): Promise<void>;
  /** The user Helpnet acts as (the integration user), asked once. */
  me(): Promise<ZendeskUserData>;
}

type Raw = { response?: { status: number; headers: { get(name: string): string | null } }; result: unknown };

/**
 * node-zendesk resolves (does not throw) on a 429 and hides its Retry-After, and wraps other
 * errors in plain ones: this wrapper asks for the original errors and turns every outcome
 * into data, RetryableZendeskError or PermanentZendeskError.
 */
export function createZendeskClient(config: ZendeskConfig): ZendeskClient {
  const client = zendesk.createClient({ username: config.email, token: config.apiToken, endpointUri: config.apiUrl, throwOriginalException: true } as never);

  async function call<T>(what: string, run: () => Promise<unknown>): Promise<T> {
    let raw: unknown;
    try {
      raw = await run();
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === undefined) throw new RetryableZendeskError(`could not reach Zendesk (${what}): ${(err as Error).message}`);
      if (status === 429 || status >= 500) throw new RetryableZendeskError(`Zendesk answered ${status} (${what})`);
      throw new PermanentZendeskError(`Zendesk answered ${status} (${what})`, status);
    }
    const { response, result } = (raw && typeof raw === 'object' && 'result' in raw ? raw : { result: raw }) as Raw;
    if (result instanceof Error) {
      const status = (result as { statusCode?: number }).statusCode ?? response?.status ?? 0;
      const retryAfter = Number(response?.headers.get('retry-after'));
      if (status === 429 || status >= 500 || status === 0) {
        throw new RetryableZendeskError(`Zendesk answered ${status} (${what})`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 60_000);
      }
      throw new PermanentZendeskError(`Zendesk answered ${status} (${what})`, status);
    }
    return result as T;
  }

  let me: Promise<ZendeskUserData> | undefined;
  return {
    me() {
      me ??= call<ZendeskUserData>('the API user', () => client.users.me()).catch((err: unknown) => {
        me = undefined;
        throw err;
      });
      return me;
    },
    getTicket: (id) => call(`ticket ${id}`, () => client.tickets.show(id)),
    getUser: (id) => call(`user ${id}`, () => client.users.show(id)),
    getComments: (id) => call(`comments of ticket ${id}`, () => client.tickets.getComments(id)),
    async addComment(ticketId, body, visibility) {
      await call(`comment on ticket ${ticketId}`, () => client.tickets.update(ticketId, { ticket: { comment: { body, public: visibility === 'public' } } } as never));
    },
  };
}
