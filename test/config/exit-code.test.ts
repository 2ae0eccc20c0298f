import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnScript } from '../support/spawn-helpnet.ts';

/** The real entry point, as an operator runs it: bad configuration → exit 2 and one clear paragraph. */
describe('npm start with bad configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helpnet-exit-'));

  async function run(env: Record<string, string>) {
    const p = spawnScript('src/main.ts', { DATABASE_URL: `sqlite:${join(dir, 'x.sqlite')}`, PORT: '0', ...env });
    const code = await p.exited;
    return { code, stderr: p.stderr().trim(), stdout: p.stdout() };
  }

  it('exits 2 naming a bad variable, without a stack trace', async () => {
    const { code, stderr, stdout } = await run({ PORT: 'eighty' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^helpnet: Invalid environment: PORT: expected a whole number from 1 to 65535, or 0 to pick a free port \(got "eighty"\)\.$/);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });

  it('exits 2 naming the YAML path of a routing-file mistake', async () => {
    const file = join(dir, 'routing.yml');
    writeFileSync(
      file,
      [
        'groups:',
        '  - { key: exchange-l1, channel: C0EXCH001 }',
        'categories:',
        '  - key: ms-exchange',
        '    name: MS Exchange',
        '    rates: { customer: 40, expert: 30 }',
        '    tiers: [{ group: exchange-l1, timeoutMinutes: 10 }]',
        '  - key: windows-nt',
        '    name: Windows NT',
        '    rates: { customer: 40, expert: 30 }',
        '    tiers: [{ group: l3, timeoutMinutes: 10 }]',
        'managersChannel: C0MGRS001',
      ].join('\n'),
    );
    const { code, stderr } = await run({ ROUTING_FILE: file });
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: categories[1].tiers[0].group: unknown group "l3" (groups are "exchange-l1")`);
    expect(stderr.split('\n')).toHaveLength(1);
  });

  it('exits 2 when the routing file named is missing', async () => {
    const { code, stderr } = await run({ ROUTING_FILE: join(dir, 'nope.yml') });
    expect(code).toBe(2);
    expect(stderr).toMatch(/ROUTING_FILE: cannot read .*nope\.yml" \(ENOENT\)/);
  });
});
