import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnScript, type SpawnedProcess } from '../support/spawn-helpnet.ts';
import { waitFor } from '../support/wait-for.ts';

/** The embedded database is a file an operator can delete or move by mistake: Helpnet must notice. */
describe('the SQLite database file', () => {
  let proc: SpawnedProcess | undefined;
  let dir: string | undefined;
  afterEach(() => {
    if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (file: string) => {
    proc = spawnScript('src/main.ts', { DATABASE_URL: `sqlite:${file}`, PORT: '0', LOG_LEVEL: 'info', SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', HELPNET_SANDBOX: '0' });
    const line = await proc.waitFor(/Helpnet is listening/);
    return `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  };
  const stop = async () => {
    proc!.child.kill('SIGTERM');
    expect(await proc!.exited).toBe(0);
  };

  it('says at start, naming the path, when it makes a new one — and not when it opens the one it had', async () => {
    dir = mkdtempSync(join(tmpdir(), 'helpnet-file-'));
    const file = join(dir, 'helpnet.sqlite');
    await start(file);
    expect(proc!.stdout()).toContain(`no database file at ${file}: creating a new, empty one`);
    await stop();
    await start(file);
    expect(proc!.stdout()).not.toContain('creating a new, empty one');
    await stop();
  });

  it('makes /healthz answer 503, saying why, once the file it opened is deleted or moved away', async () => {
    dir = mkdtempSync(join(tmpdir(), 'helpnet-file-'));
    const file = join(dir, 'helpnet.sqlite');
    const url = await start(file);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    renameSync(file, join(dir, 'moved.sqlite'));
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ db: 'unreachable' });
    await waitFor(() => proc!.stdout().includes(`the database file ${file} was deleted or moved since Helpnet opened it`), 'the reason logged');
    await stop();
  });
});
