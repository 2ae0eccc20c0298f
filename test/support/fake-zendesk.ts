import { FakeHttpServer, type FakeReply } from './fake-http-server.ts';

/**
 * A fake Zendesk Support API under `${url}/api/v2`: tickets, their comments and users, in
 * Zendesk's JSON shapes, behind Basic auth `email/token:TOKEN`. No test-framework imports.
 */

export interface ZendeskUser {
  id: number;
  name: string;
  email: string;
  phone?: string | null;
  role: 'end-user' | 'agent' | 'admin';
  organization_id?: number | null;
}

export interface ZendeskOrganization {
  id: number;
  name: string;
}

export interface ZendeskComment {
  id: number;
  type: 'Comment';
  author_id: number;
  body: string;
  html_body: string;
  public: boolean;
  created_at: string;
}

export interface ZendeskTicket {
  id: number;
  subject: string;
  description: string;
  status: string;
  priority: string | null;
  requester_id: number;
  /** The requester's organization when the ticket was filed. */
  organization_id: number | null;
  tags: string[];
  custom_fields: { id: number; value: unknown }[];
  created_at: string;
  updated_at: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export class FakeZendesk {
  readonly http: FakeHttpServer;
  readonly tickets = new Map<number, ZendeskTicket>();
  readonly comments = new Map<number, ZendeskComment[]>();
  readonly users = new Map<number, ZendeskUser>();
  readonly organizations = new Map<number, ZendeskOrganization>();
  readonly apiUser: ZendeskUser;
  private nextId = 1000;

  constructor(
    readonly email = 'helpnet@example.com',
    readonly apiToken = 'zendesk-test-token',
  ) {
    this.apiUser = this.addUser({ name: 'Helpnet Integration', email, role: 'admin' });
    this.http = new FakeHttpServer((req) => {
      const { route, params } = matchRoute(req.method, req.path);
      return { route, reply: () => this.answer(route, params, req.headers.authorization, req.body, req.query) };
    });
  }

  static async start(email?: string, token?: string): Promise<FakeZendesk> {
    const fake = new FakeZendesk(email, token);
    await fake.http.start();
    return fake;
  }

  /** What to set ZENDESK_API_URL to. */
  get apiUrl(): string {
    return `${this.http.url}/api/v2`;
  }

  get calls() {
    return this.http.calls;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  addUser(u: Omit<ZendeskUser, 'id' | 'role'> & { role?: ZendeskUser['role'] }): ZendeskUser {
    const user: ZendeskUser = { id: ++this.nextId, role: 'end-user', phone: null, ...u };
    this.users.set(user.id, user);
    return user;
  }

  addOrganization(name: string): ZendeskOrganization {
    const organization = { id: ++this.nextId, name };
    this.organizations.set(organization.id, organization);
    return organization;
  }

  /** A ticket as a customer would file it: the description is its first public comment. */
  addTicket(t: { subject?: string; description: string; requester: { name: string; email: string; phone?: string; organization_id?: number | null }; tags?: string[]; custom_fields?: { id: number; value: unknown }[] }): ZendeskTicket {
    const requester = [...this.users.values()].find((u) => u.email === t.requester.email) ?? this.addUser(t.requester);
    const now = new Date().toISOString();
    const ticket: ZendeskTicket = {
      id: ++this.nextId,
      subject: t.subject ?? t.description.slice(0, 60),
      description: t.description,
      status: 'new',
      priority: null,
      requester_id: requester.id,
      organization_id: requester.organization_id ?? null,
      tags: t.tags ?? [],
      custom_fields: t.custom_fields ?? [],
      created_at: now,
      updated_at: now,
    };
    this.tickets.set(ticket.id, ticket);
    this.comments.set(ticket.id, []);
    this.addComment(ticket.id, { author_id: requester.id, body: t.description, public: true });
    return ticket;
  }

  /** A comment as if written in Zendesk (e.g. the customer replying). */
  addComment(ticketId: number, c: { author_id: number; body: string; public?: boolean }): ZendeskComment {
    const comment: ZendeskComment = {
      id: ++this.nextId,
      type: 'Comment',
      author_id: c.author_id,
      body: c.body,
      html_body: `<div class="zd-comment"><p>${escapeHtml(c.body)}</p></div>`,
      public: c.public ?? true,
      created_at: new Date().toISOString(),
    };
    this.comments.get(ticketId)!.push(comment);
    const t = this.tickets.get(ticketId)!;
    t.updated_at = comment.created_at;
    return comment;
  }

  private answer(route: string, params: Record<string, string>, authorization: string | undefined, body: Record<string, unknown>, query: URLSearchParams): FakeReply {
    const expected = `Basic ${Buffer.from(`${this.email}/token:${this.apiToken}`).toString('base64')}`;
    if (authorization !== expected) return { status: 401, body: { error: "Couldn't authenticate you" } };
    const notFound: FakeReply = { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };
    const invalid = (details: Record<string, unknown>): FakeReply => ({ status: 422, body: { error: 'RecordInvalid', description: 'Record validation errors', details } });

    switch (route) {
      case 'GET /api/v2/tickets/:id': {
        const t = this.tickets.get(Number(params.id));
        if (!t) return notFound;
        // Side-loading (?include=users,organizations): the users and organization the ticket names, beside it.
        const include = (query.get('include') ?? '').split(',');
        const users = include.includes('users') ? [this.users.get(t.requester_id)].filter((u) => u !== undefined) : undefined;
        const organizations = include.includes('organizations') ? [this.organizations.get(t.organization_id ?? 0)].filter((o) => o !== undefined) : undefined;
        return { body: { ticket: t, ...(users ? { users } : {}), ...(organizations ? { organizations } : {}) } };
      }
      case 'PUT /api/v2/tickets/:id': {
        const t = this.tickets.get(Number(params.id));
        if (!t) return notFound;
        const update = body.ticket as Record<string, unknown> | undefined;
        if (!update || typeof update !== 'object') return { status: 400, body: { error: 'InvalidEndpoint', description: 'ticket parameter is missing' } };
        const events: unknown[] = [];
        const c = update.comment as { body?: string; html_body?: string; public?: boolean; author_id?: number } | undefined;
        if (c) {
          const text = c.body ?? c.html_body;
          if (!text) return invalid({ base: [{ description: 'Comment: cannot be blank', error: 'BlankValue' }] });
          const comment = this.addComment(t.id, { author_id: c.author_id ?? this.apiUser.id, body: text, public: c.public ?? true });
          events.push({ ...comment });
        }
        if (typeof update.status === 'string') t.status = update.status;
        if (Array.isArray(update.tags)) t.tags = update.tags.map(String);
        if (Array.isArray(update.additional_tags)) t.tags = [...new Set([...t.tags, ...update.additional_tags.map(String)])];
        t.updated_at = new Date().toISOString();
        return { body: { ticket: t, audit: { id: ++this.nextId, ticket_id: t.id, created_at: t.updated_at, author_id: this.apiUser.id, events } } };
      }
      case 'GET /api/v2/tickets/:id/comments': {
        const list = this.comments.get(Number(params.id));
        if (!list) return notFound;
        const sorted = query.get('sort_order') === 'desc' ? [...list].reverse() : list;
        // Side-loading (?include=users): the comments' authors, as they are now.
        const users = (query.get('include') ?? '').split(',').includes('users') ? [...new Set(list.map((c) => c.author_id))].map((id) => this.users.get(id)).filter((u) => u !== undefined) : undefined;
        return { body: { comments: sorted, ...(users ? { users } : {}), next_page: null, previous_page: null, count: list.length } };
      }
      case 'GET /api/v2/users/me':
        return { body: { user: this.apiUser } };
      case 'GET /api/v2/users/:id': {
        const u = this.users.get(Number(params.id));
        return u ? { body: { user: u } } : notFound;
      }
      case 'GET /api/v2/users/search': {
        const q = (query.get('query') ?? '').replace(/^email:/, '').toLowerCase();
        const users = q ? [...this.users.values()].filter((u) => u.email.toLowerCase() === q || u.name.toLowerCase().includes(q)) : [];
        return { body: { users, next_page: null, previous_page: null, count: users.length } };
      }
      case 'POST /api/v2/users': {
        const u = body.user as { name?: string; email?: string; phone?: string } | undefined;
        if (!u?.name) return invalid({ name: [{ description: 'Name: is too short (minimum is 1 character)', error: 'BlankValue' }] });
        if (u.email && [...this.users.values()].some((x) => x.email === u.email)) {
          return invalid({ email: [{ description: `Email: ${u.email} is already being used by another user`, error: 'DuplicateValue' }] });
        }
        return { status: 201, body: { user: this.addUser({ name: u.name, email: u.email ?? '', phone: u.phone ?? null }) } };
      }
      default:
        return { status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } };
    }
  }
}

/** `PUT /api/v2/tickets/12.json` → route `PUT /api/v2/tickets/:id`, params `{id:'12'}`. */
function matchRoute(method: string, rawPath: string): { route: string; params: Record<string, string> } {
  const path = rawPath.replace(/\.json$/, '');
  const patterns = ['/api/v2/tickets/:id/comments', '/api/v2/tickets/:id', '/api/v2/users/search', '/api/v2/users/me', '/api/v2/users/:id', '/api/v2/users'];
  for (const p of patterns) {
    const re = new RegExp(`^${p.replace(/:id/, '(\\d+)')}$`);
    const m = re.exec(path);
    if (m) return { route: `${method} ${p}`, params: m[1] ? { id: m[1] } : {} };
  }
  return { route: `${method} ${path}`, params: {} };
}
