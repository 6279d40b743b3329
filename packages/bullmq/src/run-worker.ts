import {
  type AgentEvent,
  type AgentOptions,
  createAgent,
  InvalidOptionsError,
  type RunResult,
} from '@reins/core';
import { type ConnectionOptions, type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { RunTakenOverError } from './errors/run-taken-over-error.js';
import { defaultFleetPrefix, fleetKeys } from './fleet-keys.js';
import { HeldRun } from './held-run.js';
import { createRedisCheckpointer } from './redis-checkpointer.js';
import { openRedis, type RedisConnection, toRedisOptions } from './redis-connection.js';
import { defaultRunQueueSettings, type RunJobData } from './run-queue.js';
import { type RunSummary, toRunSummary } from './run-summary.js';

/** What an agent factory is told about the run it makes an agent for. */
export interface AgentFactoryContext {
  readonly runId: string;
  readonly task: string;
  /** The `data` given to `enqueueRun`. */
  readonly data: unknown;
  /** How many times a worker has started this run's job (1 on the first). */
  readonly attempt: number;
}

/**
 * Makes the agent of one run: its options, without a checkpointer (the worker brings the Redis
 * one). Called for every run the worker takes, new or resumed.
 */
export type AgentFactory = (
  context: AgentFactoryContext,
) => Omit<AgentOptions, 'checkpointer'> | Promise<Omit<AgentOptions, 'checkpointer'>>;

/** Settings of {@link createRunWorker}. */
export interface RunWorkerSettings {
  /** The fleet's Redis. */
  readonly connection: RedisConnection;
  /** The agents this worker runs, by the name `enqueueRun` uses. */
  readonly agents: Readonly<Record<string, AgentFactory>>;
  /** @defaultValue `'reins-runs'` */
  readonly queueName?: string;
  /** @defaultValue `'reins'` */
  readonly prefix?: string;
  /**
   * Runs this worker holds at once.
   * @defaultValue 1
   */
  readonly concurrency?: number;
  /** At most `max` runs started per `duration` milliseconds, across every worker of the queue. */
  readonly limiter?: { readonly max: number; readonly duration: number };
  /**
   * How long a worker's hold on a run lasts without renewal, in milliseconds: a worker that dies
   * loses its runs this long after its last renewal (renewed every half of it).
   * @defaultValue 30 000
   */
  readonly lockDuration?: number;
  /**
   * How often workers look for runs whose holder died, in milliseconds.
   * @defaultValue 30 000
   */
  readonly stalledInterval?: number;
  /**
   * How many times a run may be taken back from a dead worker before its job fails.
   * @defaultValue 3
   */
  readonly maxStalledCount?: number;
  /**
   * Events kept per run in its Redis stream (approximately).
   * @defaultValue 10 000
   */
  readonly eventsMaxLength?: number;
  /** A name stored on the jobs this worker processes. */
  readonly name?: string;
}

/** Defaults of {@link RunWorkerSettings}. */
export const defaultRunWorkerSettings = Object.freeze({
  concurrency: 1,
  lockDuration: 30_000,
  stalledInterval: 30_000,
  maxStalledCount: 3,
  eventsMaxLength: 10_000,
});

/** Options of `worker.close()`. */
export interface RunWorkerCloseOptions {
  /**
   * How long to wait for held runs to reach a decision point, in milliseconds; after it, the
   * worker closes anyway and its runs are taken over by others once their lock expires.
   * @defaultValue Infinity
   */
  readonly timeoutMs?: number;
}

/** A worker process's share of the fleet. */
export interface RunWorker {
  /** The BullMQ worker underneath. */
  readonly worker: Worker<RunJobData, RunSummary>;
  /** Ids of the runs this worker holds now. */
  readonly heldRuns: () => readonly string[];
  /** Resolves once the worker is connected and taking runs. */
  ready(): Promise<void>;
  /**
   * Shuts down gracefully: takes no new run, lets each held run finish its turn and pause at
   * its next decision point, saves its checkpoint, and puts it back on the queue, where
   * another worker resumes it. Runs that end meanwhile complete as usual.
   */
  close(options?: RunWorkerCloseOptions): Promise<void>;
}

/**
 * KEYS: run hash. ARGV: owner token. Makes the token the run's owner (fencing out the worker
 * that held it before) and returns the flags and the control cursor (the flags are read again
 * once the worker listens for control requests).
 */
const claimScript = `
redis.call('HSET', KEYS[1], 'owner', ARGV[1])
return redis.call('HMGET', KEYS[1], 'paused', 'aborted', 'cursor')
`;

/**
 * KEYS: run hash, control stream. ARGV: the last entry id already read. Returns the pause and
 * abort flags with the control entries after that id, read together: the flags then reflect
 * exactly the pause, resume and abort entries returned, so none is lost or applied out of order.
 */
const controlSnapshotScript = `
local flags = redis.call('HMGET', KEYS[1], 'paused', 'aborted')
return { flags[1], flags[2], redis.call('XRANGE', KEYS[2], '(' .. ARGV[1], '+') }
`;

/**
 * KEYS: run hash, events stream. ARGV: owner token, max length, event JSON. Appends the event
 * only while the token owns the run, so that a worker that lost its run (stalled, then woke up)
 * cannot add events, such as a second `run.end`, to the stream of a run another worker holds.
 */
const publishScript = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'event', ARGV[3])
return 1
`;

function checkSettings(settings: RunWorkerSettings): void {
  const agents = settings?.agents;
  if (typeof agents !== 'object' || agents === null || Object.keys(agents).length === 0) {
    throw new InvalidOptionsError(
      'agents',
      'createRunWorker() needs agents: { name: (run) => agentOptions }, e.g. { coder: () => ({ backend, tools }) }.',
    );
  }
  for (const [name, factory] of Object.entries(agents)) {
    if (typeof factory !== 'function') {
      throw new InvalidOptionsError(
        `agents.${name}`,
        `agents.${name} is not a function; give a factory (run) => ({ backend, tools, controller }).`,
      );
    }
  }
  for (const field of ['concurrency', 'lockDuration', 'stalledInterval'] as const) {
    const value = settings[field];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new InvalidOptionsError(field, `${field} is ${String(value)}; use a whole number > 0.`);
    }
  }
}

/**
 * Creates a worker that executes runs from the queue as BullMQ jobs. Each job is one run: the
 * worker claims it (its lock token becomes the run's fencing token in Redis), resumes it from
 * its checkpoint when there is one, applies the control requests addressed to it, streams its
 * events to Redis and returns its summary. A worker that dies loses its runs after
 * `lockDuration`; BullMQ's stalled-job check puts them back on the queue and another worker
 * resumes them from their last checkpoint, with the same tool-call ids.
 *
 * @param settings - connection, agent factories, concurrency, rate limit, lock timings.
 * @returns a {@link RunWorker}.
 * @throws {InvalidOptionsError} for missing agents or bad numbers.
 * @example
 * ```ts
 * const worker = createRunWorker({
 *   connection: 'redis://127.0.0.1:6379',
 *   agents: { coder: () => ({ backend, tools, controller }) },
 *   concurrency: 8,
 * });
 * process.on('SIGTERM', () => void worker.close());
 * ```
 */
export function createRunWorker(settings: RunWorkerSettings): RunWorker {
  checkSettings(settings);
  const queueName = settings.queueName ?? defaultRunQueueSettings.queueName;
  const keys = fleetKeys(settings.prefix ?? defaultFleetPrefix);
  const eventsMaxLength = settings.eventsMaxLength ?? defaultRunWorkerSettings.eventsMaxLength;
  const redis: Redis = openRedis(settings.connection);
  const subscriber: Redis = openRedis(settings.connection);
  const held = new Map<string, HeldRun>();
  const owners = new Map<string, string>();
  let closing = false;

  const checkpointer = createRedisCheckpointer({
    connection: redis,
    prefix: keys.prefix,
    ownerOf: (runId) => owners.get(runId),
    fieldsOf: (checkpoint) => held.get(checkpoint.runId)?.fieldsOf(checkpoint),
  });
  const runCheckpointer = {
    ...checkpointer,
    async save(checkpoint: Parameters<typeof checkpointer.save>[0]) {
      await checkpointer.save(checkpoint);
      held.get(checkpoint.runId)?.saved(checkpoint);
    },
  };

  subscriber.on('message', (channel: string) => {
    const runId = runIdOfChannel(channel);
    const run = runId === undefined ? undefined : held.get(runId);
    if (run !== undefined) void readControl(run);
  });

  async function readControl(run: HeldRun): Promise<void> {
    if (!run.listening) return;
    const entries = (await redis.xrange(keys.control(run.runId), `(${run.after}`, '+')) as [
      string,
      string[],
    ][];
    run.apply(entries);
  }

  function runIdOfChannel(channel: string): string | undefined {
    const match = /:run:\{([^}]+)\}:wake$/.exec(channel);
    return match?.[1];
  }

  function publish(event: AgentEvent, owner: string): Promise<unknown> {
    return redis
      .eval(
        publishScript,
        2,
        keys.run(event.runId),
        keys.events(event.runId),
        owner,
        String(eventsMaxLength),
        JSON.stringify(event),
      )
      .catch(() => undefined);
  }

  /** Stores the `run.end` of an ended run unless the stream ends with it already. */
  async function ensureRunEnd(result: RunResult, savedAt: number, owner: string): Promise<void> {
    const last = (await redis.xrevrange(keys.events(result.runId), '+', '-', 'COUNT', 1)) as [
      string,
      string[],
    ][];
    const lastEvent = last[0]?.[1][1];
    if (lastEvent !== undefined && (JSON.parse(lastEvent) as AgentEvent).type === 'run.end') return;
    await publish(
      { runId: result.runId, turn: result.turns, at: savedAt, type: 'run.end', result },
      owner,
    );
  }

  function release(run: HeldRun): void {
    if (run.releasing || run.handle === undefined) return;
    run.releasing = true;
    if (run.handle.phase !== 'paused') run.handle.pause('The worker is shutting down.');
    void run.pausedAndSaved.then(() => run.released.open());
  }

  async function processRun(job: Job<RunJobData, RunSummary>, token?: string): Promise<RunSummary> {
    const runId = job.id as string;
    const owner = token ?? `${job.id}:${job.attemptsStarted}`;
    owners.set(runId, owner);
    const [paused, aborted, cursor] = (await redis.eval(
      claimScript,
      1,
      keys.run(runId),
      owner,
    )) as [string | null, string | null, string | null];
    const run = new HeldRun(runId, cursor ?? '0-0');
    held.set(runId, run);
    const channel = keys.controlChannel(runId);
    try {
      const stored = await checkpointer.load(runId);
      if (stored?.result !== undefined) {
        // Ended before its worker could complete the job: complete it now, running nothing.
        const result = { ...stored.result, messages: stored.messages } as RunResult;
        await ensureRunEnd(result, stored.savedAt, owner);
        return toRunSummary(stored.result);
      }
      const factory = settings.agents[job.data.agentName];
      if (factory === undefined) {
        throw new UnrecoverableError(
          `No agent named '${job.data.agentName}' on this worker. Registered: ${Object.keys(settings.agents).join(', ')}. Register it in createRunWorker({ agents }).`,
        );
      }
      const options = await factory({
        runId,
        task: job.data.task,
        data: job.data.data,
        attempt: job.attemptsStarted,
      });
      const agent = createAgent({ ...options, checkpointer: runCheckpointer });
      const handle =
        stored === undefined ? agent.run(job.data.task, { runId }) : await agent.resume(runId);
      run.handle = handle;
      let lastPublished: Promise<unknown> = Promise.resolve();
      handle.on('*', (event) => {
        run.observe(event.type);
        lastPublished = publish(event, owner);
      });
      // The flags as claimed apply before the run starts (an abort costs no model call); then,
      // subscribed, the flags again and the stream: a request sent meanwhile arrives one way or
      // the other (a pause or an abort applied twice is harmless).
      if (aborted !== null) handle.abort(aborted);
      else if (paused !== null) handle.pause(paused);
      await subscriber.subscribe(channel);
      const [pausedNow, abortedNow, entries] = (await redis.eval(
        controlSnapshotScript,
        2,
        keys.run(runId),
        keys.control(runId),
        run.after,
      )) as [string | null, string | null, [string, string[]][]];
      if (abortedNow !== null && aborted === null) handle.abort(abortedNow);
      else if (pausedNow !== null && paused === null) handle.pause(pausedNow);
      else if (pausedNow === null && paused !== null) handle.resume();
      // The flags stand for the pause, resume and abort entries read with them; the entries'
      // interrupts still apply. Wake-ups that came meanwhile were ignored: read what followed.
      run.listen(entries);
      await readControl(run);
      if (closing) release(run);
      const outcome = await Promise.race([
        handle.result,
        run.released.promise.then(() => undefined),
      ]);
      if (outcome === undefined) {
        await subscriber.unsubscribe(channel);
        await lastPublished;
        await job.moveToWait(token);
        throw new WaitingError();
      }
      await lastPublished;
      if ((await redis.hget(keys.run(runId), 'owner')) !== owner) {
        // Stalled past its lock: another worker holds the run now and will complete its job.
        throw new RunTakenOverError(
          runId,
          `Run '${runId}' was taken over by another worker while this one held it (its lock expired: the process stalled or lost Redis for longer than lockDuration). This worker leaves the run to the new holder.`,
        );
      }
      return toRunSummary(outcome);
    } finally {
      held.delete(runId);
      owners.delete(runId);
      await subscriber.unsubscribe(channel).catch(() => undefined);
    }
  }

  const worker = new Worker<RunJobData, RunSummary>(queueName, processRun, {
    connection: toRedisOptions(settings.connection) as ConnectionOptions,
    concurrency: settings.concurrency ?? defaultRunWorkerSettings.concurrency,
    lockDuration: settings.lockDuration ?? defaultRunWorkerSettings.lockDuration,
    stalledInterval: settings.stalledInterval ?? defaultRunWorkerSettings.stalledInterval,
    maxStalledCount: settings.maxStalledCount ?? defaultRunWorkerSettings.maxStalledCount,
    ...(settings.limiter === undefined ? {} : { limiter: { ...settings.limiter } }),
    ...(settings.name === undefined ? {} : { name: settings.name }),
  });
  // Errors of the worker's connections are retried by ioredis and BullMQ; listening keeps them
  // from becoming unhandled 'error' events.
  worker.on('error', () => {});
  redis.on('error', () => {});
  subscriber.on('error', () => {});

  return {
    worker,
    heldRuns: () => [...held.keys()],
    ready: () => worker.waitUntilReady().then(() => undefined),
    async close(options = {}) {
      closing = true;
      const closed = worker.close();
      for (const run of held.values()) release(run);
      const timeoutMs = options.timeoutMs ?? Number.POSITIVE_INFINITY;
      if (Number.isFinite(timeoutMs)) {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
        const outcome = await Promise.race([closed.then(() => 'closed' as const), timedOut]);
        clearTimeout(timer);
        if (outcome === 'timeout') await worker.close(true);
      } else {
        await closed;
      }
      await Promise.all([
        redis.quit().catch(() => undefined),
        subscriber.quit().catch(() => undefined),
      ]);
    },
  };
}
