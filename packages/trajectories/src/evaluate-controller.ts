import { type Controller, InvalidOptionsError } from '@reins/core';
import { type BootstrapOptions, bootstrapInterval, type ConfidenceInterval } from './bootstrap.js';
import { type CompactionSavings, meterCompaction } from './compaction-meter.js';
import type { ControllerFiring, ControllerTrace, FiringKind } from './controller-trace.js';
import { replayTrajectory } from './replay-trajectory.js';
import { simulateController } from './simulate-controller.js';
import { type Trajectory, trajectoryCost } from './trajectory.js';

/** What a controller would have done on one recorded run, and what it would have cost. */
export interface RunEvaluation {
  readonly id: string;
  readonly modelId?: string;
  /** The recorded outcome; `undefined` when unknown. */
  readonly resolved?: boolean;
  /** Recorded model calls. */
  readonly turns: number;
  /** Recorded cost (USD). */
  readonly costUsd: number;
  /**
   * The controller ended the run before its recorded work was done: before a recorded call, or
   * after a call whose actions were then cancelled.
   */
  readonly stopped: boolean;
  /** Where it stopped: the model call, the hook and the reason. */
  readonly stop?: ControllerTrace['stop'];
  /** Recorded calls that would still have been made. */
  readonly modelCalls: number;
  /** Cost that would have been spent, a forced final answer included (estimated as the last call's cost). */
  readonly spentUsd: number;
  readonly savedUsd: number;
  readonly turnsSaved: number;
  /** A resolved run that the controller stopped. */
  readonly resolvedLost: boolean;
  /** Every decision, in order. */
  readonly firings: readonly ControllerFiring[];
  /** What the controller's compactions would have saved (set by `evaluateController`). */
  readonly compaction?: CompactionSavings;
}

/**
 * Turns a controller's trace on a run into the run's counterfactual numbers.
 * @param trajectory - the recorded run.
 * @param trace - from `simulateController` or `replayTrajectory`.
 * @returns saved cost and turns, whether it was stopped, and whether a resolved run was lost.
 * @example
 * ```ts
 * const evaluation = evaluateRun(trajectory, simulateController(trajectory, controller));
 * ```
 */
export function evaluateRun(trajectory: Trajectory, trace: ControllerTrace): RunEvaluation {
  const turns = trajectory.turns.length;
  const costUsd = trajectoryCost(trajectory);
  const { stop } = trace;
  let stopped = false;
  if (stop !== undefined && stop.turn <= turns) {
    const last = trajectory.turns[turns - 1];
    const lastHasWork = last !== undefined && last.actions.length > 0;
    if (stop.hook === 'beforeModel') stopped = true;
    else if (stop.turn < turns) stopped = true;
    else stopped = (stop.hook === 'afterModel' || stop.hook === 'beforeTool') && lastHasWork;
  }
  const turnCost = (index: number) =>
    trajectory.turns[index]?.usage?.costUsd ??
    (trajectory.totals?.costUsd ?? 0) / Math.max(1, turns);
  let spentUsd = 0;
  for (let index = 0; index < trace.modelCalls; index += 1) spentUsd += turnCost(index);
  if (stopped && stop?.forcedAnswer === true && trace.modelCalls > 0)
    spentUsd += turnCost(trace.modelCalls - 1);
  if (!stopped) spentUsd = costUsd;
  const resolved = trajectory.outcome.resolved;
  return {
    id: trajectory.id,
    ...(trajectory.model === undefined ? {} : { modelId: trajectory.model.modelId }),
    ...(resolved === undefined ? {} : { resolved }),
    turns,
    costUsd,
    stopped,
    ...(stop === undefined ? {} : { stop }),
    modelCalls: stopped ? trace.modelCalls : turns,
    spentUsd,
    savedUsd: costUsd - spentUsd,
    turnsSaved: stopped ? turns - trace.modelCalls : 0,
    resolvedLost: stopped && resolved === true,
    firings: trace.firings,
  };
}

