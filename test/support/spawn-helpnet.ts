import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface SpawnedProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Resolves with the first stdout line matching `pattern`; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * Runs a TypeScript entry point of this repo (`src/main.ts`, `src/cli/migrate.ts`) as its
 * own process; `nodeArgs` go to node itself (e.g. `--cpu-prof`).
 */
export function spawnScript(script: string, env: Record<string, string>, args: string[] = [], nodeArgs: string[] = []): SpawnedProcess {
  return spawnCommand(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], env);
}

/** Runs any command (`npm start`) in the repo's folder, with only PATH, HOME and `env` set. */
export function spawnCommand(command: string, args: string[], env: Record<string, string>): SpawnedProcess {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((ok) => child.on('exit', (code, signal) => ok(code ?? signal ?? -1)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((ok, fail) => {
        const check = () => {
          const line = out.split('\n').find((l) => pattern.test(l));
          if (line) {
            cleanup();
            ok(line);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          fail(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const onExit = () => {
          check();
          cleanup();
          fail(new Error(`process exited before printing ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.off('exit', onExit);
        };
        child.stdout!.on('data', check);
        child.on('exit', onExit);
        check();
      });
    },
  };
}
