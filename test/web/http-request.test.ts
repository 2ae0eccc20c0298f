import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { request } from '../../src/lib/http-request.ts';

describe('one HTTP request', () => {
  it('sends the method, headers and body, and answers with status, headers and the body as text or JSON', async () => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/slow') return; // never answers
        res.writeHead(201, { 'content-type': 'application/json', 'x-echo': String(req.headers['x-token']) });
        res.end(JSON.stringify({ method: req.method, body, length: req.headers['content-length'] }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const res = await request(`${base}/echo`, { method: 'PUT', headers: { 'x-token': 'abc' }, body: 'héllo', timeoutMs: 2000 });
      expect(res.status).toBe(201);
      expect(res.headers.get('X-Echo')).toBe('abc');
      expect(res.headers.get('missing')).toBeNull();
      expect(await res.json()).toEqual({ method: 'PUT', body: 'héllo', length: '6' });
      const started = Date.now();
      await expect(request(`${base}/slow`, { timeoutMs: 200 })).rejects.toThrow(/within 200 ms/);
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
