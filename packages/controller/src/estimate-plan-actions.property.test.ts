import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choosePlanAction, estimatePlanActions, type PlanState } from './estimate-plan-actions.js';
import type { PlanOutcome } from './plan-action.js';
import { createRandom } from './seeded-random.js';

const outcome = fc.record({
  action: fc.constantFrom('a', 'b', 'c'),
  costUsd: fc.integer({ min: 0, max: 2000 }).map((cents) => cents / 100),
  seconds: fc.integer({ min: 0, max: 3600 }),
  turns: fc.integer({ min: 1, max: 150 }),
  succeeded: fc.boolean(),
  kind: fc.constantFrom('x', 'y'),
}) satisfies fc.Arbitrary<PlanOutcome>;

const state = fc.record({
  capUsd: fc.integer({ min: 1, max: 3000 }).map((cents) => cents / 100),
  deadlineSeconds: fc.integer({ min: 1, max: 3600 }),
  spentUsd: fc.integer({ min: 0, max: 1000 }).map((cents) => cents / 100),
  elapsedSeconds: fc.integer({ min: 0, max: 1200 }),
  turnsDone: fc.integer({ min: 0, max: 60 }),
  kind: fc.constantFrom('x', 'y'),
}) satisfies fc.Arbitrary<PlanState>;

/** Fixed, so that a failure is reproducible and every run checks the same cases. */
const runs = { seed: 20261204, numRuns: 300 };

const actions = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
const estimate = (history: PlanOutcome[], at: PlanState, seed: number) =>
  estimatePlanActions(history, actions, at, {
    random: createRandom(seed),
    samples: 64,
    minKindSamples: 3,
  });

describe('estimatePlanActions over any history and state', () => {
  it('gives probabilities with P(on time) ≤ P(success), and an empty pool only for impossible actions', () => {
    fc.assert(
      fc.property(
        fc.array(outcome, { minLength: 1, maxLength: 40 }),
        state,
        fc.nat(),
        (history, at, seed) => {
          for (const result of estimate(history, at, seed)) {
            expect(result.pOnTime).toBeGreaterThanOrEqual(0);
            expect(result.pOnTime).toBeLessThanOrEqual(result.pSuccess);
            expect(result.pSuccess).toBeLessThanOrEqual(1);
            if (result.pool === 0) expect(result.pOnTime).toBe(0);
            else expect(result.meanRemainingUsd).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      runs,
    );
  });

  it('never lowers a chance when the cap or the deadline grows, nor raises it as money or time is spent', () => {
    fc.assert(
      fc.property(
        fc.array(outcome, { minLength: 1, maxLength: 40 }),
        state,
        fc.integer({ min: 1, max: 1000 }).map((cents) => cents / 100),
        fc.nat(),
        (history, at, more, seed) => {
          const base = estimate(history, at, seed).map((result) => result.pOnTime);
          const richer = estimate(history, { ...at, capUsd: at.capUsd + more }, seed);
          const later = estimate(
            history,
            { ...at, deadlineSeconds: at.deadlineSeconds + more },
            seed,
          );
          const spent = estimate(history, { ...at, spentUsd: at.spentUsd + more }, seed);
          const elapsed = estimate(
            history,
            { ...at, elapsedSeconds: at.elapsedSeconds + more },
            seed,
          );
          base.forEach((chance, index) => {
            expect(richer[index]?.pOnTime).toBeGreaterThanOrEqual(chance);
            expect(later[index]?.pOnTime).toBeGreaterThanOrEqual(chance);
            expect(spent[index]?.pOnTime).toBeLessThanOrEqual(chance);
            expect(elapsed[index]?.pOnTime).toBeLessThanOrEqual(chance);
          });
        },
      ),
      runs,
    );
  });

  it('gives no chance once the money or the time is gone', () => {
    fc.assert(
      fc.property(
        fc.array(outcome, { minLength: 1, maxLength: 40 }),
        state,
        fc.nat(),
        (history, at, seed) => {
          const broke = estimate(history, { ...at, spentUsd: at.capUsd + 0.01 }, seed);
          const late = estimate(history, { ...at, elapsedSeconds: at.deadlineSeconds + 1 }, seed);
          for (const result of [...broke, ...late]) expect(result.pOnTime).toBe(0);
        },
      ),
      runs,
    );
  });

  it('chooses an action whose chance no other action beats', () => {
    fc.assert(
      fc.property(
        fc.array(outcome, { minLength: 1, maxLength: 40 }),
        state,
        fc.nat(),
        (history, at, seed) => {
          const estimates = estimate(history, at, seed);
          const chosen = choosePlanAction(estimates);
          expect(Math.max(...estimates.map((result) => result.pOnTime))).toBe(chosen.pOnTime);
        },
      ),
      runs,
    );
  });
});
