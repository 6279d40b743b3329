/**
 * A worker process of the benchmark. Environment: REDIS_URL, QUEUE, PREFIX, CONCURRENCY.
 * Prints `ready` once it takes runs; SIGTERM closes it.
 */
import { createRunWorker } from '../src/run-worker.js';
import { shortAgent, slowAgent } from './agents.js';

const worker = createRunWorker({
  connection: process.env.REDIS_URL as string,
  queueName: process.env.QUEUE as string,
  prefix: process.env.PREFIX as string,
  concurrency: Number(process.env.CONCURRENCY ?? 8),
  agents: { short: shortAgent, slow: slowAgent },
});
process.on('SIGTERM', () => {
  void worker.close({ timeoutMs: 5_000 }).then(() => process.exit(0));
});
await worker.ready();
process.stdout.write('ready\n');
