import type { Message } from '@reins/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMessageBytesCounter, messageBytes } from './message-bytes.js';

const message = fc.oneof(
  fc.string().map((content): Message => ({ role: 'user', content })),
  fc.string().map((content): Message => ({ role: 'assistant', content, toolCalls: [] })),
  fc.string().map(
    (output): Message => ({
      role: 'tool',
      toolCallId: 'call_1',
      toolName: 'run',
      result: { status: 'ok', output },
    }),
  ),
);

/** How a history changes between two counts: it grows, is rewritten in places, or shrinks. */
const change = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), messages: fc.array(message) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), message }),
  fc.record({ kind: fc.constant('truncate' as const), to: fc.nat() }),
  fc.record({
    kind: fc.constant('compact' as const),
    from: fc.nat(),
    to: fc.nat(),
    summary: message,
  }),
);

describe('createMessageBytesCounter', () => {
  it('counts what summing every message counts, however the history changed in between', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 30 }), fc.nat(), (changes, seed) => {
        const bytesOf = createMessageBytesCounter();
        let history: Message[] = [];
        for (const [index, step] of changes.entries()) {
          if (step.kind === 'append') history = [...history, ...step.messages];
          else if (step.kind === 'replace' && history.length > 0)
            history = history.map((old, at) =>
              at === step.at % history.length ? step.message : old,
            );
          else if (step.kind === 'truncate')
            history = history.slice(0, step.to % (history.length + 1));
          else if (step.kind === 'compact') {
            const from = step.from % (history.length + 1);
            const to = from + (step.to % (history.length - from + 1));
            history = [...history.slice(0, from), step.summary, ...history.slice(to)];
          }
          const from = (seed + index) % (history.length + 1);
          const expected = history.slice(from).reduce((sum, each) => sum + messageBytes(each), 0);
          expect(bytesOf(history, from)).toBe(expected);
        }
      }),
    );
  });
});
