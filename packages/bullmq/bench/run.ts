/**
 * Benchmark of a Reins fleet on BullMQ and Redis (a throwaway redis-server on loopback, worker
 * child processes, the scripted backend). Prints one JSON object last:
 * - `crossProcessInterruptMs`: from `queue.interrupt(..., urgency: 'now')` in this process to
 *   the `model.end` (finishReason `interrupted`) of the call it aborted in a worker process,
 *   as this process reads it from the run's event stream: the full round trip, so an upper
 *   bound of the delivery latency. `inProcessInterruptMs`: the same with `handle.interrupt()`.
 * - `runsPerSecond`: 3-turn runs through the queue with 1, 2 and 4 worker processes (8 runs
 *   each at once), against the same runs in this process (8 and 32 at once, memory or Redis
 *   checkpointer).
 * - `perRunMs`: one run at a time, enqueue to result, against `agent.run()` in-process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { percentileOfSorted } from '@reins/controller';
import { type AgentEvent, createAgent, createMemoryCheckpointer } from '@reins/core';
import { createRedisCheckpointer } from '../src/redis-checkpointer.js';
import { createRunQueue, type RunQueue } from '../src/run-queue.js';
import { startRedisServer } from '../src/testing/start-redis-server.js';
import { shortAgent, slowAgent } from './agents.js';

const interruptSamples = Number(process.env.BENCH_INTERRUPTS ?? 200);
const throughputRuns = Number(process.env.BENCH_RUNS ?? 300);
const sequentialRuns = Number(process.env.BENCH_SEQUENTIAL ?? 40);
const workerFile = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
const server = await startRedisServer();
const children = new Set<ChildProcess>();
const now = () => performance.now();

function summary(samples: number[]) {
  const sorted = [...samples].sort((left, right) => left - right);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    p50: round(percentileOfSorted(sorted, 0.5)),
    p99: round(percentileOfSorted(sorted, 0.99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    samples: sorted.length,
  };
}

function startWorkers(count: number, names: { QUEUE: string; PREFIX: string }) {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            ['--conditions=@reins/source', '--import', 'tsx', workerFile],
            {
              env: { ...process.env, REDIS_URL: server.url, CONCURRENCY: '8', ...names },
              stdio: ['ignore', 'pipe', 'inherit'],
            },
          );
          children.add(child);
          child.once('exit', (code) => {
            children.delete(child);
            reject(new Error(`A worker exited (${code}) before it was ready.`));
          });
          child.stdout?.on('data', (data: Buffer) => {
            if (data.toString().includes('ready')) resolve(child);
          });
        }),
    ),
  );
}

async function stopWorkers(workers: ChildProcess[]) {
  await Promise.all(
    workers.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.removeAllListeners('exit');
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

function fleetNames() {
  return { QUEUE: `bench-${randomUUID()}`, PREFIX: `bench-${randomUUID()}` };
}

/** Reads `events` up to the first event that `matches`. */
async function until(
  events: AsyncIterator<AgentEvent>,
  matches: (event: AgentEvent) => boolean,
): Promise<AgentEvent> {
  for (;;) {
    const next = await events.next();
    if (next.done === true) throw new Error('The run ended early.');
    if (matches(next.value)) return next.value;
  }
}
const isDelta = (event: AgentEvent) => event.type === 'model.delta';
const isCut = (event: AgentEvent) =>
  event.type === 'model.end' && event.finishReason === 'interrupted';

async function crossProcessInterrupts(): Promise<number[]> {
  const names = fleetNames();
  const workers = await startWorkers(1, names);
  const queue = createRunQueue({
    connection: server.url,
    queueName: names.QUEUE,
    prefix: names.PREFIX,
  });
  const runId = await queue.enqueueRun('slow', 'Write at length.');
  const events = queue.events(runId);
  const samples: number[] = [];
  for (let index = 0; index < interruptSamples; index++) {
    await until(events, isDelta);
    const start = now();
    await queue.interrupt(runId, { kind: 'addition', text: `Note ${index}.`, urgency: 'now' });
    await until(events, isCut);
    samples.push(now() - start);
  }
  await events.return?.();
  await queue.abort(runId);
  await queue.waitForResult(runId);
  await queue.close();
  await stopWorkers(workers);
  return samples;
}

async function inProcessInterrupts(): Promise<number[]> {
  const handle = createAgent(slowAgent()).run('Write at length.');
  const events = handle.events();
  const samples: number[] = [];
  for (let index = 0; index < interruptSamples; index++) {
    await until(events, isDelta);
    const start = now();
    handle.interrupt({ kind: 'addition', text: `Note ${index}.`, urgency: 'now' });
    await until(events, isCut);
    samples.push(now() - start);
  }
  await events.return?.();
  handle.abort();
  await handle.result;
  return samples;
}

