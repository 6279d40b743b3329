/**
 * One worker process of the fleet example. Environment: REDIS_URL, QUEUE, PREFIX, CAP_USD.
 * Prints `ready` once it takes runs; SIGTERM shuts it down gracefully.
 */
import { createRedisCostLedger, createRunWorker } from '@reins/bullmq';
import { Redis } from 'ioredis';
import { triageAgent } from './triage-agent.js';

const connection = process.env.REDIS_URL as string;
const prefix = process.env.PREFIX as string;
const redis = new Redis(connection);
const ledger = createRedisCostLedger({
  connection,
  prefix,
  name: 'tickets',
  capUsd: Number(process.env.CAP_USD ?? 1),
});
const worker = createRunWorker({
  connection,
  prefix,
  queueName: process.env.QUEUE as string,
  concurrency: 6,
  // Stored on the jobs it takes, so that the example can tell which process holds a run.
  name: String(process.pid),
  // A dead worker's runs go to the others within about 3 seconds.
  lockDuration: 2_000,
  stalledInterval: 1_000,
  agents: {
    triage: triageAgent(ledger, async (ticket, label, callId) => {
      // One label per call id, however often a resumed run repeats the call.
      await redis.hsetnx(`${prefix}:labels`, callId, `${ticket} ${label} ${process.pid}`);
    }),
  },
});
process.on('SIGTERM', () => {
  void worker
    .close()
    .then(() => Promise.all([ledger.close(), redis.quit()]))
    .then(() => process.exit(0));
});
await worker.ready();
process.stdout.write('ready\n');
