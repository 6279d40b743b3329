import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestText } from './text-digest.js';
import { actionPreviewLength, toActionText, toObservedTurn } from './turn-record.js';

describe('toObservedTurn', () => {
  it('digests the actions as toActionText renders them and the observations one per line', () => {
    const text = fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: fc.string({ maxLength: 12 }), arguments: text }), {
          maxLength: 3,
        }),
        fc.array(fc.record({ text, failed: fc.boolean() }), { maxLength: 3 }),
        text,
        (actions, results, answer) => {
          const observations = results.map(({ text: output, failed }) => ({
            name: 'bash',
            status: failed ? ('error' as const) : ('ok' as const),
            text: output,
          }));
          const observed = toObservedTurn({ turn: 1, text: answer, actions, observations });
          // The joined texts, built the plain way.
          let observationText = '';
          for (const observation of observations)
            observationText =
              observationText === '' ? observation.text : `${observationText}\n${observation.text}`;
          const actionText = toActionText(actions);
          expect(observed.action).toEqual(digestText(actionText));
          expect(observed.observation).toEqual(digestText(observationText));
          expect(observed.output).toEqual(digestText(answer));
          expect(observed.actionPreview).toBe(actionText.slice(0, actionPreviewLength));
          expect(observed.errorCount).toBe(results.filter((result) => result.failed).length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
