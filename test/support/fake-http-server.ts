import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * The HTTP plumbing shared by the fake Slack and Zendesk servers: a real listener on
 * 127.0.0.1, a record of every call, and fault injection (status codes with Retry-After,
 * delays, refused connections). No test-framework imports: the demo mode reuses it.
 */

export interface RecordedCall {
  /** Route key, e.g. `chat.postMessage` or `PUT /api/v2/tickets/:id`. */
  route: string;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** Parsed body (form fields or JSON). */
  body: Record<string, unknown>;
  at: Date;
  /** What the fake answered. */
  status: number;
  response: unknown;
}

export type Fault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; body?: unknown }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' }
  /** Carries the request out, then drops the connection: the client never hears it worked. */
  | { kind: 'dropAfterReply' };

interface QueuedFault {
  route: string;
  fault: Fault;
  remaining: number;
}

export interface FakeReply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type FakeHandler = (req: {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  body: Record<string, unknown>;
}) => { route: string; reply: () => FakeReply };

export class FakeHttpServer {
  readonly calls: RecordedCall[] = [];
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  private faults: QueuedFault[] = [];
  private boundPort = 0;

  constructor(private readonly handle: FakeHandler) {}

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  /** Listens on `port` (0 = any free port). */
  async start(port = this.boundPort): Promise<this> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => ok());
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((ok) => server.close(() => ok()));
  }

  /** Closes the listener: connections are refused (ECONNREFUSED) until acceptConnections(). */
  async refuseConnections(): Promise<void> {
    await this.stop();
  }

  /** Listens again on the same port. */
  async acceptConnections(): Promise<void> {
    if (!this.server) await this.start(this.boundPort);
  }

  /** Makes the next `times` calls to `route` (or `*` for any) fail in the given way. */
  inject(route: string, fault: Fault, times = 1): void {
    this.faults.push({ route, fault, remaining: times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Calls to one route, in arrival order. */
  callsTo(route: string): RecordedCall[] {
    return this.calls.filter((c) => c.route === route);
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  private takeFault(route: string): Fault | undefined {
    const i = this.faults.findIndex((f) => f.route === route || f.route === '*');
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    if (--f.remaining <= 0) this.faults.splice(i, 1);
    return f.fault;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = parseBody(req.headers['content-type'], rawBody);
    const request = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, rawBody, body };
    const { route, reply } = this.handle(request);
    const record = (status: number, response: unknown) =>
      this.calls.push({ route, method: request.method, path: request.path, headers: req.headers, rawBody, body, at: new Date(), status, response });

    let fault = this.takeFault(route);
    while (fault?.kind === 'delay') {
      await new Promise((ok) => setTimeout(ok, fault!.kind === 'delay' ? fault!.ms : 0));
      fault = this.takeFault(route);
    }
    if (fault?.kind === 'drop') {
      record(0, undefined);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      const payload = fault.body ?? (fault.status === 429 ? { ok: false, error: 'ratelimited' } : { error: 'internal_error' });
      record(fault.status, payload);
      res.writeHead(fault.status, headers).end(JSON.stringify(payload));
      return;
    }
    const out = reply();
    const status = out.status ?? 200;
    if (fault?.kind === 'dropAfterReply') {
      record(0, out.body);
      req.socket.destroy();
      return;
    }
    record(status, out.body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...out.headers }).end(JSON.stringify(out.body));
  }
}

/** Parses `application/x-www-form-urlencoded` (as Slack's Web API takes) or JSON. */
export function parseBody(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) {
    try {
      const v: unknown = JSON.parse(raw);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { _: v };
    } catch {
      return { _invalidJson: raw };
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}