/** The headline numbers of an evaluation: plain data, the fields of `reins evaluate --json`. */
export interface EvaluationSummary {
  readonly runs: number;
  /** Runs whose recorded outcome is resolved. */
  readonly resolved: number;
  readonly unresolved: number;
  /** Recorded cost of all runs (USD). */
  readonly costUsd: number;
  readonly unresolvedCostUsd: number;
  /** Cost the controller would have saved on all runs. */
  readonly savedUsd: number;
  /** Saved on unresolved runs only. */
  readonly savedOnUnresolvedUsd: number;
  /** `savedOnUnresolvedUsd / unresolvedCostUsd`: the wasted spend avoided. */
  readonly savedFractionOfUnresolvedCost: number;
  readonly savedFractionOfCost: number;
  readonly runsStopped: number;
  /** Resolved runs the controller would have stopped. */
  readonly resolvedLost: number;
  readonly resolvedLostFraction: number;
  readonly turns: number;
  readonly turnsSaved: number;
  /** Per kind: total decisions and runs with at least one. */
  readonly firings: Readonly<Record<FiringKind, { readonly total: number; readonly runs: number }>>;
  /** Per emitted event or directive name: total decisions and runs with at least one. */
  readonly byName: Readonly<Record<string, { readonly total: number; readonly runs: number }>>;
  /**
   * Compaction, reported apart from stops: input tokens the later calls would not have re-sent
   * had each run gone on as recorded (see `meterCompaction`), over the runs that measured it.
   */
  readonly compaction: {
    /** Runs with at least one compaction. */
    readonly runs: number;
    readonly compactions: number;
    /** Recorded input tokens of every call of the runs measured. */
    readonly inputTokens: number;
    readonly inputTokensSaved: number;
    /** `inputTokensSaved / inputTokens`. */
    readonly inputTokensSavedFraction: number;
  };
}

/** What {@link evaluateController} returns. */
export interface EvaluationReport extends EvaluationSummary {
  readonly controller: string;
  /** Bootstrap confidence intervals over runs. */
  readonly intervals: {
    readonly savedUsd: ConfidenceInterval;
    readonly savedFractionOfUnresolvedCost: ConfidenceInterval;
    readonly resolvedLostFraction: ConfidenceInterval;
    readonly runsStoppedFraction: ConfidenceInterval;
  };
  readonly perRun: readonly RunEvaluation[];
}

/**
 * Sums per-run evaluations into the headline numbers.
 * @example
 * ```ts
 * const { savedUsd, resolvedLost } = summarizeEvaluations(evaluations);
 * ```
 */
export function summarizeEvaluations(evaluations: readonly RunEvaluation[]): EvaluationSummary {
  let resolved = 0;
  let unresolved = 0;
  let costUsd = 0;
  let unresolvedCostUsd = 0;
  let savedUsd = 0;
  let savedOnUnresolvedUsd = 0;
  let runsStopped = 0;
  let resolvedLost = 0;
  let turns = 0;
  let turnsSaved = 0;
  const firings: Record<FiringKind, { total: number; runs: number }> = {
    remind: { total: 0, runs: 0 },
    extend: { total: 0, runs: 0 },
    intervene: { total: 0, runs: 0 },
    stop: { total: 0, runs: 0 },
    event: { total: 0, runs: 0 },
  };
  const byName: Record<string, { total: number; runs: number }> = {};
  const compaction = { runs: 0, compactions: 0, inputTokens: 0, inputTokensSaved: 0 };
  for (const run of evaluations) {
    if (run.compaction !== undefined) {
      if (run.compaction.compactions > 0) compaction.runs += 1;
      compaction.compactions += run.compaction.compactions;
      compaction.inputTokens += run.compaction.inputTokens;
      compaction.inputTokensSaved += run.compaction.inputTokensSaved;
    }
    costUsd += run.costUsd;
    savedUsd += run.savedUsd;
    turns += run.turns;
    turnsSaved += run.turnsSaved;
    if (run.stopped) runsStopped += 1;
    if (run.resolved === true) {
      resolved += 1;
      if (run.resolvedLost) resolvedLost += 1;
    } else if (run.resolved === false) {
      unresolved += 1;
      unresolvedCostUsd += run.costUsd;
      savedOnUnresolvedUsd += run.savedUsd;
    }
    const kinds = new Set<FiringKind>();
    const names = new Set<string>();
    for (const firing of run.firings) {
      firings[firing.kind].total += 1;
      kinds.add(firing.kind);
      const entry = byName[firing.name] ?? { total: 0, runs: 0 };
      entry.total += 1;
      byName[firing.name] = entry;
      names.add(firing.name);
    }
    for (const kind of kinds) firings[kind].runs += 1;
    for (const name of names) (byName[name] as { runs: number }).runs += 1;
  }
  return {
    runs: evaluations.length,
    resolved,
    unresolved,
    costUsd,
    unresolvedCostUsd,
    savedUsd,
    savedOnUnresolvedUsd,
    savedFractionOfUnresolvedCost:
      unresolvedCostUsd > 0 ? savedOnUnresolvedUsd / unresolvedCostUsd : 0,
    savedFractionOfCost: costUsd > 0 ? savedUsd / costUsd : 0,
    runsStopped,
    resolvedLost,
    resolvedLostFraction: resolved > 0 ? resolvedLost / resolved : 0,
    turns,
    turnsSaved,
    firings,
    byName,
    compaction: {
      ...compaction,
      inputTokensSavedFraction:
        compaction.inputTokens > 0 ? compaction.inputTokensSaved / compaction.inputTokens : 0,
    },
  };
}

