import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calibrateConformal,
  isConformalExit,
  type ProbeSample,
  trainLogisticProbe,
} from './index.js';

/** mulberry32: a small seeded generator, so each seed gives the same data. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Exchangeable cue samples: features i.i.d. normal, "answering now is correct" drawn from a
 * logistic model the probe does not know (one feature is noise, one is squared).
 */
function drawSamples(random: () => number, count: number): ProbeSample[] {
  return Array.from({ length: count }, () => {
    const features = [gaussian(random), gaussian(random), gaussian(random)];
    const [a, b] = features as [number, number, number];
    const logit = 1.8 * a - 0.8 * b + 0.4 * a * a - 0.2;
    return { features, label: random() < 1 / (1 + Math.exp(-logit)) };
  });
}

interface Trial {
  readonly prematureRate: number;
  readonly exitRate: number;
}

function runTrial(seed: number, delta: number): Trial {
  const random = createRandom(seed);
  const probe = trainLogisticProbe(drawSamples(random, 300), { epochs: 150 });
  const calibration = drawSamples(random, 400);
  const { threshold } = calibrateConformal({
    probabilities: calibration.map((sample) => probe.predict(sample.features)),
    labels: calibration.map((sample) => sample.label),
    delta,
  });
  const test = drawSamples(random, 2000);
  let premature = 0;
  let exits = 0;
  for (const sample of test) {
    if (!isConformalExit(probe.predict(sample.features), threshold)) continue;
    exits++;
    if (!sample.label) premature++;
  }
  return { prematureRate: premature / test.length, exitRate: exits / test.length };
}

describe('conformal guarantee on exchangeable data', () => {
  it('keeps premature exits within δ plus sampling tolerance, for any seed and δ', () => {
    const trials: { delta: number; trial: Trial }[] = [];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom(0.05, 0.1, 0.2),
        (seed, delta) => {
          const trial = runTrial(seed, delta);
          trials.push({ delta, trial });
          // The rate given one calibration set varies around ≤ δ with a standard deviation of
          // about √(δ(1−δ)/n) (n = 400) plus the test set's √(δ(1−δ)/2000): 4σ is the tolerance.
          const sigma = Math.sqrt((delta * (1 - delta)) / 400 + (delta * (1 - delta)) / 2000);
          expect(trial.prematureRate).toBeLessThanOrEqual(delta + 4 * sigma);
        },
      ),
      { numRuns: 40, seed: 20_250_611 },
    );
    // Averaged over seeds, the rate is at most δ (the guarantee is marginal over calibration
    // sets); and the exit is not vacuous: it fires on a sizeable share of cues.
    for (const delta of [0.05, 0.1, 0.2]) {
      const group = trials.filter((entry) => entry.delta === delta);
      if (group.length === 0) continue;
      const mean = group.reduce((sum, entry) => sum + entry.trial.prematureRate, 0) / group.length;
      expect(mean).toBeLessThanOrEqual(delta + 0.02);
      const exitRate = group.reduce((sum, entry) => sum + entry.trial.exitRate, 0) / group.length;
      expect(exitRate).toBeGreaterThan(0.1);
    }
  });
});
