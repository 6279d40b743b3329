import type { Directive, Interrupt, RunView } from '@reins/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCurrentIntent } from './current-intent.js';
import { createInterruptionPolicy, defaultInterruptionTemplates } from './interruption-policy.js';

const interruptArbitrary = fc.record({
  kind: fc.constantFrom('addition', 'revision', 'retraction', 'stop', 'answer-now') as fc.Arbitrary<
    Interrupt['kind']
  >,
  text: fc.string({ minLength: 1, maxLength: 12 }).map((text) => `u:${text.replace(/\s/g, '_')}`),
  scope: fc.constantFrom(undefined, 'task') as fc.Arbitrary<'task' | undefined>,
});

function viewOf(updates: readonly Interrupt[]): RunView {
  return {
    runId: 'r',
    task: 'The task.',
    intentUpdates: updates,
    messages: [],
    turn: 3,
    grantedTurns: 0,
    usage: {
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      costUsd: 0,
    },
    startedAt: 0,
    now: 0,
    toolStats: {},
    model: {
      provider: 'p',
      modelId: 'm',
      capabilities: { toolCalls: true, reasoning: false, logprobs: false },
    },
  };
}

const isEnding = (interrupt: Interrupt) =>
  interrupt.kind === 'stop' ||
  interrupt.kind === 'answer-now' ||
  (interrupt.kind === 'retraction' && interrupt.scope === 'task');

describe('interrupt merging, under random batches', () => {
  it('delivers the updates before the first ending in order in one message, ends as that ending, grants within the cap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(interruptArbitrary, { minLength: 1, maxLength: 6 }), { maxLength: 5 }),
        fc.nat(4),
        fc.nat(10),
        (batches, perRevision, maxTotal) => {
          const policy = createInterruptionPolicy({ grantTurns: { perRevision, maxTotal } });
          const applied: Interrupt[] = [];
          let granted = 0;
          batches.forEach((batch, batchIndex) => {
            const interrupts: Interrupt[] = batch.map((input, index) => ({
              ...input,
              ...(input.scope === undefined ? {} : { scope: input.scope }),
              id: `${batchIndex}-${index}`,
              urgency: 'now',
              receivedAt: batchIndex,
              turn: batchIndex,
            }));
            applied.push(...interrupts);
            const directives = policy.onInterrupts?.(viewOf(applied), interrupts) ?? [];
            const firstEnding = interrupts.findIndex(isEnding);
            const delivered = (firstEnding === -1 ? interrupts : interrupts.slice(0, firstEnding))
              .filter((interrupt) => !isEnding(interrupt))
              .map((interrupt) => interrupt.text);
            const injects = directives.filter(
              (directive): directive is Extract<Directive, { type: 'inject' }> =>
                directive.type === 'inject',
            );
            expect(injects).toHaveLength(delivered.length > 0 ? 1 : 0);
            const content = injects[0]?.content ?? '';
            if (delivered.length > 0) {
              expect(content.startsWith(defaultInterruptionTemplates.header)).toBe(true);
              const body = content.slice(0, content.indexOf('The task as it now stands:'));
              let from = 0;
              for (const text of delivered) {
                const at = body.indexOf(`: ${text}`, from);
                expect(at).toBeGreaterThanOrEqual(from);
                from = at + 1;
              }
            }
            const last = directives.at(-1);
            const ending = interrupts[firstEnding];
            if (ending === undefined) {
              expect(last?.type).toBe('emit');
              for (const directive of directives)
                if (directive.type === 'grant-turns') granted += directive.turns;
            } else if (ending.kind === 'retraction') {
              expect(last?.type).toBe('cancel');
            } else {
              expect(last).toMatchObject({
                type: 'stop',
                finalAnswer: 'force',
                reason: ending.kind === 'stop' ? 'user-stop' : 'user-answer-now',
              });
            }
            expect(directives.filter((d) => d.type === 'stop' || d.type === 'cancel').length).toBe(
              ending === undefined ? 0 : 1,
            );
          });
          expect(granted).toBeLessThanOrEqual(maxTotal);
          const revisions = applied.filter((interrupt) => interrupt.kind === 'revision').length;
          expect(granted).toBeLessThanOrEqual(revisions * perRevision);
          const intent = toCurrentIntent('The task.', applied);
          expect(intent.updates.map((update) => update.id)).toEqual(
            applied.filter((interrupt) => !isEnding(interrupt)).map((interrupt) => interrupt.id),
          );
          const firstEnding = applied.find(isEnding);
          expect(intent.status).toBe(
            firstEnding === undefined
              ? 'active'
              : firstEnding.kind === 'retraction'
                ? 'dropped'
                : 'stopped',
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