async function inProcessRunsPerSecond(
  concurrency: number,
  checkpointer: 'memory' | 'redis',
): Promise<number> {
  const redis =
    checkpointer === 'redis'
      ? createRedisCheckpointer({ connection: server.url, prefix: `bench-${randomUUID()}` })
      : undefined;
  const agent = createAgent({ ...shortAgent(), checkpointer: redis ?? createMemoryCheckpointer() });
  let next = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < throughputRuns) {
        next += 1;
        const result = await agent.run('Check twice.').result;
        if (result.status !== 'done') throw new Error(`A run ended as ${result.status}.`);
      }
    }),
  );
  const seconds = (now() - start) / 1000;
  await redis?.close();
  return Math.round(throughputRuns / seconds);
}

async function queueRunsPerSecond(workerCount: number): Promise<number> {
  const names = fleetNames();
  const workers = await startWorkers(workerCount, names);
  const queue = createRunQueue({
    connection: server.url,
    queueName: names.QUEUE,
    prefix: names.PREFIX,
  });
  const start = now();
  await queue.queue.addBulk(
    Array.from({ length: throughputRuns }, () => ({
      name: 'short',
      data: { agentName: 'short', task: 'Check twice.' },
      opts: { jobId: randomUUID() },
    })),
  );
  while (((await queue.queue.getJobCounts('completed')).completed ?? 0) < throughputRuns)
    await new Promise((resolve) => setTimeout(resolve, 10));
  const seconds = (now() - start) / 1000;
  await queue.close();
  await stopWorkers(workers);
  return Math.round(throughputRuns / seconds);
}

async function sequentialQueueMs(): Promise<number[]> {
  const names = fleetNames();
  const workers = await startWorkers(1, names);
  const queue: RunQueue = createRunQueue({
    connection: server.url,
    queueName: names.QUEUE,
    prefix: names.PREFIX,
  });
  const samples: number[] = [];
  for (let index = 0; index < sequentialRuns; index++) {
    const start = now();
    const runId = await queue.enqueueRun('short', 'Check twice.');
    await queue.waitForResult(runId);
    samples.push(now() - start);
  }
  await queue.close();
  await stopWorkers(workers);
  return samples;
}

async function sequentialInProcessMs(checkpointer: 'memory' | 'redis'): Promise<number[]> {
  const redis =
    checkpointer === 'redis'
      ? createRedisCheckpointer({ connection: server.url, prefix: `bench-${randomUUID()}` })
      : undefined;
  const agent = createAgent({ ...shortAgent(), checkpointer: redis ?? createMemoryCheckpointer() });
  const samples: number[] = [];
  for (let index = 0; index < sequentialRuns; index++) {
    const start = now();
    await agent.run('Check twice.').result;
    samples.push(now() - start);
  }
  await redis?.close();
  return samples;
}

try {
  const cross = summary(await crossProcessInterrupts());
  const local = summary(await inProcessInterrupts());
  console.log(
    `interrupts: cross-process p50 ${cross.p50} ms p99 ${cross.p99} ms; in-process p50 ${local.p50} ms`,
  );
  const runsPerSecond = {
    queue: {
      workers1: await queueRunsPerSecond(1),
      workers2: await queueRunsPerSecond(2),
      workers4: await queueRunsPerSecond(4),
    },
    inProcess: {
      concurrency8Memory: await inProcessRunsPerSecond(8, 'memory'),
      concurrency8Redis: await inProcessRunsPerSecond(8, 'redis'),
      concurrency32Memory: await inProcessRunsPerSecond(32, 'memory'),
    },
  };
  console.log(`runs per second: ${JSON.stringify(runsPerSecond)}`);
  const queueMs = summary(await sequentialQueueMs());
  const memoryMs = summary(await sequentialInProcessMs('memory'));
  const redisMs = summary(await sequentialInProcessMs('redis'));
  const round = (value: number) => Math.round(value * 100) / 100;
  console.log(
    JSON.stringify({
      benchmark: '@reins/bullmq fleet',
      machine: 'loopback redis-server, worker child processes, scripted backend',
      crossProcessInterruptMs: cross,
      inProcessInterruptMs: local,
      runsPerSecond,
      perRunMs: {
        queue: queueMs,
        inProcessMemoryCheckpointer: memoryMs,
        inProcessRedisCheckpointer: redisMs,
        queueOverheadMs: round(queueMs.p50 - memoryMs.p50),
        queueOverheadOverRedisCheckpointerMs: round(queueMs.p50 - redisMs.p50),
      },
      ratios: {
        queue1WorkerOverInProcess8: round(
          runsPerSecond.queue.workers1 / runsPerSecond.inProcess.concurrency8Memory,
        ),
        queue4WorkersOverQueue1Worker: round(
          runsPerSecond.queue.workers4 / runsPerSecond.queue.workers1,
        ),
      },
    }),
  );
} finally {
  for (const child of children) child.kill('SIGKILL');
  await server.stop();
}
