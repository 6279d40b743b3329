import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownAs } from '../../../scripts/thrown-by.js';
import {
  computeStabilityIndex,
  type StabilityDimension,
  stabilityIndexOf,
  toDimensionSet,
} from './stability-index.js';
import { emptyStabilityWindow, type StabilityWindow } from './stability-window.js';

/** A window of `turns` turns with the given aggregates (everything else empty). */
function windowWith(turns: number, fields: Partial<StabilityWindow> = {}): StabilityWindow {
  return { ...emptyStabilityWindow(), turns, ...fields };
}

/** Answer bins with the given leading counts. */
function bins(...counts: number[]): number[] {
  const output = emptyStabilityWindow().output;
  counts.forEach((count, index) => {
    output[index] = count;
  });
  return output;
}

/** Jensen–Shannon divergence (base 2) of two distributions given as probabilities. */
function jensenShannon(p: readonly number[], q: readonly number[]): number {
  let divergence = 0;
  p.forEach((pi, index) => {
    const qi = q[index] as number;
    const m = (pi + qi) / 2;
    if (pi > 0) divergence += (pi / 2) * Math.log2(pi / m);
    if (qi > 0) divergence += (qi / 2) * Math.log2(qi / m);
  });
  return divergence;
}

const dimensionsOf = (baseline: StabilityWindow, window: StabilityWindow) =>
  computeStabilityIndex(baseline, window).dimensions;

describe('computeStabilityIndex: which dimensions two windows support', () => {
  const answered = { outputTurns: 1, output: bins(1) };
  const acted = { actions: 1, toolCounts: { read_file: 1 }, sequence: ['read_file'] };

  it.each([
    ['the baseline', 0, 1],
    ['the window', 1, 0],
  ])('no answer similarity when %s answered nothing', (_, baselineTurns, windowTurns) => {
    const baseline = windowWith(1, baselineTurns > 0 ? answered : {});
    const window = windowWith(1, windowTurns > 0 ? answered : {});
    expect(dimensionsOf(baseline, window)).not.toHaveProperty('outputSimilarity');
    expect(dimensionsOf(windowWith(1, answered), windowWith(1, answered))).toHaveProperty(
      'outputSimilarity',
      1,
    );
  });

  it.each([
    ['the baseline', false, true],
    ['the window', true, false],
  ])('no tool dimensions when %s made no call', (_, baselineActed, windowActed) => {
    const dimensions = dimensionsOf(
      windowWith(1, baselineActed ? acted : {}),
      windowWith(1, windowActed ? acted : {}),
    );
    for (const name of ['toolChoice', 'toolSequence', 'parameterDistribution'])
      expect(dimensions).not.toHaveProperty(name);
  });

  it.each([
    [1, 2],
    [2, 1],
  ])('no length, error or override dimensions with windows of %i and %i turns', (a, b) => {
    const dimensions = dimensionsOf(windowWith(a), windowWith(b));
    for (const name of ['responseLengthVariation', 'errorClustering', 'humanOverride'])
      expect(dimensions).not.toHaveProperty(name);
    expect(dimensionsOf(windowWith(2), windowWith(2))).toMatchObject({
      responseLengthVariation: 1,
      errorClustering: 1,
      humanOverride: 1,
    });
  });
});

