import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * One HTTP request on kept-alive connections, answered like fetch's Response (status,
 * headers.get, text, json) once the whole body is in. Node's own fetch costs about three
 * times the CPU per request, which matters for a call made for every relayed message.
 * Past `timeoutMs` the request is abandoned and rejects.
 */
export function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | null; timeoutMs: number }): Promise<HttpResponse> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const body = init.body ?? undefined;
  const headers = { ...init.headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
  return new Promise((ok, fail) => {
    const req = (secure ? httpsRequest : httpRequest)(target, { method: init.method ?? 'GET', headers, agent: secure ? agents.https : agents.http, timeout: init.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        ok(response(res.statusCode ?? 0, res.statusMessage ?? '', res.headers, text));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${target.host} within ${init.timeoutMs} ms`)));
    req.on('error', fail);
    req.end(body);
  });
}

function response(status: number, statusText: string, headers: IncomingHttpHeaders, text: string): HttpResponse {
  return {
    status,
    statusText,
    headers: {
      get(name) {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
  };
}
