/**
 * Realistic fast-check generators for the controller's property tests. `fc.double({ min, max })`
 * spreads its draws over bit patterns, so most of them land next to zero; these draw whole
 * thousandths uniformly and scale them.
 */
import fc from 'fast-check';

/** A share in [0, 1] in steps of 0.001, uniform over its 1,001 values. */
export const share = (): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max: 1000 }).map((thousandths) => thousandths / 1000);
