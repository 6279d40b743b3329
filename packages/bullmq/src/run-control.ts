import type { InterruptInput } from '@reins/core';

/**
 * A control request addressed to a run, as it travels through Redis: appended to the run's
 * control stream (so that a worker that picks the run up later still sees it) and announced on
 * its wake channel (so that the worker holding it now applies it at once).
 */
export type RunControlRequest =
  | { readonly type: 'interrupt'; readonly interrupt: InterruptInput }
  | { readonly type: 'pause'; readonly reason: string }
  | { readonly type: 'resume' }
  | { readonly type: 'abort'; readonly reason: string };

/**
 * Appends a control request and wakes the run's worker, in one script. Pause, resume and abort
 * also set (or clear) a flag on the run, which a worker that picks the run up reads first.
 *
 * KEYS: run hash, control stream. ARGV: channel, type, request JSON, flag field, flag value
 * ('' clears it). Returns the stream entry id.
 */
export const sendControlScript = `
if ARGV[4] ~= '' then
  if ARGV[5] == '' then redis.call('HDEL', KEYS[1], ARGV[4])
  else redis.call('HSET', KEYS[1], ARGV[4], ARGV[5]) end
end
local id = redis.call('XADD', KEYS[2], '*', 'type', ARGV[2], 'request', ARGV[3])
redis.call('PUBLISH', ARGV[1], id)
return id
`;

/** The run-hash flag a request sets (with its value) or clears (value ''), if any. */
export function controlFlag(request: RunControlRequest): [field: string, value: string] {
  switch (request.type) {
    case 'pause':
      return ['paused', request.reason];
    case 'resume':
      return ['paused', ''];
    case 'abort':
      return ['aborted', request.reason];
    default:
      return ['', ''];
  }
}

/** Reads a stream entry's fields back into a request. */
export function parseControlEntry(fields: readonly string[]): RunControlRequest | undefined {
  const index = fields.indexOf('request');
  if (index < 0) return undefined;
  try {
    return JSON.parse(fields[index + 1] ?? '') as RunControlRequest;
  } catch {
    return undefined;
  }
}
