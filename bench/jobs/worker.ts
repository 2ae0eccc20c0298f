/**
 * One benchmark worker process: runs `bench.run` jobs on the backend named in argv and
 * reports, for each, when it was due and when it started, to the parent over IPC.
 */
import { Agenda, type Job } from 'agenda';
import { openBackend, type Kind } from './backends.ts';

const [kind, location, pollMs] = process.argv.slice(2) as [Kind, string, string];
const { backend, close } = await openBackend(kind, location);
const agenda = new Agenda({ backend, name: `bench-${process.pid}`, processEvery: Number(pollMs), maxConcurrency: 50, defaultConcurrency: 50 });
let batch: [number, number][] = [];
agenda.define('bench.run', async (job: Job<{ due: number }>) => {
  batch.push([job.attrs.data.due, Date.now()]);
}, { concurrency: 50 });
const flush = setInterval(() => {
  if (batch.length > 0) {
    process.send!({ runs: batch });
    batch = [];
  }
}, 20);
await agenda.start();
process.send!({ ready: true });
process.on('message', async (m: { stop?: boolean }) => {
  if (!m.stop) return;
  await agenda.stop();
  clearInterval(flush);
  if (batch.length > 0) process.send!({ runs: batch });
  await close();
  process.exit(0);
});
