import { InvalidOptionsError } from '@reins/core';
import { createClairvoyantPinPolicy } from './clairvoyant-pin-policy.js';
import {
  type ClairvoyantRulePolicyOptions,
  createClairvoyantRulePolicy,
} from './clairvoyant-rule-policy.js';
import type { ServingPolicy } from './serving-policy.js';
import type { SimulationResult } from './simulate.js';

/**
 * The longest true pauses the oracle's clairvoyant pin candidates pin, in seconds
 * (`Infinity`: every pause).
 */
export const clairvoyantPinSeconds = [5, 10, 30, 60, 120, Number.POSITIVE_INFINITY] as const;

/**
 * The policies only the oracle runs, each told every pause's true length: clairvoyant pins of
 * exactly the true pause up to each of {@link clairvoyantPinSeconds}, and Reins' rule fed the
 * true pause and turns left (`clairvoyantRule`). The oracle also takes, as candidates, the
 * policies that need no prediction (LRU and the constant pins).
 *
 * @param options - server and rule settings for `clairvoyantRule`.
 * @returns the candidate policies, in a fixed order.
 * @example
 * ```ts
 * const results = createOracleCandidates().map((policy) => simulate({ programs, policy }));
 * ```
 */
export function createOracleCandidates(
  options: ClairvoyantRulePolicyOptions = {},
): ServingPolicy[] {
  return [
    ...clairvoyantPinSeconds.map((seconds) =>
      createClairvoyantPinPolicy({ maxPauseMs: seconds * 1000 }),
    ),
    createClairvoyantRulePolicy(options),
  ];
}

/** The oracle's figures on one workload: the best candidate's, and which it was. */
export interface OracleResult extends SimulationResult {
  /** The candidate chosen: the policy's name, e.g. `clairvoyant30` or `pin10`. */
  readonly chosen: string;
}

/**
 * The oracle on one workload: of every candidate simulated on it, the one with the lowest mean
 * job time, chosen in hindsight. With the constant pins and LRU among the candidates, the
 * oracle is never worse than any of them on any workload, by construction; with the
 * clairvoyant pins it also knows every pause's true length.
 *
 * @param candidates - results of the candidates on the same workload.
 * @returns the best one, named `oracle`, with `chosen` its own name.
 * @throws {InvalidOptionsError} for no candidates, or candidates run on different workloads.
 * @example
 * ```ts
 * const oracle = toOracleResult([lruResult, pin10Result, clairvoyant30Result]);
 * oracle.chosen; // 'clairvoyant30'
 * ```
 */
export function toOracleResult(candidates: readonly SimulationResult[]): OracleResult {
  const first = candidates[0];
  if (first === undefined) {
    throw new InvalidOptionsError(
      'candidates',
      'The oracle needs at least one candidate result. Simulate createOracleCandidates() on the workload first.',
    );
  }
  const mismatched = candidates.find((result) => result.programs !== first.programs);
  if (mismatched !== undefined) {
    throw new InvalidOptionsError(
      'candidates',
      `The oracle's candidates must run on one workload; '${first.policy}' ran ${first.programs} programs and '${mismatched.policy}' ${mismatched.programs}. Simulate every candidate on the same programs.`,
    );
  }
  const best = candidates.reduce((a, b) => (b.meanJobMs < a.meanJobMs ? b : a));
  return { ...best, policy: 'oracle', chosen: best.policy };
}
