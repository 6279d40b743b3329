import {
  createContinuumTtlRule,
  fromSortedSamples,
  type ToolDurationSample,
} from '@reins/controller';
import type { ServingPolicy } from './serving-policy.js';

/** Options of {@link createContinuumPolicy}. */
export interface ContinuumPolicyOptions {
  /** @defaultValue 2000 (Continuum's public code) */
  readonly ttlMs?: number;
  /** Pin when the tool's mean duration is under this. @defaultValue the TTL */
  readonly thresholdMs?: number;
  /** Durations seen before the simulated run (the same every policy gets). @defaultValue none */
  readonly seedSamples?: readonly ToolDurationSample[];
}

/**
 * Continuum's public server rule: after a response the server parses the tool call, predicts its
 * duration as the running mean of that tool's past durations (the mean over all tools for a new
 * tool), and pins the cache for a fixed TTL when the prediction is under the threshold, never
 * after a last step; requests are ordered by program arrival.
 *
 * @param options - TTL, threshold, seed durations.
 * @returns the policy, named `continuum`.
 * @example
 * ```ts
 * simulate({ programs, policy: createContinuumPolicy({ ttlMs: 2_000, seedSamples }) });
 * ```
 */
export function createContinuumPolicy(options: ContinuumPolicyOptions = {}): ServingPolicy {
  const rule = createContinuumTtlRule(options);
  const means = new Map<string, { sum: number; count: number }>();
  const all = { sum: 0, count: 0 };
  const record = (key: string, durationMs: number) => {
    const entry = means.get(key) ?? { sum: 0, count: 0 };
    entry.sum += durationMs;
    entry.count += 1;
    means.set(key, entry);
    all.sum += durationMs;
    all.count += 1;
  };
  for (const sample of options.seedSamples ?? []) record(sample.key, sample.durationMs);
  return {
    name: 'continuum',
    scheduling: 'program-fcfs',
    pin({ program, turnIndex, contextTokens, isLastStep }) {
      const key = program.turns[turnIndex]?.toolKey ?? '';
      const seen = means.get(key) ?? all;
      const mean = seen.count === 0 ? 0 : seen.sum / seen.count;
      return rule.decide({
        pause: fromSortedSamples([mean], 'tool'),
        contextTokens,
        isLastStep,
        remainingTurns: isLastStep ? 0 : 1,
      });
    },
    observeTool(program, turnIndex, durationMs) {
      record(program.turns[turnIndex]?.toolKey ?? '', durationMs);
    },
  };
}
