import type { AgentEvent } from '@reins/core';
import type { Redis } from 'ioredis';

/** Options of `queue.events()`. */
export interface FollowRunEventsOptions {
  /**
   * Where to start in the run's event stream: `'start'` replays every stored event, `'now'`
   * only those emitted from now on.
   * @defaultValue `'start'`
   */
  readonly from?: 'start' | 'now';
  /** Ends the iteration. */
  readonly signal?: AbortSignal;
  /**
   * How long one blocking read waits, in milliseconds, before looking at `signal` again.
   * @defaultValue 1 000
   */
  readonly blockMs?: number;
}

/**
 * The events of a run stored in a Redis stream, in order, until `run.end` (included).
 * `connection` is a client of its own (a blocking read holds it); it is closed at the end.
 */
export async function* followRunEvents(
  connection: Redis,
  key: string,
  options: FollowRunEventsOptions = {},
): AsyncGenerator<AgentEvent> {
  const blockMs = options.blockMs ?? 1_000;
  let last = options.from === 'now' ? '$' : '0';
  try {
    while (options.signal?.aborted !== true) {
      const reply = (await connection.xread('BLOCK', blockMs, 'STREAMS', key, last)) as
        | [string, [string, string[]][]][]
        | null;
      if (reply === null) continue;
      for (const [, entries] of reply) {
        for (const [id, fields] of entries) {
          last = id;
          const event = JSON.parse(fields[1] ?? 'null') as AgentEvent | null;
          if (event === null) continue;
          yield event;
          if (event.type === 'run.end') return;
        }
      }
    }
  } finally {
    connection.disconnect();
  }
}
