import { randomUUID } from 'node:crypto';
import { type AgentEvent, checkpointVersion, type Message } from '@reins/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createRedisCheckpointer } from '../src/redis-checkpointer.js';
import { createRunQueue } from '../src/run-queue.js';
import { startWorkerProcess, type WorkerProcess, workerProcesses } from './fleet-process.js';

const url = inject('redisUrl');
afterAll(() => {
  for (const child of workerProcesses) child.kill('SIGKILL');
});

const runs = 300;
const turns = 3;
const capUsd = 0.9;

type Worker = WorkerProcess;
const startWorker = startWorkerProcess;

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a fleet of three worker processes', () => {
  it('finishes 300 runs exactly once while one worker is SIGKILLed mid-run twice', async () => {
    const names = { QUEUE: `fleet-${randomUUID()}`, PREFIX: `fleet-${randomUUID()}` };
    const environment = {
      REDIS_URL: url,
      ...names,
      LEDGER: 'fleet',
      CAP_USD: String(capUsd),
      CONCURRENCY: '8',
      LOCK_MS: '2000',
      STALLED_MS: '1000',
      TURNS: String(turns),
      DELAY_MS: '4',
    };
    const redis = new Redis(url);
    const queue = createRunQueue({ connection: url, queueName: names.QUEUE, prefix: names.PREFIX });
    const workers = await Promise.all([0, 1, 2].map(() => startWorker(environment)));
    const ids = Array.from({ length: runs }, (_, index) => `run-${index}`);
    for (const id of ids) await queue.enqueueRun('effects', `Task ${id}`, { runId: id });

    const completed = async () => (await queue.queue.getJobCounts('completed')).completed ?? 0;
    // Kill the same worker slot twice, at random points of the batch, while it holds runs.
    const killAt = [40 + Math.floor(Math.random() * 60), 150 + Math.floor(Math.random() * 60)];
    const killed: number[] = [];
    for (const threshold of killAt) {
      await waitFor(async () => (await completed()) >= threshold, `${threshold} completed runs`);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
      const victim = workers[0] as Worker;
      victim.child.kill('SIGKILL');
      killed.push(await completed());
      await victim.exited;
      workers[0] = await startWorker(environment);
      if (killed.length === 1) {
        // Another worker stalls without dying (SIGSTOP) for longer than its locks last: its runs
        // go to the others, and when it wakes up it must not write to them.
        const sleeper = workers[1] as Worker;
        sleeper.child.kill('SIGSTOP');
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        sleeper.child.kill('SIGCONT');
      }
    }
    await waitFor(async () => (await completed()) === runs, 'every run to complete');
    expect((await queue.queue.getJobCounts('failed')).failed ?? 0).toBe(0);

    // Every run finished exactly once: one completed job and one run.end each.
    const checkpointer = createRedisCheckpointer({ connection: redis, prefix: names.PREFIX });
    const statuses: Record<string, number> = {};
    let resumed = 0;
    const resumedAtTurn = new Map<string, number[]>();
    for (const id of ids) {
      const job = await queue.queue.getJob(id);
      const summary = job?.returnvalue;
      expect(summary?.runId).toBe(id);
      statuses[`${summary?.status}/${summary?.reason ?? ''}`] =
        (statuses[`${summary?.status}/${summary?.reason ?? ''}`] ?? 0) + 1;
      const entries = (await redis.xrange(`${names.PREFIX}:run:{${id}}:events`, '-', '+')) as [
        string,
        string[],
      ][];
      const events = entries.map(([, fields]) => JSON.parse(fields[1] as string) as AgentEvent);
      const ends = events.filter((event) => event.type === 'run.end');
      expect(ends).toHaveLength(1);
      expect(events.at(-1)?.type).toBe('run.end');
      const resumes = events.filter((event) => event.type === 'run.start' && event.resumed);
      resumed += resumes.length;
      resumedAtTurn.set(
        id,
        resumes.map((event) => event.turn),
      );

      // The history is consistent: each tool call answered once, right after its step.
      const checkpoint = await checkpointer.load(id);
      expect(checkpoint?.version).toBe(checkpointVersion);
      expect(checkpoint?.result?.status).toBe(summary?.status);
      checkHistory(checkpoint?.messages ?? []);
    }

    // No side effect ran under two call ids (a re-run after a crash reuses its call id).
    const effects = (await redis.lrange(`${names.PREFIX}:effects`, 0, -1)).map(
      (line) => JSON.parse(line) as { key: string; callId: string },
    );
    const callIdsByKey = new Map<string, Set<string>>();
    for (const { key, callId } of effects)
      callIdsByKey.set(key, (callIdsByKey.get(key) ?? new Set()).add(callId));
    const doubled = [...callIdsByKey].filter(([, callIds]) => callIds.size > 1);
    expect(doubled).toEqual([]);
    // A tool runs again only when a crash left its step open: at most once more per resume of
    // its run at its turn (step s is turn s + 1). A worker that restarted runs from scratch, or
    // re-ran completed steps, would exceed this.
    const runsByKey = new Map<string, number>();
    for (const { key } of effects) runsByKey.set(key, (runsByKey.get(key) ?? 0) + 1);
    const excess = [...runsByKey].filter(([key, count]) => {
      const [runId = '', step = ''] = key.split(':');
      const resumesAtTurn = (resumedAtTurn.get(runId) ?? []).filter(
        (turn) => turn === Number(step) + 1,
      ).length;
      return count > 1 + resumesAtTurn;
    });
    if (excess.length > 0 && process.env.FLEET_DUMP !== undefined) {
      const { writeFileSync } = await import('node:fs');
      const dump: Record<string, unknown> = {};
      for (const [key] of excess) {
        const runId = key.split(':')[0] as string;
        const entries = (await redis.xrange(`${names.PREFIX}:run:{${runId}}:events`, '-', '+')) as [
          string,
          string[],
        ][];
        dump[key] = {
          effects: effects.filter((effect) => effect.key.startsWith(`${runId}:`)),
          events: entries.map(([, fields]) => {
            const event = JSON.parse(fields[1] as string) as AgentEvent;
            return `${event.type} t${event.turn} ${'resumed' in event ? event.resumed : ''} ${'call' in event ? event.call.id : ''}`;
          }),
        };
      }
      writeFileSync(process.env.FLEET_DUMP, JSON.stringify(dump, null, 1));
    }
    expect(excess).toEqual([]);

    // The fleet-wide cap was never crossed, by the ledger nor by the money really spent; and it
    // was binding: some runs were stopped by it.
    const [spent, reserved] = (await redis.hmget(
      `${names.PREFIX}:ledger:{fleet}`,
      'spent',
      'reserved',
    )) as [string, string];
    const trueSpent = Number((await redis.get(`${names.PREFIX}:true-spend`)) ?? 0);
    const capMicros = capUsd * 1e6;
    expect(Number(spent) + Number(reserved)).toBeLessThanOrEqual(capMicros);
    expect(trueSpent).toBeLessThanOrEqual(capMicros);
    expect(statuses['stopped/cost-budget'] ?? 0).toBeGreaterThan(0);
    expect(statuses['done/'] ?? 0).toBeGreaterThan(runs / 3);
    // The kills hit runs in flight: some were resumed by another worker.
    expect(resumed).toBeGreaterThan(0);
    expect(killed).toHaveLength(2);

    for (const worker of workers) worker.child.kill('SIGTERM');
    expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0, 0]);
    await checkpointer.close();
    await queue.close();
    await redis.quit();
  });
});

/** Every assistant tool call has exactly one tool message, before the next assistant step. */
function checkHistory(messages: readonly Message[]): void {
  const open = new Set<string>();
  const seen = new Set<string>();
  for (const message of messages) {
    if (message.role === 'assistant') {
      expect([...open]).toEqual([]);
      for (const call of message.toolCalls) {
        expect(seen.has(call.id)).toBe(false);
        seen.add(call.id);
        open.add(call.id);
      }
    }
    if (message.role === 'tool') {
      expect(open.has(message.toolCallId)).toBe(true);
      open.delete(message.toolCallId);
    }
  }
  expect([...open]).toEqual([]);
}
