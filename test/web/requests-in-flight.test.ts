import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { RequestsInFlight } from '../../src/lib/requests-in-flight.ts';

describe('requests in flight', () => {
  it('counts the requests being answered, until each response ends or its connection closes', async () => {
    const inFlight = new RequestsInFlight();
    const app = express();
    app.use(inFlight.middleware);
    const release: (() => void)[] = [];
    app.get('/slow', (_req, res) => {
      release.push(() => res.send('ok'));
    });
    const server = app.listen(0);
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
    try {
      const answers = [fetch(url), fetch(url)];
      const aborted = new AbortController();
      const gone = fetch(url, { signal: aborted.signal }).catch(() => 'aborted');
      const waitFor = async (n: number) => {
        for (let i = 0; i < 200 && inFlight.current !== n; i++) await new Promise((ok) => setTimeout(ok, 5));
        return inFlight.current;
      };
      expect(await waitFor(3)).toBe(3);
      aborted.abort();
      expect(await gone).toBe('aborted');
      expect(await waitFor(2)).toBe(2);
      for (const r of release.splice(0, 2)) r();
      await Promise.all(answers);
      expect(await waitFor(0)).toBe(0);
    } finally {
      for (const r of release) r();
      server.closeAllConnections();
      server.close();
    }
  });
});
