import { describe, expect, it } from 'vitest';
import { fromSortedSamples } from './duration-distribution.js';
import { chooseKeepWarmRefresh } from './keep-warm-refresh.js';

// pauses 60 s, 400 s, 500 s and 2 000 s: with a 5-minute TTL a refresh at 270 s would be sent
// 3 times in 4 and rescue 2 in 4
const pause = fromSortedSamples([60_000, 400_000, 500_000, 2_000_000], 'fixed');
const base = { ttlMs: 300_000, pause, remainingTurns: 5, prices: { inputUsdPerMTok: 3 } };
const nothing = {
  refresh: false,
  refreshAtMs: 270_000,
  sendProbability: 0,
  rescueProbability: 0,
  expectedCostUsd: 0,
  expectedSavingUsd: 0,
};

describe('chooseKeepWarmRefresh with nothing to keep', () => {
  it('sends nothing for an empty or negative prefix', () => {
    expect(chooseKeepWarmRefresh({ ...base, promptTokens: 0 })).toEqual(nothing);
    expect(chooseKeepWarmRefresh({ ...base, promptTokens: -100 })).toEqual(nothing);
  });

  it('sends nothing with no turn or a negative count of turns to come', () => {
    expect(chooseKeepWarmRefresh({ ...base, promptTokens: 1_000, remainingTurns: 0 })).toEqual(
      nothing,
    );
    expect(chooseKeepWarmRefresh({ ...base, promptTokens: 1_000, remainingTurns: -1 })).toEqual(
      nothing,
    );
  });

  it('weighs a prefix of one token', () => {
    // $3 per million: one token is worth $0.000003
    const choice = chooseKeepWarmRefresh({ ...base, promptTokens: 1 });
    expect(choice.sendProbability).toBe(0.75);
    expect(choice.rescueProbability).toBe(0.5);
    expect(choice.expectedCostUsd).toBeCloseTo(0.75 * 0.000003 * 0.1, 15);
    expect(choice.expectedSavingUsd).toBeCloseTo(0.5 * 0.000003 * 1.15, 15);
    expect(choice.refresh).toBe(true);
  });
});
