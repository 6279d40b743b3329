import { describe, expect, it } from 'vitest';
import { toReuseProbability } from './reuse-probability.js';

describe('toReuseProbability', () => {
  it('is R / (R + 1) for R turns to come', () => {
    expect(toReuseProbability(1)).toBe(0.5);
    expect(toReuseProbability(3)).toBe(0.75);
    expect(toReuseProbability(0.25)).toBe(0.2); // 0.25 / 1.25
  });

  it('is 0 with no turn or a negative count of turns to come', () => {
    expect(toReuseProbability(0)).toBe(0);
    expect(toReuseProbability(-0.5)).toBe(0); // R / (R + 1) would be −1
    expect(toReuseProbability(-1)).toBe(0); // R / (R + 1) would be −∞
    expect(toReuseProbability(-3)).toBe(0); // R / (R + 1) would be 1.5
  });
});
