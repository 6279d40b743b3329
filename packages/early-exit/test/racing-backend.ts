/**
 * A model backend whose parallel calls race in a fixed order, for tests of searches that start
 * several samples at once: each call streams its scripted parts, waiting a given number of
 * event-loop turns (`setImmediate`) before each one, so a call with fewer turns per part
 * finishes first on every run, with no timers. It honours the request's abort signal between
 * parts and records what each call was asked and how it ended.
 */
import type { Clock, ModelBackend, ModelRequest, ModelStreamPart } from '@reins/core';

/** One call's script. */
export interface RacingCall {
  /** The parts streamed, in order. */
  readonly parts: readonly ModelStreamPart[];
  /** Event-loop turns waited before each part: the call's slowness. @defaultValue 1 */
  readonly turnsPerPart?: number;
  /** Thrown after the parts, instead of ending the stream. */
  readonly error?: Error;
  /** Stop streaming after this many parts and wait for the abort (a call still thinking). */
  readonly stallAfter?: number;
}

/** A call as the backend saw it. */
export interface RacingRequest {
  /** The request, without its signal. */
  readonly request: Omit<ModelRequest, 'signal'>;
  /**
   * How the stream ended: all parts sent, the scripted error thrown, aborted, or closed by the
   * reader before its end.
   */
  outcome: 'pending' | 'completed' | 'failed' | 'aborted' | 'closed';
  /** The abort signal's reason, when it was aborted. */
  abortReason?: unknown;
  /** Parts sent before it ended. */
  sent: number;
}

/** The backend, its requests, and the clock it advances. */
export interface RacingBackend extends ModelBackend {
  /** Each call, in the order it started. */
  readonly requests: RacingRequest[];
  /** A clock that stands still but for `advance` (and `msPerAbort` on each abort). */
  readonly clock: Clock & { advance(ms: number): void };
}

/**
 * Creates a racing backend.
 * @param calls - the script of each call, in the order the calls start.
 * @param msPerAbort - how far the clock moves when a call sees its abort (the time its
 *   connection takes to close). @defaultValue 0
 */
export function createRacingBackend(calls: readonly RacingCall[], msPerAbort = 0): RacingBackend {
  let now = 1_000;
  const clock: Clock & { advance(ms: number): void } = {
    now: () => now,
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    advance(ms: number) {
      now += ms;
    },
  };
  const requests: RacingRequest[] = [];
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    specificationVersion: 'v1',
    provider: 'racing',
    modelId: 'racer',
    capabilities: { toolCalls: false, reasoning: true, logprobs: false },
    requests,
    clock,
    async *stream({ signal, ...request }) {
      const call = calls[requests.length];
      if (call === undefined) throw new Error(`No script for call ${requests.length + 1}.`);
      const record: RacingRequest = { request, outcome: 'pending', sent: 0 };
      requests.push(record);
      try {
        for (const part of call.parts) {
          if (record.sent === call.stallAfter) await aborted(signal);
          for (let waited = 0; waited < (call.turnsPerPart ?? 1); waited++) await turn();
          signal?.throwIfAborted();
          record.sent++;
          yield part;
        }
        if (call.error !== undefined) {
          record.outcome = 'failed';
          throw call.error;
        }
        record.outcome = 'completed';
      } catch (error) {
        if (signal?.aborted) {
          record.outcome = 'aborted';
          record.abortReason = signal.reason;
          clock.advance(msPerAbort);
        }
        throw error;
      } finally {
        if (record.outcome === 'pending') record.outcome = 'closed';
      }
    },
  };
}

/** Never resolves; rejects with the signal's reason once it aborts. */
function aborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * The parts of a reasoning call: its reasoning, its answer text, the usage when given, then the
 * finish (reason `stop` unless given).
 */
export function reasoningCall(
  reasoning: string,
  answer: string,
  options: { outputTokens?: number; finish?: 'stop' | 'length' } = {},
): ModelStreamPart[] {
  return [
    ...reasoning
      .split(/(?<= )/)
      .map((delta): ModelStreamPart => ({ type: 'reasoning-delta', delta })),
    { type: 'text-delta', delta: answer },
    ...(options.outputTokens === undefined
      ? []
      : [
          {
            type: 'usage',
            usage: { outputTokens: options.outputTokens },
          } satisfies ModelStreamPart,
        ]),
    { type: 'finish', reason: options.finish ?? 'stop' },
  ];
}
