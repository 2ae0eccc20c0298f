import zendesk from 'node-zendesk';
import type { ZendeskConfig } from '../config/load-config.ts';
import { request, type HttpResponse } from '../lib/http-request.ts';

/** How long a Zendesk request may take before it is given up (and retried later). */
const ZENDESK_TIMEOUT_MS = 15_000;

/** A failure worth retrying (429, 5xx, network, time-out); `retryAfterMs` from Zendesk's Retry-After. */
export class RetryableZendeskError extends Error {
  override readonly name: string = 'RetryableZendeskError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Zendesk refused Helpnet's credentials or permissions (401/403) on a read intake depends
 * on: retried with the normal backoff, since an operator can fix it (a rotated token, a
 * changed role) and the delivery must not be lost meanwhile.
 */
export class ZendeskAccessError extends RetryableZendeskError {
  override readonly name = 'ZendeskAccessError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A refusal retrying cannot fix (404, 422…; 401/403 except on intake reads, see ZendeskAccessError). */
export class PermanentZendeskError extends Error {
  override readonly name = 'PermanentZendeskError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** An intake read refused for credentials or permissions, as the retryable ZendeskAccessError; other errors as they are. */
export function accessRefusalAsRetryable(err: unknown): unknown {
  if (err instanceof PermanentZendeskError && (err.status === 401 || err.status === 403)) return new ZendeskAccessError(err.message, err.status);
  return err;
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
  /** The requester, when Zendesk side-loaded them with the ticket (see getTicket). */
  requester?: ZendeskUserData | null;
  organization_id?: number | null;
  /** The ticket's organization (the requester's company), when side-loaded with it. */
  organization?: ZendeskOrganizationData | null;
}

export interface ZendeskUserData {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  organization_id?: number | null;
}

export interface ZendeskOrganizationData {
  id: number;
  name: string;
}

export interface ZendeskCommentData {
  id: number;
  author_id: number;
  body: string;
  public: boolean;
  created_at: string;
  /** Who wrote it, as Zendesk describes them now, when side-loaded (see getComments). */
  author?: ZendeskUserData | null;
}

/** The few Zendesk calls Helpnet makes, with errors turned into retry-or-not. */
export interface ZendeskClient {
  /**
   * The ticket with its requester and organization side-loaded (`?include=users,organizations`:
   * one request instead of three). Used by intake only: a 401/403 is a ZendeskAccessError
   * (retried), a 404 permanent.
   */
  getTicket(id: number): Promise<ZendeskTicketData>;
  /** Used by intake only: as getTicket. */
  getUser(id: number): Promise<ZendeskUserData>;
  /** A ticket's comments, each with its author side-loaded (`?include=users`). */
  getComments(ticketId: number): Promise<ZendeskCommentData[]>;
  addComment(ticketId: number, body: string, visibility: 'public' | 'internal'): Promise<void>;
  /** Sets the ticket's status (`pending` while the survey waits, `solved` once it closes). */
  setStatus(ticketId: number, status: 'pending' | 'solved'): Promise<void>;
  /** The user Helpnet acts as (the integration user), asked once. */
  me(): Promise<ZendeskUserData>;
}

type Raw = { response?: { status: number; headers: { get(name: string): string | null } }; result: unknown };

/**
 * node-zendesk resolves (does not throw) on a 429 and hides its Retry-After, and wraps other
 * errors in plain ones: this wrapper asks for the original errors and turns every outcome
 * into data, RetryableZendeskError or PermanentZendeskError.
 */
export function createZendeskClient(config: ZendeskConfig, opts: { timeoutMs?: number } = {}): ZendeskClient {
  const timeoutMs = opts.timeoutMs ?? ZENDESK_TIMEOUT_MS;
  const client = zendesk.createClient({
    username: config.email,
    token: config.apiToken,
    endpointUri: config.apiUrl,
    throwOriginalException: true,
    // With a time limit: a request Zendesk never answers fails (and is retried) instead of
    // holding its ticket's sends, and its job, for ever.
    transportConfig: {
      transportFn: (url: string, o: { method?: string; headers?: Record<string, string>; body?: string | null }) => request(url, { method: o.method, headers: o.headers, body: o.body, timeoutMs }),
      responseAdapter: (response: HttpResponse) => response,
    },
  } as never);
  // node-zendesk puts side-loaded records onto results by the fields its client lists, and
  // its ticket client lists none for comments: a comment's author (author_id) becomes `author`.
  client.tickets.sideLoadMap.push({ field: 'author_id', name: 'author', dataset: 'users' });

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
        // The wait Zendesk asked for (a 429 without one waits a minute); other failures back off as usual.
        const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : status === 429 ? 60_000 : undefined;
        throw new RetryableZendeskError(`Zendesk answered ${status} (${what})`, wait);
      }
      throw new PermanentZendeskError(`Zendesk answered ${status} (${what})`, status);
    }
    return result as T;
  }

  async function intakeRead<T>(what: string, run: () => Promise<unknown>): Promise<T> {
    try {
      return await call<T>(what, run);
    } catch (err) {
      throw accessRefusalAsRetryable(err);
    }
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
    // Read only by intake: a 401/403 there is retried (see ZendeskAccessError). The calls the
    // relay shares (me, getComments, addComment) keep 401/403 permanent.
    // node-zendesk's ticket client maps a side-loaded requester and organization onto the
    // ticket (`requester`, `organization`).
    getTicket: (id) => intakeRead(`ticket ${id}`, () => client.tickets.get(['tickets', id, { include: 'users,organizations' }])),
    getUser: (id) => intakeRead(`user ${id}`, () => client.users.show(id)),
    getComments: (id) => call(`comments of ticket ${id}`, () => client.tickets.getAll(['tickets', id, 'comments', { include: 'users' }])),
    async addComment(ticketId, body, visibility) {
      await call(`comment on ticket ${ticketId}`, () => client.tickets.update(ticketId, { ticket: { comment: { body, public: visibility === 'public' } } } as never));
    },
    async setStatus(ticketId, status) {
      await call(`status of ticket ${ticketId}`, () => client.tickets.update(ticketId, { ticket: { status } } as never));
    },
  };
}
