import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionTurn, replay } from '../test/replay.js';
import { costOf, createCostBudget } from './cost-budget.js';
import { createCostLedger } from './cost-ledger.js';

describe('createCostLedger', () => {
  it('never lets spent + reserved cross the cap when calls cost at most their reservation', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 3, noNaN: true }),
            fc.double({ min: 0, max: 1, noNaN: true }),
          ),
          { maxLength: 40 },
        ),
        (capUsd, calls) => {
          const ledger = createCostLedger({ capUsd });
          const open: [string, number, number][] = [];
          calls.forEach(([worst, share], index) => {
            if (ledger.reserve(`c${index}`, worst)) open.push([`c${index}`, worst, share]);
            expect(ledger.spentUsd + ledger.reservedUsd).toBeLessThanOrEqual(capUsd + 1e-9);
            // Settle the oldest call in flight every other step (parallel calls overlap).
            if (index % 2 === 1 && open.length > 0) {
              const [key, reserved, fraction] = open.shift() as [string, number, number];
              ledger.settle(key, reserved * fraction);
            }
          });
          for (const [key, reserved, fraction] of open) ledger.settle(key, reserved * fraction);
          expect(ledger.spentUsd).toBeLessThanOrEqual(capUsd + 1e-9);
          expect(ledger.reservedUsd).toBeCloseTo(0, 9);
        },
      ),
    );
  });
});

describe('createCostBudget', () => {
  const prices = {
    'scripted-1': { inputPerMillion: 3, cachedInputPerMillion: 0.3, outputPerMillion: 15 },
  };

  it('prices usage with cached tokens at their price', () => {
    expect(
      costOf(
        { inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 100_000 },
        prices['scripted-1'],
      ),
    ).toBeCloseTo(1.5 + 0.15 + 1.5);
  });

  it('holds two runs sharing a ledger under one cap', () => {
    const ledger = createCostLedger({ capUsd: 0.05 });
    const budget = createCostBudget({ ledger, prices, maxTokensPerCall: 1000 });
    const records = Array.from({ length: 30 }, (_, index) => ({
      ...actionTurn(index + 1, `step ${index}`, 'x'.repeat(400)),
      usage: { inputTokens: 800 + index * 150, outputTokens: 200 },
    }));
    const first = budget.open({ runId: 'a', task: 't' });
    const second = budget.open({ runId: 'b', task: 't' });
    const a = replay(
      budget,
      records,
      { runId: 'a' },
      { session: first, view: replay(budget, [], { runId: 'a' }).view },
    );
    const b = replay(
      budget,
      records,
      { runId: 'b' },
      { session: second, view: replay(budget, [], { runId: 'b' }).view },
    );
    expect(a.stop?.reason).toBe('cost-budget');
    expect(b.stop?.reason).toBe('cost-budget');
    expect(ledger.spentUsd).toBeLessThanOrEqual(0.05);
    expect(ledger.reservedUsd).toBe(0);
  });

  it('refuses every call for a model missing from the price table, naming it', () => {
    const budget = createCostBudget({ capUsd: 10, prices, maxTokensPerCall: 100 });
    const result = replay(budget, [actionTurn(1, 'ls', 'a')], { modelId: 'mystery-7b' });
    expect(result.stoppedAt).toBe(0);
    expect(result.stop?.message).toMatch(
      /no price for model 'mystery-7b'.*Add it to createCostBudget\(\{ prices \}\)/,
    );
  });

  it('needs a cap, prices and max tokens', () => {
    expect(() => createCostBudget({ prices, maxTokensPerCall: 100 })).toThrow(/capUsd/);
    expect(() => createCostBudget({ capUsd: 1, prices, maxTokensPerCall: 0 })).toThrow(
      /maxTokensPerCall is 0/,
    );
  });
});
