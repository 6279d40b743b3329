import { randomUUID } from 'node:crypto';
import {
  type AgentEvent,
  type InterruptInput,
  InvalidOptionsError,
  interruptInputSchema,
} from '@reins/core';
import { type ConnectionOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkRunId, defaultFleetPrefix, fleetKeys } from './fleet-keys.js';
import { type FollowRunEventsOptions, followRunEvents } from './follow-run-events.js';
import { openRedis, type RedisConnection, toRedisOptions } from './redis-connection.js';
import { controlFlag, type RunControlRequest, sendControlScript } from './run-control.js';
import type { RunSummary } from './run-summary.js';

/** Settings of {@link createRunQueue}. */
export interface RunQueueSettings {
  /** The fleet's Redis. */
  readonly connection: RedisConnection;
  /**
   * The BullMQ queue's name; workers must use the same.
   * @defaultValue `'reins-runs'`
   */
  readonly queueName?: string;
  /**
   * Prefix of the fleet's own keys (checkpoints, events, control).
   * @defaultValue `'reins'`
   */
  readonly prefix?: string;
}

/** Defaults of {@link RunQueueSettings}. */
export const defaultRunQueueSettings = Object.freeze({ queueName: 'reins-runs' });

/** What a run is asked to do: its task, and data for the agent factory. */
export interface RunInput {
  /** The task, as `agent.run(task)` takes it. */
  readonly task: string;
  /** JSON data handed to the worker's agent factory (a repository path, a ticket id…). */
  readonly data?: unknown;
}

/** Options of `queue.enqueueRun()`. */
export interface EnqueueRunOptions {
  /** The run's id (letters, digits, `_`, `-`); generated when absent. Enqueuing an id twice adds one job. */
  readonly runId?: string;
  /**
   * BullMQ priority: 1 is the highest, larger numbers wait longer; unset runs go first.
   * @defaultValue none
   */
  readonly priority?: number;
  /** Milliseconds to wait before the run may start. */
  readonly delayMs?: number;
  /**
   * Attempts when a worker's processing throws (Redis lost, a factory that throws). A worker
   * that dies is a stall, counted apart (the worker's `maxStalledCount`). A run that fails as a
   * run (`status: 'failed'`) has ended and is not retried.
   * @defaultValue 3
   */
  readonly attempts?: number;
}

/** The job data of a run. */
export interface RunJobData {
  readonly agentName: string;
  readonly task: string;
  readonly data?: unknown;
}

/** A queue of agent runs, and their control, from any process. */
export interface RunQueue {
  /** The BullMQ queue underneath (for metrics, dashboards, cleaning). */
  readonly queue: Queue<RunJobData, RunSummary, string, RunJobData, RunSummary, string>;
  /**
   * Adds a run for the agent a worker registered as `agentName`.
   * @returns the run id.
   */
  enqueueRun(
    agentName: string,
    input: string | RunInput,
    options?: EnqueueRunOptions,
  ): Promise<string>;
  /**
   * Sends an interrupt to the run, wherever it is: applied by the worker that holds it (at the
   * next decision point, or at once for `urgency: 'now'`, aborting the model call), or by the
   * worker that picks it up next.
   */
  interrupt(runId: string, input: InterruptInput): Promise<void>;
  /** Pauses the run at its next decision point; it stays paused on whichever worker holds it. */
  pause(runId: string, reason?: string): Promise<void>;
  /** Resumes a paused run. */
  resume(runId: string): Promise<void>;
  /** Ends the run as `cancelled` (in-flight work aborted), or before it starts if it is waiting. */
  abort(runId: string, reason?: string): Promise<void>;
  /** The run's events from any process, until `run.end`. */
  events(runId: string, options?: FollowRunEventsOptions): AsyncIterableIterator<AgentEvent>;
  /** Resolves with the run's summary once it has ended. */
  waitForResult(runId: string, options?: { signal?: AbortSignal }): Promise<RunSummary>;
  /** Closes the queue's connections, those of event iterators still open included. */
  close(): Promise<void>;
}

