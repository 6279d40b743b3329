import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { CalibrationError } from './calibration-error.js';

describe('CalibrationError', () => {
  it('is named CalibrationError, with code calibration, its message, samples and δ', () => {
    const error = new CalibrationError('Too few samples.', { samples: 3, delta: 0.1 });
    expect(error).toMatchObject({
      name: 'CalibrationError',
      code: 'calibration',
      message: 'Too few samples.',
      samples: 3,
      delta: 0.1,
    });
    expect(String(error)).toBe('CalibrationError: Too few samples.');
  });

  it('recognises only Reins errors with its code', () => {
    expect(CalibrationError.isInstance(new CalibrationError('x', { samples: 1, delta: 0.5 }))).toBe(
      true,
    );
    expect(CalibrationError.isInstance(new InvalidOptionsError('delta', 'Bad δ.'))).toBe(false);
    expect(CalibrationError.isInstance(new Error('calibration'))).toBe(false);
    // A look-alike that is not a Reins error.
    expect(CalibrationError.isInstance({ code: 'calibration', message: 'x' })).toBe(false);
    expect(CalibrationError.isInstance(undefined)).toBe(false);
  });
});
