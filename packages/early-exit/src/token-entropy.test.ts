import type { TokenLogprob } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { tokenEntropy } from './token-entropy.js';

/** A token whose top alternatives have these log-probabilities. */
function withTop(logprobs: readonly number[]): TokenLogprob {
  return {
    token: 'a',
    logprob: logprobs[0] ?? 0,
    topLogprobs: logprobs.map((logprob, index) => ({ token: `t${index}`, logprob })),
  };
}

describe('tokenEntropy', () => {
  it('is NaN for an empty list of top alternatives', () => {
    expect(tokenEntropy(withTop([]))).toBeNaN();
  });

  it('skips alternatives with log-probability −Infinity (probability 0)', () => {
    const half = Math.log(0.5);
    expect(tokenEntropy(withTop([half, Number.NEGATIVE_INFINITY, half]))).toBe(Math.LN2);
    // Only −Infinity listed: nothing listed has mass, the left-out bucket holds all of it.
    expect(tokenEntropy(withTop([Number.NEGATIVE_INFINITY]))).toBe(0);
  });

  it('counts no left-out bucket when the listed probabilities sum to exactly 1', () => {
    // 0.5, 0.25, 0.25: H = 0.5 ln 2 + 2 · 0.25 ln 4 = 1.5 ln 2, with rest 0 (0 · ln 0 is not NaN).
    const entropy = tokenEntropy(withTop([Math.log(0.5), Math.log(0.25), Math.log(0.25)]));
    expect(entropy).toBeCloseTo(1.5 * Math.LN2, 15);
  });

  it('drops a left-out mass of 2^−40 (below 1e−12) and counts one of 2^−39 (above it)', () => {
    const listed = (small: number) => {
      const probability = Math.exp(Math.log(small));
      return -0.5 * Math.log(0.5) - probability * Math.log(probability);
    };
    // 1 − (0.5 + (0.5 − 2^−40)) = 2^−40 ≈ 9.09e−13 exactly.
    const below = 0.5 - 2 ** -40;
    expect(tokenEntropy(withTop([Math.log(0.5), Math.log(below)]))).toBe(listed(below));
    // 1 − (0.5 + (0.5 − 2^−39)) = 2^−39 ≈ 1.82e−12: adds −r ln r ≈ 4.9e−11.
    const above = 0.5 - 2 ** -39;
    const rest = 2 ** -39;
    expect(tokenEntropy(withTop([Math.log(0.5), Math.log(above)]))).toBe(
      listed(above) - rest * Math.log(rest),
    );
    expect(-rest * Math.log(rest)).toBeGreaterThan(4e-11);
  });
});
