import { describe, expect, it } from 'vitest';
import { fromSortedSamples } from './duration-distribution.js';
import { chooseKeepWarmRefresh } from './keep-warm-refresh.js';

const prices = { inputUsdPerMTok: 3 };
// 100 000 tokens at $3/MTok: the prefix is worth $0.30 at the base price
const base = { ttlMs: 300_000, promptTokens: 100_000, remainingTurns: 5, prices };

describe('chooseKeepWarmRefresh on hand-computed cases', () => {
  it('refreshes 30 s before expiry when pauses of 5–9.5 minutes are likely', () => {
    const pause = fromSortedSamples([60_000, 400_000, 500_000, 2_000_000], 'fixed');
    const choice = chooseKeepWarmRefresh({ ...base, pause });
    // sent if the pause lasts past 270 s: 3 of 4; rescues pauses in (300 s, 570 s]: 2 of 4
    expect(choice.refreshAtMs).toBe(270_000);
    expect(choice.sendProbability).toBe(0.75);
    expect(choice.rescueProbability).toBe(0.5);
    // cost 0.75 × $0.30 × 0.1 = $0.0225; saving 0.5 × $0.30 × (1.25 − 0.1) = $0.1725
    expect(choice.expectedCostUsd).toBeCloseTo(0.0225, 10);
    expect(choice.expectedSavingUsd).toBeCloseTo(0.1725, 10);
    expect(choice.refresh).toBe(true);
  });

  it('does not refresh when the pauses end before expiry: nothing is sent, nothing saved', () => {
    const pause = fromSortedSamples([1_000, 2_000, 3_000, 4_000], 'fixed');
    expect(chooseKeepWarmRefresh({ ...base, pause })).toMatchObject({
      refresh: false,
      sendProbability: 0,
      expectedCostUsd: 0,
      expectedSavingUsd: 0,
    });
  });

  it('does not refresh when the pauses outlast even the refreshed TTL', () => {
    const pause = fromSortedSamples([3_600_000, 7_200_000], 'fixed');
    const choice = chooseKeepWarmRefresh({ ...base, pause });
    // always sent ($0.03), never rescues
    expect(choice.expectedCostUsd).toBeCloseTo(0.03, 10);
    expect(choice.expectedSavingUsd).toBe(0);
    expect(choice.refresh).toBe(false);
  });

  it('weighs the break-even: one rescue in ten pays for ten sends only when 1.15 > 1', () => {
    // 10 pauses all past 270 s, one in (300 s, 570 s]: cost 1 × 0.03, saving 0.1 × 0.345
    const samples = [400_000, ...Array.from({ length: 9 }, () => 5_000_000)];
    const pause = fromSortedSamples(samples, 'fixed');
    const choice = chooseKeepWarmRefresh({ ...base, pause });
    expect(choice.expectedCostUsd).toBeCloseTo(0.03, 10);
    expect(choice.expectedSavingUsd).toBeCloseTo(0.0345, 10);
    expect(choice.refresh).toBe(true);
    // with a dearer read (0.2×) a refresh costs $0.06 and saves 0.1 × 0.3 × 1.05 = $0.0315
    const dear = chooseKeepWarmRefresh({ ...base, pause, prices: { ...prices, read: 0.2 } });
    expect(dear.expectedSavingUsd).toBeCloseTo(0.0315, 10);
    expect(dear.refresh).toBe(false);
  });

  it('never refreshes for a last step, and honours the margin', () => {
    const pause = fromSortedSamples([400_000], 'fixed');
    expect(chooseKeepWarmRefresh({ ...base, pause, remainingTurns: 0 }).refresh).toBe(false);
    const early = chooseKeepWarmRefresh({ ...base, pause, marginMs: 120_000 });
    expect(early.refreshAtMs).toBe(180_000);
    expect(early.refresh).toBe(true);
  });
});
