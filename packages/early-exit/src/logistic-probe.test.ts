import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../scripts/thrown-by.js';
import { createLogisticProbe, sigmoid, trainLogisticProbe } from './logistic-probe.js';

/**
 * Feature 0 is 0, 0, 4, 4 (mean 2, population deviation 2; standardised −1, −1, 1, 1) and
 * decides the label; feature 1 is the constant 5 (mean 5, deviation 0, so scale 1).
 */
const separable = [
  { features: [0, 5], label: false },
  { features: [0, 5], label: false },
  { features: [4, 5], label: true },
  { features: [4, 5], label: true },
];

describe('sigmoid', () => {
  it('is 1 for large positive z and e^z for large negative z, without overflow', () => {
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(40)).toBeCloseTo(1, 15);
    // e^−720 ≈ 2e−313 is a subnormal double: 1 / (1 + e^720) would give 0.
    expect(sigmoid(-720)).toBe(Math.exp(-720));
    expect(sigmoid(-720)).toBeGreaterThan(0);
  });

  it('satisfies σ(z) + σ(−z) = 1 on both sides of 0', () => {
    for (const z of [0.25, 1, 3.5, 12]) expect(sigmoid(z) + sigmoid(-z)).toBeCloseTo(1, 15);
    expect(sigmoid(Math.log(3))).toBeCloseTo(0.75, 15);
    expect(sigmoid(-Math.log(3))).toBeCloseTo(0.25, 15);
  });
});

describe('createLogisticProbe', () => {
  it('returns the fields it was given, with mean 0 and scale 1 by default', () => {
    const probe = createLogisticProbe({ weights: [2, -1], bias: 0.5 });
    expect([probe.weights, probe.bias, probe.mean, probe.scale]).toEqual([
      [2, -1],
      0.5,
      [0, 0],
      [1, 1],
    ]);
    const saved = createLogisticProbe({ weights: [3], bias: 0, mean: [1], scale: [4] });
    expect([saved.weights, saved.mean, saved.scale]).toEqual([[3], [1], [4]]);
  });

  it('refuses scales that do not match the weights even when the means do', () => {
    const error = thrownBy(() =>
      createLogisticProbe({ weights: [1, 2], bias: 0, mean: [0, 0], scale: [1] }),
    );
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as Error).message).toContain('received 2 and 1');
  });

  it('leaves a feature unscaled when its saved scale is 0 or negative', () => {
    // z = 1 · (3 − 1) / 1 = 2 in both cases.
    for (const scale of [0, -2]) {
      const probe = createLogisticProbe({ weights: [1], bias: 0, mean: [1], scale: [scale] });
      expect(probe.predict([3])).toBeCloseTo(sigmoid(2), 15);
    }
  });
});

describe('trainLogisticProbe', () => {
  it('standardises by the mean and population deviation, with scale 1 for a constant feature', () => {
    const probe = trainLogisticProbe(separable);
    expect(probe.mean).toEqual([2, 5]);
    expect(probe.scale).toEqual([2, 1]);
  });

  it('keeps scale 1 for a deviation of exactly 1e-12 and uses one just above it', () => {
    // Values 0 and 2e−12: mean 1e−12, deviation exactly 1e−12 (not above the cut-off).
    const atCutoff = trainLogisticProbe([
      { features: [0], label: false },
      { features: [2e-12], label: true },
    ]);
    expect(atCutoff.mean).toEqual([1e-12]);
    expect(atCutoff.scale).toEqual([1]);
    const above = trainLogisticProbe([
      { features: [0], label: false },
      { features: [4e-12], label: true },
    ]);
    expect(above.scale).toEqual([2e-12]);
  });

  it('takes one gradient step from zero weights as computed by hand', () => {
    // σ(0) = 0.5, errors 0.5, 0.5, −0.5, −0.5 on standardised x = −1, −1, 1, 1:
    // gradient −2, w = −0.5 · (−2 / 4) = 0.25; the bias gradient is 0; feature 1 is 0 throughout.
    const probe = trainLogisticProbe(separable, { epochs: 1, learningRate: 0.5, l2: 0 });
    expect(probe.weights).toEqual([0.25, 0]);
    expect(probe.bias).toBe(0);
    const untrained = trainLogisticProbe(separable, { epochs: 0 });
    expect([untrained.weights, untrained.bias]).toEqual([[0, 0], 0]);
  });

  it('takes a second step from the first weights, with the L2 penalty on the weight', () => {
    // Epoch 2: z = ∓0.25, errors σ(−0.25) = 1 − s for the false rows and s − 1 for the true
    // rows (s = σ(0.25)): gradient −4(1 − s); w = 0.25 − 0.5 · (−(1 − s) + 0.5 · 0.25).
    const s = 1 / (1 + Math.exp(-0.25));
    const probe = trainLogisticProbe(separable, { epochs: 2, learningRate: 0.5, l2: 0.5 });
    expect(probe.weights[0]).toBeCloseTo(0.25 + 0.5 * (1 - s) - 0.0625, 14);
    expect(probe.weights[1]).toBe(0);
    // The bias errors cancel: σ(−0.25) + σ(0.25) − 1 = 0, up to rounding.
    expect(probe.bias).toBeCloseTo(0, 15);
  });

  it('moves the bias by the learning rate times the mean error', () => {
    // Three positives, constant feature: errors −0.5 each, bias = −1 · (−1.5) / 3 = 0.5.
    const probe = trainLogisticProbe(
      [1, 2, 3].map(() => ({ features: [7], label: true })),
      { epochs: 1, learningRate: 1, l2: 0 },
    );
    expect(probe.bias).toBe(0.5);
    expect(probe.weights).toEqual([0]);
  });

  it('orders the points of a tiny separable set by their label after the default training', () => {
    const probe = trainLogisticProbe(separable);
    expect(probe.predict([4, 5])).toBeGreaterThan(0.9);
    expect(probe.predict([0, 5])).toBeLessThan(0.1);
    expect(probe.predict([2, 5])).toBeCloseTo(0.5, 12);
  });

  it('refuses no samples, naming the field', () => {
    expect(thrownBy(() => trainLogisticProbe([]))).toMatchObject({ field: 'samples' });
  });
});
