/**
 * Reins runs as BullMQ jobs on Redis. `createRunQueue` enqueues runs, controls them
 * (`interrupt`, `pause`, `resume`, `abort`) and follows their events from any process;
 * `createRunWorker` executes them with the agents it registers by name; `createRedisCheckpointer`
 * keeps checkpoints in Redis with the loop's write-ahead guarantee, fenced by the job's lock
 * token; `createRedisCostLedger` holds every run of the fleet under one cost cap.
 *
 * Control requests travel as entries of a per-run Redis stream, announced on a pub/sub channel:
 * the worker holding the run applies them at once, a worker that picks the run up later applies
 * those its checkpoint does not record yet.
 *
 * @module @reins/bullmq
 */
export { LedgerUnavailableError } from './errors/ledger-unavailable-error.js';
export { RunTakenOverError } from './errors/run-taken-over-error.js';
export { defaultFleetPrefix } from './fleet-keys.js';
export type { FollowRunEventsOptions } from './follow-run-events.js';
export {
  createRedisCheckpointer,
  type RedisCheckpointer,
  type RedisCheckpointerSettings,
} from './redis-checkpointer.js';
export type { RedisConnection, RedisConnectionOptions } from './redis-connection.js';
export {
  createRedisCostLedger,
  defaultRedisCostLedgerSettings,
  type RedisCostLedger,
  type RedisCostLedgerSettings,
} from './redis-cost-ledger.js';
export type { RunControlRequest } from './run-control.js';
export {
  createRunQueue,
  defaultRunQueueSettings,
  type EnqueueRunOptions,
  type RunInput,
  type RunJobData,
  type RunQueue,
  type RunQueueSettings,
} from './run-queue.js';
export type { RunSummary } from './run-summary.js';
export {
  type AgentFactory,
  type AgentFactoryContext,
  createRunWorker,
  defaultRunWorkerSettings,
  type RunWorker,
  type RunWorkerCloseOptions,
  type RunWorkerSettings,
} from './run-worker.js';
