import { emptyUsage } from '@reins/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionTurn, replay } from '../test/replay.js';
import { costOf, createCostBudget } from './cost-budget.js';
import { createCostLedger } from './cost-ledger.js';
import { MissingPriceError } from './errors/missing-price-error.js';

/** Money drawn as whole micro-dollars, from a tenth of a cent to the given dollars. */
const micros = (maxUsd: number) => fc.integer({ min: 1_000, max: maxUsd * 1_000_000 });

describe('createCostLedger', () => {
  it('never grants two $3 reservations under a $5 cap', () => {
    const ledger = createCostLedger({ capUsd: 5 });
    expect(ledger.reserve('a', 3_000_000)).toBe(true);
    expect(ledger.reserve('b', 3_000_000)).toBe(false);
    ledger.release('a');
    expect(ledger.reserve('b', 3_000_000)).toBe(true);
  });

  it('never lets granted reservations and charges cross the cap, in any interleaving', () => {
    fc.assert(
      fc.property(
        micros(10),
        fc.array(fc.tuple(micros(3), fc.integer({ min: 0, max: 100 }), fc.boolean()), {
          maxLength: 60,
        }),
        (capMicros, calls) => {
          const ledger = createCostLedger({ capUsd: capMicros / 1e6 });
          const open: [string, number, number][] = [];
          let granted = 0;
          calls.forEach(([worst, percent, settleNow], index) => {
            if (ledger.reserve(`c${index}`, worst)) {
              open.push([`c${index}`, worst, percent]);
              granted += worst;
            }
            expect(ledger.spentMicros + ledger.reservedMicros).toBeLessThanOrEqual(capMicros);
            // Calls in flight overlap: settle the oldest one now and then.
            if (settleNow && open.length > 0) {
              const [key, reserved, share] = open.shift() as [string, number, number];
              ledger.settle(key, Math.floor((reserved * share) / 100));
            }
          });
          for (const [key, reserved, share] of open)
            ledger.settle(key, Math.floor((reserved * share) / 100));
          expect(ledger.spentMicros).toBeLessThanOrEqual(capMicros);
          expect(ledger.spentMicros).toBeLessThanOrEqual(granted);
          expect(ledger.reservedMicros).toBe(0);
        },
      ),
    );
  });

  it('refuses a reservation that would cross the cap with those outstanding', () => {
    fc.assert(
      fc.property(
        micros(10),
        fc.array(micros(3), { minLength: 2, maxLength: 20 }),
        (cap, worst) => {
          const ledger = createCostLedger({ capUsd: cap / 1e6 });
          let outstanding = 0;
          worst.forEach((amount, index) => {
            const fits = outstanding + amount <= ledger.capMicros;
            expect(ledger.reserve(`c${index}`, amount)).toBe(fits);
            if (fits) outstanding += amount;
          });
        },
      ),
    );
  });

  it('rejects amounts that are not whole micro-dollars, naming the value', () => {
    const ledger = createCostLedger({ capUsd: 1 });
    expect(() => ledger.reserve('a', 0.5)).toThrow(/micros is 0.5; .*whole micro-dollars/);
    expect(() => ledger.settle('a', -1)).toThrow(/actualMicros is -1/);
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
      /no price for model 'mystery-7b'.*createCostBudget\(\{ prices: \{ 'mystery-7b'/,
    );
  });

  it('refuses to open a run of a model missing from the price table', () => {
    const budget = createCostBudget({ capUsd: 10, prices, maxTokensPerCall: 100 });
    expect(() =>
      budget.open({ runId: 'r', task: 't', model: { provider: 'p', modelId: 'mystery-7b' } }),
    ).toThrow(MissingPriceError);
  });

  it('rejects a price that is not a finite number ≥ 0, naming the model and field', () => {
    expect(() =>
      createCostBudget({
        capUsd: 1,
        prices: { m: { inputPerMillion: Number.NaN, outputPerMillion: 1 } },
        maxTokensPerCall: 100,
      }),
    ).toThrow(/prices\['m'\]\.inputPerMillion is NaN/);
  });

  it('charges a call whose usage is missing or zero its whole reservation, and says so', () => {
    for (const reportedUsage of [undefined, { ...emptyUsage }]) {
      const ledger = createCostLedger({ capUsd: 1 });
      const session = createCostBudget({ ledger, prices, maxTokensPerCall: 100 }).open({
        runId: 'r',
        task: 't',
      });
      const { view } = replay(createCostBudget({ capUsd: 1, prices, maxTokensPerCall: 100 }), []);
      session.beforeModel?.(view);
      const reserved = ledger.reservedMicros;
      expect(reserved).toBeGreaterThan(0);
      const directives = session.onModelCallEnd?.(view, {
        outcome: 'completed',
        forced: false,
        reportedUsage,
        outputBytes: 40,
        restarts: 0,
      });
      expect(ledger.reservedMicros).toBe(0);
      expect(ledger.spentMicros).toBe(reserved);
      expect(directives).toEqual([
        expect.objectContaining({
          type: 'emit',
          event: expect.objectContaining({ name: 'usage.missing' }),
        }),
      ]);
    }
  });

  it('charges a call cut short its prompt and streamed bytes, within its reservation', () => {
    const ledger = createCostLedger({ capUsd: 1 });
    const session = createCostBudget({ ledger, prices, maxTokensPerCall: 1000 }).open({
      runId: 'r',
      task: 't',
    });
    const { view } = replay(createCostBudget({ capUsd: 1, prices, maxTokensPerCall: 1000 }), []);
    session.beforeModel?.(view);
    const reserved = ledger.reservedMicros;
    session.onModelCallEnd?.(view, {
      outcome: 'left',
      forced: false,
      reportedUsage: undefined,
      outputBytes: 100,
      restarts: 0,
    });
    // 100 bytes streamed + 32 in flight at $15/M, instead of 1000 tokens.
    expect(reserved - ledger.spentMicros).toBe((1000 - 132) * 15);
    expect(ledger.reservedMicros).toBe(0);
  });

  it('needs a cap, prices and max tokens', () => {
    expect(() => createCostBudget({ prices, maxTokensPerCall: 100 })).toThrow(/capUsd/);
    expect(() => createCostBudget({ capUsd: 1, prices, maxTokensPerCall: 0 })).toThrow(
      /maxTokensPerCall is 0/,
    );
  });
});
