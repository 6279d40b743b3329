import { InvalidOptionsError, ReinsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import {
  calibrateConformal,
  conformalPredictionSet,
  isConformalExit,
} from './conformal-calibration.js';
import { CalibrationError } from './errors/calibration-error.js';

describe('conformal prediction sets at their boundaries', () => {
  // 0.75 and 0.25 are exact in binary: 1 − 0.75 equals 0.25 exactly.
  it('includes "correct" when 1 − p equals q, and "incorrect" when p equals q', () => {
    expect(conformalPredictionSet(0.75, 0.25)).toEqual({ correct: true, incorrect: false });
    expect(conformalPredictionSet(0.25, 0.25)).toEqual({ correct: false, incorrect: true });
    expect(conformalPredictionSet(0.5, 0.5)).toEqual({ correct: true, incorrect: true });
    expect(conformalPredictionSet(0.5, 0.25)).toEqual({ correct: false, incorrect: false });
  });

  it('exits only when the set is exactly {correct}', () => {
    expect(isConformalExit(0.75, 0.25)).toBe(true);
    expect(isConformalExit(0.5, 0.5)).toBe(false);
    expect(isConformalExit(0.7, 0.25)).toBe(false);
  });
});

describe('calibrateConformal refusals', () => {
  it.each([0, 1, -0.1, 1.5, Number.NaN])('refuses δ = %s with a typed error', (delta) => {
    let error: unknown;
    try {
      calibrateConformal({ probabilities: [0.9], labels: [true], delta });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'delta',
      message: `delta must be in (0, 1); received ${delta}. Pass the tolerated rate of premature exits, e.g. 0.1.`,
    });
  });

  it('says how many samples δ needs, as a CalibrationError carrying the numbers', () => {
    let error: unknown;
    try {
      calibrateConformal({ probabilities: [0.9, 0.8], labels: [true, false], delta: 0.1 });
    } catch (caught) {
      error = caught;
    }
    expect(CalibrationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'CalibrationError',
      code: 'calibration',
      samples: 2,
      delta: 0.1,
    });
    expect(CalibrationError.isInstance(new InvalidOptionsError('delta', 'x'))).toBe(false);
    expect(CalibrationError.isInstance({ code: 'calibration' })).toBe(false);
    expect(CalibrationError.isInstance(new Error('calibration'))).toBe(false);
    expect(ReinsError.isInstance(error)).toBe(true);
  });
});
