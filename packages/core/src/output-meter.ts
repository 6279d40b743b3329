import type { ModelStreamPart } from './stream-part.js';
import { utf8Length } from './utf8-length.js';

/**
 * Counts the output a model call streams, in UTF-8 bytes: text, reasoning, refusals, tool-call names and
 * arguments (a call's arguments once, whether they came as deltas or whole). It is never reset
 * by a `restart`: output that was streamed and then voided was still produced.
 */
export interface OutputMeter {
  /** Bytes counted so far. */
  readonly bytes: number;
  /** Counts one part. @returns the new total. */
  add(part: ModelStreamPart): number;
}

/**
 * Creates an {@link OutputMeter}.
 * @example
 * ```ts
 * const meter = createOutputMeter();
 * meter.add({ type: 'text-delta', delta: '汉字' }); // 6
 * ```
 */
export function createOutputMeter(): OutputMeter {
  let bytes = 0;
  /** Tool calls whose arguments were counted as deltas. */
  const streamedCalls = new Set<string>();
  return {
    get bytes() {
      return bytes;
    },
    add(part) {
      switch (part.type) {
        case 'text-delta':
        case 'reasoning-delta':
        case 'refusal-delta':
          bytes += utf8Length(part.delta);
          break;
        case 'tool-call-delta':
          streamedCalls.add(part.id);
          bytes += utf8Length(part.argumentsDelta) + utf8Length(part.name ?? '');
          break;
        case 'tool-call':
          if (!streamedCalls.has(part.id))
            bytes += utf8Length(part.name) + utf8Length(part.arguments);
          break;
        default:
          break;
      }
      return bytes;
    },
  };
}
