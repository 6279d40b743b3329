import type { ModelBackend, ModelRequest } from '../src/model-backend.js';
import type { ModelStreamPart } from '../src/stream-part.js';
import type { SimulatedClock } from '../src/testing/simulated-clock.js';

/** What one model call does. */
export interface ScriptedCall {
  /** Time the call takes on the clock before its first part. */
  readonly takesMs?: number;
  /** The parts it streams, as they are. */
  readonly parts: readonly ModelStreamPart[];
  /** After its parts, wait until the loop aborts the call (a call still in flight). */
  readonly stall?: boolean;
}

/**
 * A backend that plays one script per call, in order, and records the requests it received.
 * A stalled call holds until its signal aborts, so a test can cut it where it wants.
 */
export function callByCallBackend(
  calls: readonly ScriptedCall[],
  clock?: SimulatedClock,
): ModelBackend & { readonly requests: Omit<ModelRequest, 'signal'>[] } {
  const requests: Omit<ModelRequest, 'signal'>[] = [];
  return {
    specificationVersion: 'v1',
    provider: 'test',
    modelId: 'test-1',
    capabilities: { toolCalls: true, reasoning: true, logprobs: true },
    requests,
    async *stream({ signal, ...request }) {
      requests.push({ ...request, messages: [...request.messages] });
      const call = calls[requests.length - 1];
      if (call === undefined) throw new Error(`This test scripts ${calls.length} calls only.`);
      if (call.takesMs !== undefined) clock?.advance(call.takesMs);
      yield* call.parts;
      if (call.stall === true && !signal.aborted)
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    },
  };
}
