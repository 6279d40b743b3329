import { randomUUID } from 'node:crypto';
import type { AgentEvent } from '@reins/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRunQueue, type RunQueue } from '../src/run-queue.js';
import { startWorkerProcess, workerProcesses } from './fleet-process.js';

const url = inject('redisUrl');
const names = { QUEUE: `control-${randomUUID()}`, PREFIX: `control-${randomUUID()}` };
let queue: RunQueue;

beforeAll(async () => {
  await startWorkerProcess({
    REDIS_URL: url,
    ...names,
    LEDGER: 'control',
    CAP_USD: '100',
    CONCURRENCY: '4',
    LOCK_MS: '30000',
    STALLED_MS: '30000',
    TURNS: '1',
    DELAY_MS: '1',
  });
  queue = createRunQueue({ connection: url, queueName: names.QUEUE, prefix: names.PREFIX });
});
afterAll(async () => {
  await queue.close();
  for (const child of workerProcesses) child.kill('SIGKILL');
});

/** Reads `events` up to the first event of `type`, collecting what it reads. */
async function until(
  events: AsyncIterator<AgentEvent>,
  type: AgentEvent['type'],
  seen: AgentEvent[] = [],
): Promise<AgentEvent> {
  for (;;) {
    const next = await events.next();
    if (next.done === true) throw new Error(`The run ended without a '${type}' event.`);
    seen.push(next.value);
    if (next.value.type === type) return next.value;
  }
}

describe('control of a run held by a worker in another process', () => {
  it('aborts the model call on a hard interrupt', async () => {
    const runId = await queue.enqueueRun('slow', 'Write a lot.');
    const events = queue.events(runId);
    await until(events, 'model.delta');
    await queue.interrupt(runId, { kind: 'stop', text: 'Stop here.', urgency: 'now' });
    const seen: AgentEvent[] = [];
    const end = (await until(events, 'model.end', seen)) as Extract<
      AgentEvent,
      { type: 'model.end' }
    >;
    expect(end.finishReason).toBe('interrupted');
    expect(end.message.content.length).toBeLessThan(2_000);
    expect(seen.map((event) => event.type)).toContain('interrupt.received');
    const summary = await queue.waitForResult(runId);
    expect(summary.status).toBe('stopped');
    expect(summary.reason).toBe('user-stop');
  });

  it('applies a soft interrupt at the next decision point, after the call and its tool', async () => {
    const runId = await queue.enqueueRun('slow', 'Write a lot.');
    const events = queue.events(runId);
    await until(events, 'model.delta');
    await queue.interrupt(runId, { kind: 'addition', text: 'Mention the tests too.' });
    const seen: AgentEvent[] = [];
    await until(events, 'interrupt.applied', seen);
    const types = seen.map((event) => event.type);
    const end = seen.find((event) => event.type === 'model.end') as Extract<
      AgentEvent,
      { type: 'model.end' }
    >;
    expect(end.finishReason).toBe('tool-calls');
    expect(end.message.content).toHaveLength(2_000);
    expect(types.indexOf('interrupt.received')).toBeLessThan(types.indexOf('model.end'));
    expect(types.indexOf('tool.end')).toBeLessThan(types.indexOf('interrupt.applied'));
    expect((await queue.waitForResult(runId)).status).toBe('done');
  });

  it('pauses, resumes and aborts the run', async () => {
    const runId = await queue.enqueueRun('slow', 'Write a lot.');
    const events = queue.events(runId);
    await until(events, 'model.delta');
    await queue.pause(runId, 'Wait for review.');
    await until(events, 'run.pause');
    await queue.resume(runId);
    await until(events, 'run.resume');
    await until(events, 'model.delta');
    await queue.abort(runId, 'No longer needed.');
    const summary = await queue.waitForResult(runId);
    expect(summary.status).toBe('cancelled');
    expect(summary.message).toBe('No longer needed.');
  });
});
