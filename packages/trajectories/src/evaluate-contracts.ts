import {
  type Contract,
  type ContractComplianceSummary,
  type ContractViolation,
  checkContract,
  summarizeContractCompliance,
  type TurnRecord,
} from '@reins/controller';
import { InvalidOptionsError } from '@reins/core';
import type { Trajectory } from './trajectory.js';

/**
 * A recorded run's turns as contract checks and monitors read them: each action with its
 * recorded result (an action the recording never answered has no observation, so it counts as
 * not run).
 * @example
 * ```ts
 * const records = toTurnRecords(trajectory);
 * ```
 */
export function toTurnRecords(trajectory: Trajectory): TurnRecord[] {
  return trajectory.turns.map((turn) => {
    const observations = [];
    for (const action of turn.actions) {
      if (action.result === undefined) break;
      observations.push({
        name: action.name,
        status: action.result.status,
        text: action.result.output,
      });
    }
    return {
      turn: turn.index,
      text: turn.text,
      actions: turn.actions.map((action) => ({ name: action.name, arguments: action.arguments })),
      observations,
      ...(turn.finishReason === undefined ? {} : { finishReason: turn.finishReason }),
    };
  });
}

/** A violation found on a recorded run, for the report's evidence. */
export interface ContractViolationExample {
  readonly run: string;
  readonly turn: number;
  readonly rule: string;
  /** The offending action or answer (first 200 characters). */
  readonly action: string;
}

/** One contract's compliance over recorded runs. */
export interface ContractEvaluation extends ContractComplianceSummary {
  /** The same figures over the runs recorded as resolved, and as unresolved. */
  readonly byOutcome: {
    readonly resolved: ContractComplianceSummary;
    readonly unresolved: ContractComplianceSummary;
  };
  /** The rules, with kind and description. */
  readonly ruleInfo: Readonly<
    Record<
      string,
      { readonly kind: string; readonly section: string; readonly description: string }
    >
  >;
  /** The first violations of each rule (at most `examplesPerRule`). */
  readonly examples: readonly ContractViolationExample[];
}

/** Options of {@link evaluateContracts}. */
export interface EvaluateContractsOptions {
  /** Violations kept as examples per rule. @defaultValue 3 */
  readonly examplesPerRule?: number;
}

/**
 * Checks recorded runs against contracts (`checkContract` of `@reins/controller`, the checker the
 * live controller runs) and pools each contract's compliance: hard and soft compliance over
 * steps, soft violations recovered within k, drift rates with the bound α/γ, and the share of
 * runs that (δ, k)-satisfy it against p; also split by recorded outcome, with example violations.
 * Nothing is enforced: the figures are the recorded agent's own compliance.
 *
 * @param trajectories - the recorded runs.
 * @param contracts - from `createContract`.
 * @param options - examples kept per rule.
 * @returns one evaluation per contract, in order.
 * @example
 * ```ts
 * const [coding] = evaluateContracts(trajectories, [createContract({ governance: [neverEditTestFiles()] })]);
 * console.log(coding?.hardCompliance, coding?.satisfiedFraction);
 * ```
 */
export function evaluateContracts(
  trajectories: readonly Trajectory[],
  contracts: readonly Contract[],
  options: EvaluateContractsOptions = {},
): ContractEvaluation[] {
  const examplesPerRule = options.examplesPerRule ?? 3;
  contracts.forEach((contract, index) => {
    if (contract?.definition === undefined)
      throw new InvalidOptionsError(
        `contracts[${index}]`,
        `contracts[${index}] is not a contract; make each with createContract({ … }) of @reins/controller.`,
      );
  });
  const records = trajectories.map((trajectory) => toTurnRecords(trajectory));
  return contracts.map((contract) => {
    const all = [];
    const resolved = [];
    const unresolved = [];
    const examples: ContractViolationExample[] = [];
    const kept: Record<string, number> = {};
    for (const [index, trajectory] of trajectories.entries()) {
      const check = checkContract(contract, {
        runId: trajectory.id,
        task: trajectory.task,
        turns: records[index] as TurnRecord[],
      });
      all.push(check.compliance);
      if (trajectory.outcome.resolved === true) resolved.push(check.compliance);
      else if (trajectory.outcome.resolved === false) unresolved.push(check.compliance);
      for (const violation of check.violations) {
        if ((kept[violation.rule] ?? 0) >= examplesPerRule) continue;
        kept[violation.rule] = (kept[violation.rule] ?? 0) + 1;
        examples.push(toExample(trajectory.id, violation));
      }
    }
    const { satisfaction } = contract.definition;
    const ruleInfo: Record<string, { kind: string; section: string; description: string }> = {};
    for (const rule of contract.definition.preconditions)
      ruleInfo[`precondition:${rule.name}`] = {
        kind: 'hard',
        section: 'precondition',
        description: rule.description,
      };
    for (const rule of contract.definition.invariants)
      ruleInfo[`invariant:${rule.name}`] = {
        kind: rule.kind,
        section: 'invariant',
        description: rule.description,
      };
    for (const rule of contract.definition.governance)
      ruleInfo[`governance:${rule.name}`] = {
        kind: rule.kind,
        section: 'governance',
        description: rule.description,
      };
    return {
      ...summarizeContractCompliance(all, satisfaction),
      contract: contract.name,
      byOutcome: {
        resolved: {
          ...summarizeContractCompliance(resolved, satisfaction),
          contract: contract.name,
        },
        unresolved: {
          ...summarizeContractCompliance(unresolved, satisfaction),
          contract: contract.name,
        },
      },
      ruleInfo,
      examples,
    };
  });
}

function toExample(run: string, violation: ContractViolation): ContractViolationExample {
  const { action, answer } = violation.evidence;
  return {
    run,
    turn: violation.turn,
    rule: violation.rule,
    action: typeof action === 'string' ? action : typeof answer === 'string' ? answer : '',
  };
}
