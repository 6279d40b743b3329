import { describe, expect, it } from 'vitest';
import { chooseAnthropicCacheTtl } from './anthropic-cache-ttl.js';
import { fromSortedSamples } from './duration-distribution.js';

// $1 per token, a read at 0.25×: exact binary arithmetic. Half the pauses end within 5 minutes,
// all within an hour.
const prices = { inputUsdPerMTok: 1_000_000, write5m: 1.25, write1h: 2, read: 0.25 };
const pause = fromSortedSamples([1_000, 600_000], 'tool');
const choose = (promptTokens: number) =>
  chooseAnthropicCacheTtl({ promptTokens, uncachedTokens: 200, pause, remainingTurns: 4, prices });

describe('chooseAnthropicCacheTtl at the break-even', () => {
  it('keeps 5 minutes when both options cost the same', () => {
    // 5m: 200 × 1.25 + 300 × (0.5 × 0.25 + 0.5 × 1.25) = 250 + 225 = 475
    // 1h: 200 × 2 + 300 × 0.25 = 400 + 75 = 475
    expect(choose(300)).toEqual({
      ttl: '5m',
      ttlMs: 300_000,
      expectedUsd5m: 475,
      expectedUsd1h: 475,
      expectedSavingUsd: 0,
    });
  });

  it('takes 1 hour one token past the break-even, and 5 minutes one token before it', () => {
    // 301: 5m 250 + 225.75 = 475.75, 1h 400 + 75.25 = 475.25
    expect(choose(301)).toEqual({
      ttl: '1h',
      ttlMs: 3_600_000,
      expectedUsd5m: 475.75,
      expectedUsd1h: 475.25,
      expectedSavingUsd: 0.5,
    });
    // 299: 5m 250 + 224.25 = 474.25, 1h 400 + 74.75 = 474.75
    expect(choose(299)).toMatchObject({ ttl: '5m', ttlMs: 300_000, expectedSavingUsd: 0.5 });
  });
});
