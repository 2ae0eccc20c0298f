import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';

describe(`GET /healthz on ${TEST_ENGINE}`, () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers 200 {db:"ok"} while the database answers', async () => {
    app = await startTestApp();
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ db: 'ok', jobs: 'ok', slack: 'on' });
  });

  it('answers 503 once the database is gone', async () => {
    app = await startTestApp();
    await app.server.db.close();
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ db: 'unreachable' });
  });

  it('answers unknown routes with a JSON 404', async () => {
    app = await startTestApp();
    const res = await fetch(`${app.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });
});