/** Options of {@link evaluateController}. */
export interface EvaluateControllerOptions {
  /**
   * `'fast'` calls the controller's hooks directly ({@link simulateController}); `'loop'` replays
   * every run through the real loop ({@link replayTrajectory}), about ten times slower.
   * @defaultValue `'fast'`
   */
  readonly mode?: 'fast' | 'loop';
  /** Called after each run with the count done and the total. */
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void;
  /** Stops the evaluation (rejects with the signal's reason). */
  readonly signal?: AbortSignal;
  /** Bootstrap settings of the confidence intervals. */
  readonly bootstrap?: BootstrapOptions;
}

/**
 * Counterfactual evaluation of a controller over recorded runs: replays each run under the
 * controller and reports where it would have reminded, extended, intervened or stopped, the
 * cost saved, the runs stopped, the resolved runs lost, firings per event, and bootstrap
 * confidence intervals over runs.
 *
 * @param trajectories - the recorded runs.
 * @param controller - any `Controller` (the contract of `@reins/core`).
 * @param options - mode, progress, signal, bootstrap settings.
 * @returns plain data: headline numbers, intervals, and every run's evaluation.
 * @example
 * ```ts
 * const report = await evaluateController(trajectories, controller);
 * console.log(report.savedFractionOfUnresolvedCost, report.resolvedLostFraction);
 * ```
 */
export async function evaluateController(
  trajectories: readonly Trajectory[],
  controller: Controller,
  options: EvaluateControllerOptions = {},
): Promise<EvaluationReport> {
  if (typeof controller?.open !== 'function') {
    throw new InvalidOptionsError(
      'controller',
      'evaluateController(trajectories, controller) needs a Controller with an open() method, e.g. { name, open: () => ({ beforeModel }) }.',
    );
  }
  const mode = options.mode ?? 'fast';
  const meter = meterCompaction(controller);
  const perRun: RunEvaluation[] = [];
  for (const [index, trajectory] of trajectories.entries()) {
    options.signal?.throwIfAborted();
    const trace =
      mode === 'loop'
        ? (
            await replayTrajectory(trajectory, {
              controller: meter.controller,
              ...(options.signal === undefined ? {} : { signal: options.signal }),
            })
          ).trace
        : simulateController(trajectory, meter.controller);
    perRun.push({ ...evaluateRun(trajectory, trace), compaction: meter.take() });
    options.onProgress?.({ done: index + 1, total: trajectories.length });
    if (mode === 'fast' && index % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
  }
  const summary = summarizeEvaluations(perRun);
  const intervals = bootstrapInterval(
    perRun,
    {
      savedUsd: (sample) => sample.reduce((sum, run) => sum + run.savedUsd, 0),
      savedFractionOfUnresolvedCost: (sample) => summarizeFraction(sample).saved,
      resolvedLostFraction: (sample) => summarizeFraction(sample).lost,
      runsStoppedFraction: (sample) =>
        sample.filter((run) => run.stopped).length / Math.max(1, sample.length),
    },
    options.bootstrap,
  );
  return { controller: controller.name, ...summary, intervals, perRun };
}

function summarizeFraction(sample: readonly RunEvaluation[]): { saved: number; lost: number } {
  let unresolvedCost = 0;
  let saved = 0;
  let resolved = 0;
  let lost = 0;
  for (const run of sample) {
    if (run.resolved === false) {
      unresolvedCost += run.costUsd;
      saved += run.savedUsd;
    } else if (run.resolved === true) {
      resolved += 1;
      if (run.resolvedLost) lost += 1;
    }
  }
  return {
    saved: unresolvedCost > 0 ? saved / unresolvedCost : 0,
    lost: resolved > 0 ? lost / resolved : 0,
  };
}
