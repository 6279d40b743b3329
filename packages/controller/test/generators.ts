/**
 * Realistic fast-check generators for the controller's property tests. `fc.double({ min, max })`
 * spreads its draws over bit patterns, so most of them land next to zero; these draw whole
 * units (cents, thousandths) uniformly and scale them.
 */
import fc from 'fast-check';

/** A share in [0, 1] in steps of 0.001, uniform over its 1,001 values. */
export const share = (): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max: 1000 }).map((thousandths) => thousandths / 1000);

/** An amount of US dollars in whole cents, from `minCents` to `maxCents`. */
export const usd = (minCents: number, maxCents: number): fc.Arbitrary<number> =>
  fc.integer({ min: minCents, max: maxCents }).map((cents) => cents / 100);