/**
 * Creates the producer side of a fleet: enqueue runs, control them and follow their events from
 * any process. Runs execute on workers made with `createRunWorker`.
 *
 * @param settings - connection, queue name, key prefix.
 * @returns a {@link RunQueue}.
 * @example
 * ```ts
 * const queue = createRunQueue({ connection: 'redis://127.0.0.1:6379' });
 * const runId = await queue.enqueueRun('coder', 'Fix the failing test', { priority: 1 });
 * for await (const event of queue.events(runId)) console.log(event.type);
 * await queue.interrupt(runId, { kind: 'revision', text: 'Use Python 3.12', urgency: 'now' });
 * ```
 */
export function createRunQueue(settings: RunQueueSettings): RunQueue {
  const queueName = settings.queueName ?? defaultRunQueueSettings.queueName;
  const prefix = settings.prefix ?? defaultFleetPrefix;
  const keys = fleetKeys(prefix);
  const redisOptions = toRedisOptions(settings.connection);
  const queue = new Queue<RunJobData, RunSummary, string, RunJobData, RunSummary, string>(
    queueName,
    {
      connection: redisOptions as ConnectionOptions,
    },
  );
  const redis: Redis = openRedis(settings.connection);
  /** Connections of the event iterators still open; `close()` ends them. */
  const followers = new Set<Redis>();

  async function send(runId: string, request: RunControlRequest): Promise<void> {
    checkRunId(runId);
    const [field, value] = controlFlag(request);
    await redis.eval(
      sendControlScript,
      2,
      keys.run(runId),
      keys.control(runId),
      keys.controlChannel(runId),
      request.type,
      JSON.stringify(request),
      field,
      value,
    );
  }

  return {
    queue,
    async enqueueRun(agentName, input, options = {}) {
      if (typeof agentName !== 'string' || agentName === '') {
        throw new InvalidOptionsError(
          'agentName',
          `enqueueRun() needs the name a worker registered its agent under; received ${JSON.stringify(agentName)}.`,
        );
      }
      const { task, data } = typeof input === 'string' ? { task: input, data: undefined } : input;
      if (typeof task !== 'string' || task.trim() === '') {
        throw new InvalidOptionsError(
          'input.task',
          `enqueueRun() needs a non-empty task; received ${JSON.stringify(task)}.`,
        );
      }
      const runId = options.runId ?? randomUUID();
      checkRunId(runId, 'options.runId');
      const { priority, delayMs, attempts = 3 } = options;
      await queue.add(
        agentName,
        { agentName, task, ...(data === undefined ? {} : { data }) },
        {
          jobId: runId,
          attempts,
          backoff: { type: 'exponential', delay: 1_000 },
          ...(priority === undefined ? {} : { priority }),
          ...(delayMs === undefined ? {} : { delay: delayMs }),
        },
      );
      return runId;
    },
    async interrupt(runId, input) {
      const parsed = interruptInputSchema.safeParse(input);
      if (!parsed.success) {
        throw new InvalidOptionsError(
          'interrupt',
          `Invalid interrupt: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}. Use { kind: 'addition' | 'revision' | 'retraction' | 'stop' | 'answer-now', text, urgency: 'next-turn' | 'now' }.`,
        );
      }
      await send(runId, { type: 'interrupt', interrupt: input });
    },
    pause: (runId, reason = 'Paused by the caller.') => send(runId, { type: 'pause', reason }),
    resume: (runId) => send(runId, { type: 'resume' }),
    abort: (runId, reason = 'Aborted by the caller.') => send(runId, { type: 'abort', reason }),
    events(runId, options) {
      checkRunId(runId);
      const connection = redis.duplicate();
      followers.add(connection);
      connection.once('end', () => followers.delete(connection));
      return followRunEvents(connection, keys.events(runId), options);
    },
    async waitForResult(runId, options) {
      for await (const event of this.events(runId, options)) {
        if (event.type === 'run.end') {
          const { messages: _messages, ...summary } = event.result;
          return summary;
        }
      }
      throw new InvalidOptionsError(
        'signal',
        `Stopped waiting for run '${runId}': the signal was aborted before the run ended.`,
      );
    },
    async close() {
      for (const connection of followers) connection.disconnect();
      await queue.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
