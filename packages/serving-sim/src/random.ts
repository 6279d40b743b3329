import { createRandom as createControllerRandom } from '@reins/controller';

/** A seeded source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * The seeded generator (mulberry32) of `@reins/controller`, so that a workload or a simulation is
 * reproducible with the same generator as the planner's draws and the bootstrap.
 *
 * @param seed - any 32-bit integer.
 * @returns a function giving the next number in [0, 1).
 * @example
 * ```ts
 * const random = createRandom(7);
 * random(); // the same sequence for the same seed
 * ```
 */
export const createRandom: (seed: number) => Random = createControllerRandom;
