import { driftWindowFor } from '@reins/controller';
import {
  type ContractEvaluation,
  type EvaluationReport,
  evaluateContracts,
  evaluateController,
  handoffClassifierFor,
  measureRunStability,
  type Policy,
  type StabilityReport,
  type Trajectory,
} from '@reins/trajectories';
import type { CliIo } from './cli-io.js';
import { createEvaluationController } from './create-evaluation-controller.js';
import { createExampleContracts } from './create-example-contracts.js';
import { createProgress } from './create-progress.js';
import { loadPolicy } from './load-policy.js';
import { loadRuns } from './load-runs.js';

/** Options of {@link runEvaluation}. */
export interface RunEvaluationOptions {
  readonly data: string;
  readonly policy: string;
  /** Draw progress bars. */
  readonly progress: boolean;
  /** Replay with monitors reporting too. @defaultValue true */
  readonly monitors?: boolean;
  /** `'fast'` (hooks only) or `'loop'` (the real agent loop). @defaultValue `'fast'` */
  readonly mode?: 'fast' | 'loop';
}

/** What {@link runEvaluation} returns. */
export interface EvaluationRun {
  readonly dataPath: string;
  readonly policyPath: string;
  readonly policy: Policy;
  readonly trajectories: readonly Trajectory[];
  readonly problems: number;
  readonly report: EvaluationReport;
  /** The recorded runs' compliance with the example contracts (`createExampleContracts`). */
  readonly contracts: readonly ContractEvaluation[];
  /**
   * The Agent Stability Index of the runs, per dimension, with the drift monitor's window
   * (`driftWindowFor` of the policy's default turn limit).
   */
  readonly stability: StabilityReport;
}

/**
 * Loads runs and a policy and replays the runs under the policy (with the monitors reporting),
 * with a progress bar, and checks the runs against the example contracts: the shared first half
 * of `reins evaluate` and `reins report`.
 * @example
 * ```ts
 * const { report } = await runEvaluation(io, { data, policy, progress: true });
 * ```
 */
export async function runEvaluation(
  io: CliIo,
  options: RunEvaluationOptions,
): Promise<EvaluationRun> {
  const { policy, path: policyPath } = await loadPolicy(io, options.policy);
  const loaded = await loadRuns(io, { data: options.data, progress: options.progress });
  // The drift monitor and the stability figures count the same hand-offs.
  const isHandoff = handoffClassifierFor(loaded.trajectories);
  const controller = createEvaluationController(policy, {
    ...(options.monitors === undefined ? {} : { monitors: options.monitors }),
    isHandoff,
  });
  const progress = createProgress(io, { label: 'evaluate', enabled: options.progress });
  let report: EvaluationReport;
  try {
    report = await evaluateController(loaded.trajectories, controller, {
      mode: options.mode ?? 'fast',
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }
  return {
    dataPath: loaded.path,
    policyPath,
    policy,
    trajectories: loaded.trajectories,
    problems: loaded.problems.length,
    report,
    contracts: evaluateContracts(loaded.trajectories, createExampleContracts()),
    stability: measureRunStability(loaded.trajectories, {
      window: driftWindowFor(policy.budgets.turns.default.maxTurns),
      isHandoff,
    }),
  };
}

/**
 * The plain-data result of an evaluation, as `--json` prints it: every headline figure, firings,
 * confidence intervals, the paths used (no per-run detail), `contracts`: each example
 * contract's compliance on the runs (hard and soft compliance, recovery within k, drift rates,
 * the share of runs that satisfy it against p, by recorded outcome, with example violations),
 * and `stability`: each Agent Stability Index dimension's distribution over the runs (see
 * `measureRunStability`).
 * @example
 * ```ts
 * writeJson(io, toEvaluationJson(run));
 * ```
 */
export function toEvaluationJson(run: EvaluationRun): Record<string, unknown> {
  const { perRun: _perRun, ...summary } = run.report;
  return {
    ...summary,
    data: run.dataPath,
    policy: run.policyPath,
    unreadableFiles: run.problems,
    policyEvidence: run.policy.evidence ?? null,
    contracts: run.contracts,
    stability: run.stability,
  };
}
