import { describe, expect, it } from 'vitest';
import { costMicrosOf, costOf, findPriceProblem, type ModelPriceTable } from './model-price.js';

const advice = 'use a finite number of US dollars per million tokens ≥ 0.';

describe('findPriceProblem', () => {
  it('accepts whole, fractional and zero prices, with or without a cached price', () => {
    expect(findPriceProblem({})).toBeUndefined();
    expect(
      findPriceProblem({
        a: { inputPerMillion: 2, outputPerMillion: 8 },
        b: { inputPerMillion: 0, outputPerMillion: 0, cachedInputPerMillion: 0 },
        'openai/c': { inputPerMillion: 0.15, outputPerMillion: 0.6, cachedInputPerMillion: 0.075 },
      }),
    ).toBeUndefined();
  });

  it('names the model and the field of a negative, infinite or non-numeric price', () => {
    const cases: [unknown, string][] = [
      [-1, '-1'],
      [-0.01, '-0.01'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [Number.NEGATIVE_INFINITY, '-Infinity'],
      [Number.NaN, 'NaN'],
      ['2', '2'],
      [null, 'null'],
    ];
    for (const field of ['inputPerMillion', 'outputPerMillion', 'cachedInputPerMillion']) {
      for (const [value, shown] of cases) {
        const prices = {
          m: { inputPerMillion: 1, outputPerMillion: 1, [field]: value },
        } as unknown as ModelPriceTable;
        expect(findPriceProblem(prices)).toBe(`prices['m'].${field} is ${shown}; ${advice}`);
      }
    }
  });

  it('requires the input and output prices but not the cached one', () => {
    expect(findPriceProblem({ m: { outputPerMillion: 1 } } as unknown as ModelPriceTable)).toBe(
      `prices['m'].inputPerMillion is undefined; ${advice}`,
    );
    expect(findPriceProblem({ m: { inputPerMillion: 1 } } as unknown as ModelPriceTable)).toBe(
      `prices['m'].outputPerMillion is undefined; ${advice}`,
    );
    expect(findPriceProblem({ m: { inputPerMillion: 1, outputPerMillion: 1 } })).toBeUndefined();
  });

  it('reports a missing price entry as its first field, and the first problem in table order', () => {
    expect(findPriceProblem({ m: undefined } as unknown as ModelPriceTable)).toBe(
      `prices['m'].inputPerMillion is undefined; ${advice}`,
    );
    expect(findPriceProblem({ m: null } as unknown as ModelPriceTable)).toBe(
      `prices['m'].inputPerMillion is undefined; ${advice}`,
    );
    expect(
      findPriceProblem({
        good: { inputPerMillion: 1, outputPerMillion: 1 },
        first: { inputPerMillion: 1, outputPerMillion: -2 },
        second: { inputPerMillion: -3, outputPerMillion: 1 },
      }),
    ).toBe(`prices['first'].outputPerMillion is -2; ${advice}`);
  });
});

describe('costOf and costMicrosOf', () => {
  it('prices uncached, cached and completion tokens each at their price', () => {
    const price = { inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3 };
    // (1000 − 400) · 3 + 400 · 0.3 + 200 · 15 = 1800 + 120 + 3000 = 4920 micro-dollars.
    const usage = { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 200 };
    expect(costMicrosOf(usage, price)).toBe(4920);
    expect(costOf(usage, price)).toBeCloseTo(0.00492, 12);
    // Without a cached price, cached tokens cost the input price: 1000 · 3 + 200 · 15 = 6000.
    expect(costMicrosOf(usage, { inputPerMillion: 3, outputPerMillion: 15 })).toBe(6000);
    // More cached than input tokens counts all input as cached: 1000 · 0.3 + 200 · 15 = 3300.
    expect(costMicrosOf({ ...usage, cachedInputTokens: 5000 }, price)).toBe(3300);
  });

  it('charges whole micro-dollars, rounded up, without floating-point noise', () => {
    // 100 · 1.1 = 110 exactly, although 100 × 1.1 in floating point is 110.00000000000001.
    expect(
      costMicrosOf(
        { inputTokens: 100, cachedInputTokens: 0, outputTokens: 0 },
        { inputPerMillion: 1.1, outputPerMillion: 0 },
      ),
    ).toBe(110);
    // 7 · 0.15 = 1.05, rounded up to 2.
    expect(
      costMicrosOf(
        { inputTokens: 7, cachedInputTokens: 0, outputTokens: 0 },
        { inputPerMillion: 0.15, outputPerMillion: 0 },
      ),
    ).toBe(2);
  });
});
