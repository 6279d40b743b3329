/**
 * A small, fast, seedable pseudo-random generator (mulberry32) returning numbers in [0, 1): the
 * one generator behind every seeded Monte Carlo estimate and bootstrap in Reins, so that a
 * figure is reproducible from its seed.
 *
 * @param seed - any number; its low 32 bits are used.
 * @returns a function drawing the next number in [0, 1).
 * @example
 * ```ts
 * const random = createRandom(42);
 * random(); // 0.6011037519201636
 * ```
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
