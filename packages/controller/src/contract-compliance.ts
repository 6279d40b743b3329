import type { ContractSatisfaction } from './contract-definition.js';
import {
  type DriftRates,
  type DriftSums,
  estimateDriftRates,
  poolDriftSums,
} from './contract-drift.js';
import type { ContractLedger } from './contract-ledger.js';

/**
 * One run's compliance with a contract, as Agent Behavioral Contracts defines it.
 *
 * - hard compliance: the fraction of steps at which every hard rule held;
 * - soft compliance: the mean over steps of the fraction of soft rules that held;
 * - a soft violation episode (a rule violated at consecutive steps) is recovered when the rule
 *   holds again within `k` steps of its first violated step; an episode still open when the run
 *   ends counts as not recovered;
 * - drift D(t): the fraction of all rules violated at step t (see `estimateDriftRates`);
 * - the run (δ, k)-satisfies the contract when its preconditions held, no hard rule was violated,
 *   its soft compliance is at least 1 − δ and every episode was recovered within k steps.
 */
export interface ContractCompliance {
  readonly contract: string;
  readonly satisfaction: ContractSatisfaction;
  readonly steps: number;
  readonly preconditionsMet: boolean;
  readonly preconditionsFailed: readonly string[];
  readonly hard: {
    readonly rules: number;
    readonly violatedSteps: number;
    /** 1 − violatedSteps / steps (1 with no step). */
    readonly compliance: number;
  };
  readonly soft: {
    readonly rules: number;
    /** Mean over steps of the fraction of soft rules that held (1 with no step). */
    readonly compliance: number;
    readonly episodes: number;
    readonly recoveredWithinK: number;
    /** recoveredWithinK / episodes (1 with no episode). */
    readonly recoveryRate: number;
    /** Mean steps to recovery over the episodes recovered within k; `null` with none. */
    readonly meanRecoverySteps: number | null;
  };
  readonly drift: DriftRates;
  /** The drift sums, for pooling runs. */
  readonly driftSums: DriftSums;
  /** Per rule (`section:name`): steps violated and the first. */
  readonly rules: Readonly<Record<string, { readonly steps: number; readonly firstTurn: number }>>;
  /** The run (δ, k)-satisfies the contract. */
  readonly satisfied: boolean;
}

/**
 * Turns a run's ledger into its compliance figures.
 * @param ledger - from a contract checker (`ContractChecker.ledger()`, a contract session's snapshot).
 * @returns hard and soft compliance, recovery, drift and (δ, k)-satisfaction of the run.
 * @example
 * ```ts
 * const compliance = toContractCompliance(checker.ledger());
 * compliance.hard.compliance; // 1
 * ```
 */
export function toContractCompliance(ledger: ContractLedger): ContractCompliance {
  const { steps, satisfaction } = ledger;
  const hardCompliance = steps === 0 ? 1 : 1 - ledger.hardViolatedSteps / steps;
  const softCompliance = steps === 0 ? 1 : ledger.softComplianceSum / steps;
  const recoveryRate = ledger.episodes === 0 ? 1 : ledger.recoveredWithinK / ledger.episodes;
  const preconditionsMet = ledger.preconditionsFailed.length === 0;
  return {
    contract: ledger.contract,
    satisfaction,
    steps,
    preconditionsMet,
    preconditionsFailed: [...ledger.preconditionsFailed],
    hard: {
      rules: ledger.hardRules,
      violatedSteps: ledger.hardViolatedSteps,
      compliance: hardCompliance,
    },
    soft: {
      rules: ledger.softRules,
      compliance: softCompliance,
      episodes: ledger.episodes,
      recoveredWithinK: ledger.recoveredWithinK,
      recoveryRate,
      meanRecoverySteps:
        ledger.recoveredWithinK === 0 ? null : ledger.recoveryStepsSum / ledger.recoveredWithinK,
    },
    drift: estimateDriftRates(ledger.drift),
    driftSums: { ...ledger.drift },
    rules: structuredClone(ledger.ruleViolations),
    satisfied:
      preconditionsMet &&
      ledger.hardViolatedSteps === 0 &&
      softCompliance >= 1 - satisfaction.delta - 1e-12 &&
      ledger.recoveredWithinK === ledger.episodes,
  };
}

