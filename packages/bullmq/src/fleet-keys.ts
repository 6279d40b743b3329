import { InvalidOptionsError } from '@reins/core';

/** Run ids the fleet accepts: they name Redis keys and BullMQ job ids. */
const runIdPattern = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The Redis keys of a fleet under one prefix. A run's keys share the hash tag `{runId}`, so
 * that a Lua script touching them runs on one Redis Cluster slot.
 */
export interface FleetKeys {
  readonly prefix: string;
  /** Hash: checkpoint state, history count, owner (fencing token), control cursor, flags. */
  run(runId: string): string;
  /** List: the run's history, one JSON message per entry. */
  history(runId: string): string;
  /** Stream: the run's events, as JSON. */
  events(runId: string): string;
  /** Stream: control requests (interrupts) addressed to the run, in order. */
  control(runId: string): string;
  /** Pub/sub channel that wakes the worker holding the run. */
  controlChannel(runId: string): string;
  /** Set of the ids of checkpointed runs. */
  runs(): string;
}

/** The keys under `prefix`. */
export function fleetKeys(prefix: string): FleetKeys {
  return {
    prefix,
    run: (runId) => `${prefix}:run:{${runId}}`,
    history: (runId) => `${prefix}:run:{${runId}}:history`,
    events: (runId) => `${prefix}:run:{${runId}}:events`,
    control: (runId) => `${prefix}:run:{${runId}}:control`,
    controlChannel: (runId) => `${prefix}:run:{${runId}}:wake`,
    runs: () => `${prefix}:runs`,
  };
}

/** Default key prefix of every fleet part. */
export const defaultFleetPrefix = 'reins';

/**
 * Throws a typed error unless `runId` can name the run's keys and job.
 * @throws {InvalidOptionsError} naming the id and the allowed characters.
 */
export function checkRunId(runId: unknown, field = 'runId'): asserts runId is string {
  if (typeof runId !== 'string' || !runIdPattern.test(runId)) {
    throw new InvalidOptionsError(
      field,
      `Run id ${JSON.stringify(runId)} cannot name a run in Redis. Use 1–128 letters, digits, '_' or '-' (generated ids do).`,
    );
  }
}
