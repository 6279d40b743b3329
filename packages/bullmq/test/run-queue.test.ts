import { randomUUID } from 'node:crypto';
import { type AgentEvent, defineTool } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { createRunQueue, type RunQueue } from '../src/run-queue.js';
import { createRunWorker, type RunWorker } from '../src/run-worker.js';

const url = inject('redisUrl');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

/** A queue and its worker(s) on a fresh queue name and key prefix. */
function fleet(delayMs = 0, turns = 2) {
  const names = { queueName: `q-${randomUUID()}`, prefix: `p-${randomUUID()}` };
  const responses = [
    ...Array.from({ length: turns }, (_, index) => ({
      text: 'working',
      toolCalls: [{ name: 'echo', arguments: { text: `step ${index}` } }],
    })),
    { text: 'All done.' },
  ];
  const queue: RunQueue = createRunQueue({ connection: url, ...names });
  closers.push(() => queue.close());
  const startWorker = (concurrency = 2): RunWorker => {
    const worker = createRunWorker({
      connection: url,
      ...names,
      concurrency,
      agents: {
        echoer: () => ({
          backend: createScriptedBackend({ responses, delayMs, chunkSize: 2 }),
          tools: [echo],
        }),
      },
    });
    closers.push(() => worker.close());
    return worker;
  };
  return { queue, startWorker };
}

/** Reads `events` up to the first event of `type` (the iterator stays open for more). */
async function until(
  events: AsyncIterator<AgentEvent>,
  type: AgentEvent['type'],
): Promise<AgentEvent> {
  for (;;) {
    const next = await events.next();
    if (next.done === true) throw new Error(`The run ended without a '${type}' event.`);
    if (next.value.type === type) return next.value;
  }
}