/**
 * A contract's compliance over many runs: the agent (p, δ, k)-satisfies the contract when the
 * fraction of its runs that (δ, k)-satisfy it is at least p.
 */
export interface ContractComplianceSummary {
  readonly contract: string;
  readonly satisfaction: ContractSatisfaction;
  readonly runs: number;
  readonly steps: number;
  /** Runs that (δ, k)-satisfy the contract. */
  readonly runsSatisfied: number;
  /** runsSatisfied / runs: the estimate of p (0 with no run). */
  readonly satisfiedFraction: number;
  /** satisfiedFraction ≥ p. */
  readonly satisfied: boolean;
  readonly preconditionsFailedRuns: number;
  /** Runs with no hard violation. */
  readonly hardCompliantRuns: number;
  /** Steps at which every hard rule held, over all steps. */
  readonly hardCompliance: number;
  /** Mean over all steps of the fraction of soft rules that held. */
  readonly softCompliance: number;
  readonly episodes: number;
  readonly recoveredWithinK: number;
  /** recoveredWithinK / episodes (1 with no episode). */
  readonly recoveryRate: number;
  /** Drift rates over the steps of every run (pairs within runs only). */
  readonly drift: DriftRates;
  /** Per rule: steps violated, and runs with at least one violation. */
  readonly rules: Readonly<Record<string, { readonly steps: number; readonly runs: number }>>;
}

/**
 * Pools runs of one contract into the paper's figures over an agent.
 * @param runs - per-run compliance of the same contract.
 * @param satisfaction - the (p, δ, k) to judge by. @defaultValue the first run's
 * @returns hard and soft compliance over steps, recovery rate, pooled drift rates, and whether the agent (p, δ, k)-satisfies the contract.
 * @example
 * ```ts
 * const summary = summarizeContractCompliance(runs.map((run) => run.compliance));
 * summary.satisfiedFraction; // p̂
 * ```
 */
export function summarizeContractCompliance(
  runs: readonly ContractCompliance[],
  satisfaction?: ContractSatisfaction,
): ContractComplianceSummary {
  const chosen = satisfaction ?? runs[0]?.satisfaction ?? { p: 0.95, delta: 0.1, k: 3 };
  let steps = 0;
  let hardViolatedSteps = 0;
  let softSum = 0;
  let episodes = 0;
  let recovered = 0;
  let runsSatisfied = 0;
  let hardCompliantRuns = 0;
  let preconditionsFailedRuns = 0;
  const rules: Record<string, { steps: number; runs: number }> = {};
  for (const run of runs) {
    steps += run.steps;
    hardViolatedSteps += run.hard.violatedSteps;
    softSum += run.soft.compliance * run.steps;
    episodes += run.soft.episodes;
    recovered += run.soft.recoveredWithinK;
    const softOk = run.soft.compliance >= 1 - chosen.delta - 1e-12;
    const recoveredOk = run.soft.recoveredWithinK === run.soft.episodes;
    if (run.preconditionsMet && run.hard.violatedSteps === 0 && softOk && recoveredOk)
      runsSatisfied += 1;
    if (run.hard.violatedSteps === 0) hardCompliantRuns += 1;
    if (!run.preconditionsMet) preconditionsFailedRuns += 1;
    for (const [rule, entry] of Object.entries(run.rules)) {
      const total = rules[rule] ?? { steps: 0, runs: 0 };
      total.steps += entry.steps;
      total.runs += 1;
      rules[rule] = total;
    }
  }
  const satisfiedFraction = runs.length === 0 ? 0 : runsSatisfied / runs.length;
  return {
    contract: runs[0]?.contract ?? 'contract',
    satisfaction: chosen,
    runs: runs.length,
    steps,
    runsSatisfied,
    satisfiedFraction,
    satisfied: runs.length > 0 && satisfiedFraction >= chosen.p,
    preconditionsFailedRuns,
    hardCompliantRuns,
    hardCompliance: steps === 0 ? 1 : 1 - hardViolatedSteps / steps,
    softCompliance: steps === 0 ? 1 : softSum / steps,
    episodes,
    recoveredWithinK: recovered,
    recoveryRate: episodes === 0 ? 1 : recovered / episodes,
    drift: estimateDriftRates(poolDriftSums(runs.map((run) => run.driftSums))),
    rules,
  };
}
