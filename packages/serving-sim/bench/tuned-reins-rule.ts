import type { ReinsRuleSettings } from '../src/index.js';

/**
 * Reins' rule settings for the benchmark, chosen by `bench/tune.ts` on the tuning split (the
 * odd half of the recorded runs as workload, seeds 101–102, every point of the sweep's grid),
 * never on the reported one: of memory prices 400, 600, 800 and 1000 ms, each with memory free
 * below 0, 50, 80 and 90 % KV usage, and a shared weight of 8, the highest worst ratio of the
 * best constant pin over Reins, 0.939, with a geometric mean of 1.016 over the 12 points
 * (recorded 0.5: 1.024, 1.027, 1.034; recorded 0.9: 1.002, 0.960, 0.939; heavy-tailed 0.5:
 * 1.075, 1.059, 1.057; heavy-tailed 0.9: 0.993, 1.011, 1.015, at 0.05, 0.1 and 0.2 programs/s).
 */
export const tunedReinsRule: ReinsRuleSettings = {
  memoryPriceMs: 800,
  orderingBenefitMs: 0,
  freeBelowKvUsage: 0.5,
  maxTtlMs: 120_000,
};

/**
 * Weight of every program's durations against the program's own in Reins' predictor, chosen
 * with {@link tunedReinsRule}.
 */
export const tunedReinsSharedWeight = 8;
