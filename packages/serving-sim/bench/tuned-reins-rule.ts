import type { ReinsRuleSettings } from '../src/index.js';

/**
 * Reins' rule settings for the benchmark, chosen by `bench/tune.ts` on the tuning split (the
 * odd half of the recorded runs as workload, seeds 101–102, every point of the sweep's grid),
 * never on the reported one: of memory prices 600, 800 and 1200 ms with a shared weight of 8,
 * and 800 ms with the default weight 2, the highest worst ratio of the best constant pin over
 * Reins, 0.932, with a geometric mean of 1.012 over the 12 points (recorded 0.5: 1.015, 1.042,
 * 1.024; recorded 0.9: 0.991, 0.958, 0.932; heavy-tailed 0.5: 1.074, 1.059, 1.055; heavy-tailed
 * 0.9: 0.993, 0.994, 1.021, at 0.05, 0.1 and 0.2 programs/s).
 */
export const tunedReinsRule: ReinsRuleSettings = {
  memoryPriceMs: 800,
  orderingBenefitMs: 0,
  freeBelowKvUsage: 0.8,
  maxTtlMs: 120_000,
};

/**
 * Weight of every program's durations against the program's own in Reins' predictor, chosen
 * with {@link tunedReinsRule}.
 */
export const tunedReinsSharedWeight = 8;
