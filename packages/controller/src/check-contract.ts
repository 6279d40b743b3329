import { toContractCall, toContractCallOutcome } from './contract-call.js';
import {
  type ContractRecoveryNote,
  type ContractViolation,
  openContractChecker,
} from './contract-checker.js';
import { type ContractCompliance, toContractCompliance } from './contract-compliance.js';
import type { Contract } from './create-contract.js';
import type { TurnRecord } from './turn-record.js';

/** What {@link checkContract} found on one recorded run. */
export interface ContractCheck {
  readonly compliance: ContractCompliance;
  /** Every violation, in order, with its evidence. */
  readonly violations: readonly ContractViolation[];
  /** Soft episodes recovered within k, and those whose window ran out. */
  readonly recoveries: readonly ContractRecoveryNote[];
}

/**
 * Checks a recorded run against a contract, with the same checker the live controller runs:
 * preconditions on the task, governance before each recorded call, invariants after each turn.
 * Nothing is denied (the recording goes on as recorded), so the figures are the agent's own
 * compliance.
 *
 * @param contract - from `createContract`.
 * @param run - the run's id, task and turns (`TurnRecord`s, as the monitors read them).
 * @returns the run's compliance, violations and recoveries.
 * @example
 * ```ts
 * const { compliance } = checkContract(contract, { runId: 'r1', task, turns });
 * compliance.hard.compliance; // 1
 * ```
 */
export function checkContract(
  contract: Contract,
  run: { readonly runId: string; readonly task: string; readonly turns: readonly TurnRecord[] },
): ContractCheck {
  const checker = openContractChecker(contract.definition);
  const violations: ContractViolation[] = [...checker.start({ runId: run.runId, task: run.task })];
  const recoveries: ContractRecoveryNote[] = [];
  for (const turn of run.turns) {
    checker.beginStep(turn.turn, turn.text);
    turn.actions.forEach((action, index) => {
      const call = toContractCall(turn.turn, action);
      violations.push(...checker.checkCall(call).violations);
      const observation = turn.observations[index];
      violations.push(
        ...checker.recordCall(
          toContractCallOutcome(call, {
            failed: observation === undefined || observation.status !== 'ok',
            output: observation?.text ?? '',
          }),
          observation !== undefined && observation.status !== 'cancelled',
        ),
      );
    });
    const ended = checker.endStep();
    violations.push(...ended.violations);
    recoveries.push(...ended.recoveries);
  }
  return { compliance: toContractCompliance(checker.ledger()), violations, recoveries };
}
