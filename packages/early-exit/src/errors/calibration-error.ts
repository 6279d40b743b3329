import { ReinsError } from '@reins/core';

const code = 'calibration';

/**
 * A conformal calibration cannot give the requested guarantee: too few calibration samples for
 * the chosen δ, or samples that do not fit together (lengths differ, probabilities outside
 * [0, 1]). The message names the numbers and the fix.
 *
 * @example
 * ```ts
 * try { calibrateConformal({ probabilities: [0.9], labels: [true], delta: 0.1 }); } catch (error) {
 *   if (CalibrationError.isInstance(error)) console.error(error.samples, error.delta);
 * }
 * ```
 */
export class CalibrationError extends ReinsError {
  /** Calibration samples received. */
  readonly samples: number;
  /** The δ asked for. */
  readonly delta: number;

  /**
   * @param message - what is wrong and how to fix it.
   * @param fields - the sample count and δ.
   */
  constructor(message: string, fields: { samples: number; delta: number }) {
    super(code, message);
    this.name = 'CalibrationError';
    this.samples = fields.samples;
    this.delta = fields.delta;
  }

  /** Whether `value` is a {@link CalibrationError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is CalibrationError {
    return ReinsError.isInstance(value) && value.code === code;
  }
}
