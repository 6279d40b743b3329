/**
 * A fleet of Reins workers on BullMQ and Redis, on a scripted model:
 *
 *   npm run example fleet                       starts a throwaway redis-server itself
 *   REDIS_URL=redis://127.0.0.1:6379 npm run example fleet    uses yours
 */
import { startRedisServer } from '@reins/bullmq/testing';
import { runFleetDemo } from './fleet-demo.js';

const server =
  process.env.REDIS_URL === undefined ? await startRedisServer().catch(fail) : undefined;
const redisUrl = process.env.REDIS_URL ?? (server?.url as string);
console.log(
  server === undefined ? `Using Redis at ${redisUrl}.` : `Started redis-server on ${redisUrl}.`,
);

try {
  const report = await runFleetDemo({
    redisUrl,
    runs: 24,
    capUsd: 1,
    log: (line) => console.log(line),
  });
  const byStatus = new Map<string, number>();
  for (const summary of report.summaries)
    byStatus.set(summary.status, (byStatus.get(summary.status) ?? 0) + 1);
  console.log(`
What happened
- ${report.summaries.length} runs ended, each once: ${[...byStatus].map(([status, count]) => `${count} ${status}`).join(', ')}.
- The hard stop sent from this process reached the worker holding ${report.interrupted.runId}
  through Redis (a control stream entry and a pub/sub wake-up), aborted its model call, and the
  run ended '${report.interrupted.status}' (${report.interrupted.reason}).
- Worker ${report.killedPid} was SIGKILLed mid-run. Its runs kept their BullMQ lock for
  lockDuration (2 s here), then the stalled-job check put them back on the queue and the other
  worker took them over: ${report.resumed.length} resumed from their last checkpoint in Redis
  (${report.resumed.join(', ') || 'none'}), ${report.restarted.length} started again from the
  task because the kill came before their first checkpoint, before any tool had run
  (${report.restarted.join(', ') || 'none'}).
- A resumed run repeats at most the tool calls of the step that was open when the worker died,
  under the same call ids: ${report.labels} labels were filed for ${report.labelledTickets} tickets (one per call id).
- The cost ledger in Redis held every worker under one cap: $${report.spentUsd.toFixed(4)} spent,
  $${report.reservedUsd.toFixed(4)} still reserved (by calls of the killed worker: charged, never refunded).`);
} finally {
  await server?.stop();
}

function fail(error: unknown): never {
  console.error(
    `${(error as Error).message}\nThe example needs redis-server: install it (sudo apt-get install -y redis-server), or point it at a running Redis with REDIS_URL=redis://host:port.`,
  );
  process.exit(1);
}