describe('run queue and worker', () => {
  it('runs enqueued runs on a worker and reports each result once', async () => {
    const { queue, startWorker } = fleet();
    startWorker(3);
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, index) => queue.enqueueRun('echoer', `Task ${index}`)),
    );
    const summaries = await Promise.all(ids.map((id) => queue.waitForResult(id)));
    expect(summaries.map((summary) => summary.status)).toEqual(ids.map(() => 'done'));
    expect(summaries.map((summary) => summary.output)).toEqual(ids.map(() => 'All done.'));
    const events: AgentEvent[] = [];
    for await (const event of queue.events(ids[0] as string)) events.push(event);
    expect(events[0]?.type).toBe('run.start');
    expect(events.filter((event) => event.type === 'run.end')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'tool.end')).toHaveLength(2);
  });

  it('applies a hard interrupt from the queue by aborting the model call', async () => {
    const { queue, startWorker } = fleet(40, 6);
    startWorker();
    const runId = await queue.enqueueRun('echoer', 'Work slowly.');
    const events = queue.events(runId);
    await until(events, 'model.start');
    await queue.interrupt(runId, { kind: 'stop', text: 'Enough.', urgency: 'now' });
    const end = (await until(events, 'model.end')) as Extract<AgentEvent, { type: 'model.end' }>;
    expect(end.finishReason).toBe('interrupted');
    const summary = await queue.waitForResult(runId);
    expect(summary.status).toBe('stopped');
  });

  it('applies a soft interrupt at the next decision point, after the model call', async () => {
    const { queue, startWorker } = fleet(20, 6);
    startWorker();
    const runId = await queue.enqueueRun('echoer', 'Work slowly.');
    const seen: AgentEvent[] = [];
    const events = queue.events(runId);
    for await (const event of events) {
      seen.push(event);
      if (event.type === 'model.start')
        await queue.interrupt(runId, { kind: 'addition', text: 'Also add tests.' });
      if (event.type === 'interrupt.applied') break;
    }
    const types = seen.map((event) => event.type);
    const received = types.indexOf('interrupt.received');
    expect(received).toBeGreaterThan(types.indexOf('model.start'));
    // The call that was running finished normally, and the interrupt was applied after it.
    const firstEnd = seen.find((event) => event.type === 'model.end') as Extract<
      AgentEvent,
      { type: 'model.end' }
    >;
    expect(firstEnd.finishReason).not.toBe('interrupted');
    expect(types.indexOf('interrupt.applied')).toBeGreaterThan(types.indexOf('model.end'));
    expect((await queue.waitForResult(runId)).status).toBe('done');
  });

  it('keeps a run paused from the queue paused until resumed, and aborts a run before it starts', async () => {
    const { queue, startWorker } = fleet(10);
    const runId = await queue.enqueueRun('echoer', 'Work.');
    await queue.pause(runId, 'Hold on.');
    const never = await queue.enqueueRun('echoer', 'Never mind.');
    await queue.abort(never, 'Not needed.');
    startWorker();
    const events = queue.events(runId);
    const pause = await until(events, 'run.pause');
    expect(pause.turn).toBe(0);
    await queue.resume(runId);
    await until(events, 'run.resume');
    expect((await queue.waitForResult(runId)).status).toBe('done');
    const summary = await queue.waitForResult(never);
    expect(summary.status).toBe('cancelled');
    expect(summary.turns).toBe(0);
  });

  it('resumes every run paused before it started, whenever the resume lands during the claim', async () => {
    // A resume sent the moment the pause is seen races the worker's claim: it can land between
    // the worker reading the flags and reading the control stream. Many runs make each ordering
    // happen; every run must still resume and finish.
    const { queue, startWorker } = fleet();
    const ids: string[] = [];
    for (let index = 0; index < 40; index++) {
      const runId = await queue.enqueueRun('echoer', `Task ${index}`);
      await queue.pause(runId, 'Hold on.');
      ids.push(runId);
    }
    startWorker(8);
    const resumed = ids.map(async (runId) => {
      const events = queue.events(runId);
      await until(events, 'run.pause');
      await queue.resume(runId);
      await until(events, 'run.resume');
      return (await queue.waitForResult(runId)).status;
    });
    expect(await Promise.all(resumed)).toEqual(ids.map(() => 'done'));
  });

  it('hands held runs to another worker on a graceful shutdown, each finishing once', async () => {
    const { queue, startWorker } = fleet(15, 8);
    const first = startWorker(4);
    const ids = await Promise.all(
      Array.from({ length: 4 }, (_, index) => queue.enqueueRun('echoer', `Task ${index}`)),
    );
    await until(queue.events(ids[3] as string), 'turn.end');
    await first.close();
    expect(first.heldRuns()).toEqual([]);
    startWorker(4);
    const summaries = await Promise.all(ids.map((id) => queue.waitForResult(id)));
    expect(summaries.map((summary) => summary.status)).toEqual(ids.map(() => 'done'));
    let handedOver = 0;
    for (const id of ids) {
      const events: AgentEvent[] = [];
      for await (const event of queue.events(id)) events.push(event);
      const starts = events.filter((event) => event.type === 'run.start');
      const resumed = starts.map((event) => (event as { resumed: boolean }).resumed);
      // A run still held at the shutdown starts again, resumed, on the second worker.
      expect([[false], [false, true]]).toContainEqual(resumed);
      if (resumed.length === 2) handedOver += 1;
      expect(events.filter((event) => event.type === 'run.end')).toHaveLength(1);
      // Every tool ran once: the shutdown let each turn finish.
      const tools = events.filter((event) => event.type === 'tool.end');
      expect(new Set(tools.map((event) => (event as { call: { id: string } }).call.id)).size).toBe(
        tools.length,
      );
    }
    expect(handedOver).toBeGreaterThan(0);
  });

  it('starts waiting runs by priority, 1 first, on a worker holding one run at a time', async () => {
    const { queue, startWorker } = fleet();
    const ids = [];
    for (const priority of [3, 1, 2])
      ids.push(await queue.enqueueRun('echoer', `Priority ${priority}`, { priority }));
    const worker = startWorker(1);
    const order: string[] = [];
    worker.worker.on('active', (job) => order.push(job.data.task));
    await Promise.all(ids.map((id) => queue.waitForResult(id)));
    expect(order).toEqual(['Priority 1', 'Priority 2', 'Priority 3']);
  });

  it('refuses bad input with errors that name the value and the fix', async () => {
    const { queue } = fleet();
    await expect(queue.enqueueRun('echoer', '  ')).rejects.toThrow(/non-empty task/);
    await expect(queue.enqueueRun('', 'Task')).rejects.toThrow(/name a worker registered/);
    await expect(queue.enqueueRun('echoer', 'Task', { runId: 'a b' })).rejects.toThrow(
      /Run id "a b".*letters, digits/,
    );
    await expect(queue.interrupt('run-1', { kind: 'shout' as 'stop', text: 'x' })).rejects.toThrow(
      /Invalid interrupt: kind/,
    );
    expect(() => createRunQueue({ connection: 'http://127.0.0.1:6379' })).toThrow(
      /uses 'http:'; use 'redis:\/\/host:port'/,
    );
    expect(() => createRunWorker({ connection: url, agents: {} })).toThrow(/needs agents/);
  });

  it('fails the job of an unknown agent, naming the registered ones', async () => {
    const { queue, startWorker } = fleet();
    const worker = startWorker();
    const runId = await queue.enqueueRun('nobody', 'Task');
    const failed = new Promise<Error>((resolve) =>
      worker.worker.on('failed', (_job, error) => resolve(error)),
    );
    expect((await failed).message).toMatch(/No agent named 'nobody'.*Registered: echoer/);
    expect(await queue.queue.getJobState(runId)).toBe('failed');
  });
});

describe('a worker that lost its run', () => {
  it('neither writes the run nor adds events to it once another worker owns it', async () => {
    const { queue, startWorker } = fleet(30, 3);
    const worker = startWorker();
    const runId = await queue.enqueueRun('echoer', 'Work slowly.');
    const events = queue.events(runId);
    await until(events, 'model.start');
    // What a worker that takes the run over does first: it becomes the run's owner.
    const redis = new Redis(url);
    closers.push(async () => void (await redis.quit()));
    const runKey = (await redis.keys(`*:run:{${runId}}`))[0];
    expect(runKey).toBeDefined();
    const before = await redis.xlen(`${runKey}:events`);
    const stateBefore = await redis.hget(runKey as string, 'state');
    await redis.hset(runKey as string, 'owner', 'another-worker');
    const failed = new Promise<Error>((resolve) =>
      worker.worker.on('failed', (_job, error) => resolve(error)),
    );
    expect((await failed).message).toMatch(/another worker/);
    expect(await redis.hget(runKey as string, 'state')).toBe(stateBefore);
    // Events emitted before the take-over may still land; none after it, and no run.end.
    const stored = (await redis.xrange(`${runKey}:events`, '-', '+')) as [string, string[]][];
    const types = stored.map(([, fields]) => (JSON.parse(fields[1] as string) as AgentEvent).type);
    expect(types).not.toContain('run.end');
    expect(types).not.toContain('tool.start');
    expect(stored.length).toBeGreaterThanOrEqual(before);
  });
});
