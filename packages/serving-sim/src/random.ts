/** A seeded source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * A small seeded generator (mulberry32), so that a workload or a simulation is reproducible.
 *
 * @param seed - any 32-bit integer.
 * @returns a function giving the next number in [0, 1).
 * @example
 * ```ts
 * const random = createRandom(7);
 * random(); // the same sequence for the same seed
 * ```
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