describe('computeStabilityIndex: each dimension by hand', () => {
  it('answer similarity is the cosine of the bins, 0 against answers that left no bin', () => {
    const baseline = windowWith(2, { outputTurns: 2, output: bins(3, 4) });
    expect(
      dimensionsOf(baseline, windowWith(2, { outputTurns: 1, output: bins(4, 3) })),
    ).toHaveProperty('outputSimilarity', 24 / 25);
    // answered, but with an empty signature on one side
    const blank = windowWith(2, { outputTurns: 1 });
    expect(dimensionsOf(baseline, blank)).toHaveProperty('outputSimilarity', 0);
    expect(dimensionsOf(blank, baseline)).toHaveProperty('outputSimilarity', 0);
  });

  it('tool choice is 1 − the Jensen–Shannon divergence of the tools used', () => {
    const baseline = windowWith(2, {
      actions: 2,
      toolCounts: { read_file: 1, run_tests: 1 },
      sequence: ['read_file', 'run_tests'],
    });
    const window = windowWith(2, {
      actions: 1,
      toolCounts: { read_file: 1 },
      sequence: ['read_file'],
    });
    const divergence = jensenShannon([0.5, 0.5], [1, 0]);
    expect(divergence).toBeCloseTo(0.3113, 4);
    expect(dimensionsOf(baseline, window).toolChoice).toBeCloseTo(1 - divergence, 12);
    expect(dimensionsOf(window, baseline).toolChoice).toBeCloseTo(1 - divergence, 12);
    // as many calls on each side, to tools that do not overlap
    const other = windowWith(2, { actions: 2, toolCounts: { edit_file: 2 }, sequence: [] });
    expect(dimensionsOf(baseline, other).toolChoice).toBe(0);
  });

  it('tool choice is 0 when one side counted no tool, 1 when neither did', () => {
    const uncounted = windowWith(2, { actions: 1 });
    const counted = windowWith(2, { actions: 1, toolCounts: { read_file: 1 } });
    expect(dimensionsOf(uncounted, counted).toolChoice).toBe(0);
    expect(dimensionsOf(uncounted, uncounted).toolChoice).toBe(1);
  });

  it('parameter distribution compares the argument-length buckets', () => {
    const lengths = (bucket: number) => {
      const argumentLengths = emptyStabilityWindow().argumentLengths;
      argumentLengths[bucket] = 1;
      return windowWith(2, { actions: 1, toolCounts: { read_file: 1 }, argumentLengths });
    };
    expect(dimensionsOf(lengths(0), lengths(1)).parameterDistribution).toBe(0);
    expect(dimensionsOf(lengths(3), lengths(3)).parameterDistribution).toBe(1);
  });

  it('hand-off efficiency is the lower hand-off rate per turn over the higher', () => {
    const baseline = windowWith(2, { handoffs: 1 }); // 0.5 per turn
    const window = windowWith(4, { handoffs: 3 }); // 0.75 per turn
    expect(dimensionsOf(baseline, window).handoffEfficiency).toBeCloseTo(0.5 / 0.75, 12);
    expect(dimensionsOf(windowWith(2), windowWith(2))).not.toHaveProperty('handoffEfficiency');
  });

  it('error clustering is 1 − the rise in clustered errors per pair of consecutive turns', () => {
    const baseline = windowWith(5, { clusteredErrors: 0 });
    const window = windowWith(5, { clusteredErrors: 2 }); // 2 of 4 pairs
    expect(dimensionsOf(baseline, window).errorClustering).toBe(0.5);
    expect(dimensionsOf(window, baseline).errorClustering).toBe(1);
  });

  it('human override is 1 − the window’s overrides per turn', () => {
    expect(dimensionsOf(windowWith(4), windowWith(4, { overrides: 1 })).humanOverride).toBe(0.75);
  });

  it('response length variation is e^−|Δ coefficient of variation|', () => {
    // lengths 10 and 30: mean 20, standard deviation 10, coefficient 0.5
    const varied = windowWith(2, { lengthSum: 40, lengthSquares: 1000 });
    // lengths 20 and 20: coefficient 0
    const steady = windowWith(2, { lengthSum: 40, lengthSquares: 800 });
    expect(dimensionsOf(varied, steady).responseLengthVariation).toBeCloseTo(Math.exp(-0.5), 12);
    // silent turns: coefficient 0
    expect(dimensionsOf(varied, windowWith(2)).responseLengthVariation).toBeCloseTo(
      Math.exp(-0.5),
      12,
    );
  });
});

describe('stabilityIndexOf and toDimensionSet', () => {
  it('is 1 with no dimension', () => {
    expect(stabilityIndexOf({})).toBe(1);
  });

  it.each([
    ['confidenceCalibration', "'confidenceCalibration' is not measurable from a run"],
    ['toolchoice', "'toolchoice' is not a stability dimension"],
  ])('refuses %s, saying why and naming the valid dimensions', (name, why) => {
    const error = thrownAs(InvalidOptionsError, () => toDimensionSet([name as StabilityDimension]));
    expect(error.field).toBe('dimensions');
    expect(error.message).toContain(why);
    expect(error.message).toContain('Use some of: outputSimilarity, reasoningPath,');
  });
});
