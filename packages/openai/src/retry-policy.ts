/** When and how often a failed request is tried again. */
export interface RetrySettings {
  /**
   * Retries after the first attempt (0 disables retries).
   * @defaultValue 2
   */
  readonly maxRetries?: number;
  /**
   * Delay before the first retry; doubled for each further one.
   * @defaultValue 500 ms
   */
  readonly initialDelayMs?: number;
  /**
   * Cap on the computed backoff.
   * @defaultValue 8 000 ms
   */
  readonly maxDelayMs?: number;
  /**
   * Longest `Retry-After` honoured; a server asking for longer fails the call at once.
   * @defaultValue 60 000 ms
   */
  readonly maxRetryAfterMs?: number;
  /**
   * Retry a stream that failed after output was delivered to the caller. The retried stream
   * starts again from the beginning: the backend yields a `restart` part first, on which the
   * Reins loop empties the call's draft (other consumers must do the same). The retry sends the
   * prompt again, and a call's `settings.retryAfterOutput` overrides this (a cost budget sets
   * it to `false`).
   * @defaultValue false
   */
  readonly retryAfterOutput?: boolean;
}

/** The defaults of {@link RetrySettings}. */
export const defaultRetrySettings = Object.freeze({
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  retryAfterOutput: false,
});

/**
 * The delay before retry number `retry` (1-based): exponential backoff with full jitter
 * (a random point between half the backoff and the backoff), and never less than what the
 * server asked for with `Retry-After`.
 *
 * @param retry - which retry this is, from 1.
 * @param retryAfterMs - what the server asked for, if anything.
 * @param settings - the retry settings.
 * @param random - a source of numbers in [0, 1), injectable for tests.
 * @returns milliseconds to wait.
 * @example
 * ```ts
 * computeRetryDelay(2, undefined, { initialDelayMs: 100 }, () => 1); // 200
 * ```
 */
export function computeRetryDelay(
  retry: number,
  retryAfterMs: number | undefined,
  settings: RetrySettings = {},
  random: () => number = Math.random,
): number {
  const initial = settings.initialDelayMs ?? defaultRetrySettings.initialDelayMs;
  const cap = settings.maxDelayMs ?? defaultRetrySettings.maxDelayMs;
  const backoff = Math.min(cap, initial * 2 ** Math.max(0, retry - 1));
  const jittered = backoff / 2 + (backoff / 2) * random();
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}

/**
 * Reads how long a server asks to wait: `retry-after-ms` (OpenAI), else `Retry-After` as
 * seconds or as an HTTP date.
 *
 * @param headers - the response headers.
 * @param now - the current time in milliseconds, for dates.
 * @returns milliseconds, or `undefined` when the server did not say.
 * @example
 * ```ts
 * parseRetryAfter(new Headers({ 'retry-after': '2' }), Date.now()); // 2000
 * ```
 */
export function parseRetryAfter(headers: Headers, now: number): number | undefined {
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && /^\d+(\.\d+)?$/.test(milliseconds.trim()))
    return Math.ceil(Number(milliseconds));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
