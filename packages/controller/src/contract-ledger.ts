import type { ContractCallOutcome, ContractSatisfaction } from './contract-definition.js';
import type { DriftSums } from './contract-drift.js';

export { type DriftSums, emptyDriftSums } from './contract-drift.js';

/**
 * One run's record of a contract, as JSON: counts per step and per rule, the open soft
 * violation episodes, each rule's tracked state and the drift sums. It is the state a contract
 * saves with each checkpoint and what `toContractCompliance` turns into the paper's figures.
 * Its size depends on the number of rules, not on the length of the run.
 */
export interface ContractLedger {
  readonly version: 1;
  readonly contract: string;
  readonly satisfaction: ContractSatisfaction;
  /** Hard invariants and hard governance rules. */
  readonly hardRules: number;
  /** Soft invariants and soft governance rules. */
  readonly softRules: number;
  started: boolean;
  /** Names of the preconditions that did not hold. */
  preconditionsFailed: string[];
  /** Steps completed. */
  steps: number;
  /** Steps at which at least one hard rule was violated. */
  hardViolatedSteps: number;
  /** Σ over steps of the fraction of soft rules that held. */
  softComplianceSum: number;
  /** Per rule (`section:name`): steps violated and the first. */
  ruleViolations: Record<string, { steps: number; firstTurn: number }>;
  /** Per governance rule: calls it governed that ran. */
  callCounts: Record<string, number>;
  /** Per rule with a tracker: its state. */
  tracked: Record<string, unknown>;
  /** Open soft episodes per rule: the step they began, and whether `k` ran out. */
  open: Record<string, { since: number; expired: boolean }>;
  /** Soft violation episodes begun. */
  episodes: number;
  /** Episodes recovered within `k` steps. */
  recoveredWithinK: number;
  /** Σ steps to recovery over the episodes recovered within `k`. */
  recoveryStepsSum: number;
  drift: DriftSums;
  /** The last step completed. */
  lastTurn: number;
  /** The step under way: its calls so far and the rules they violated (`section:name`). */
  current: {
    turn: number;
    text: string;
    calls: ContractCallOutcome[];
    violated: string[];
  } | null;
}
