import type { Controller, ControllerSession } from '@reins/core';
import { InvalidOptionsError } from '@reins/core';
import { percentile } from './percentile.js';
import { createTurnBudget, type TurnReminderOptions } from './turn-budget.js';

/**
 * One past run, the minimal shape budget calibration needs. Importers of recorded runs
 * (mini-swe-agent, SWE-agent, Reins' own run records) map their runs to it.
 */
export interface HistoryRun {
  /** The model's id, as the backend reports it (`view.model.modelId`). */
  readonly model: string;
  /** Model calls the run made. */
  readonly turns: number;
  /** Whether the run solved its task, when known. */
  readonly resolved?: boolean;
}

/** Options of {@link fromHistory}. */
export interface FromHistoryOptions {
  /**
   * The percentile of past turn counts to use as the limit, in (0, 1].
   * @defaultValue 0.75 (the More-with-Less sweet spot)
   */
  readonly percentile?: number;
  /**
   * Only count runs that solved their task.
   * @defaultValue false
   */
  readonly resolvedOnly?: boolean;
  /** Reminder options of the fixed budget; `false` for none. */
  readonly reminder?: TurnReminderOptions | false;
  /** @defaultValue `'turn-budget'` */
  readonly name?: string;
}

/** A turn budget calibrated from history, with the limits it chose. */
export interface HistoryTurnBudget extends Controller {
  /** The limit for each model seen in the history. */
  readonly limits: Readonly<Record<string, number>>;
  /** The limit over all runs, used for a model the history does not have. */
  readonly pooledLimit: number;
  readonly percentile: number;
}

/**
 * Builds a fixed turn budget from past runs, per model: the limit is the chosen percentile of
 * the model's past turn counts, rounded up to whole turns. At run time the budget picks the
 * limit of `view.model.modelId`, or the pooled limit over all runs for an unknown model.
 *
 * @param runs - past runs; see {@link HistoryRun}.
 * @param options - percentile (default 0.75), resolved runs only, reminders.
 * @returns the budget, with the limits it chose.
 * @example
 * ```ts
 * const budget = fromHistory(runs, { percentile: 0.75 });
 * budget.limits['gemini-3-pro-preview']; // e.g. 46
 * const controller = createController({ budget });
 * ```
 */
export function fromHistory(
  runs: readonly HistoryRun[],
  options: FromHistoryOptions = {},
): HistoryTurnBudget {
  const p = options.percentile ?? 0.75;
  if (!(p > 0 && p <= 1)) {
    throw new InvalidOptionsError(
      'percentile',
      `percentile is ${String(p)}; use a share in (0, 1], e.g. 0.75 for the 75th percentile.`,
    );
  }
  const used = runs.filter(
    (run) =>
      Number.isFinite(run.turns) &&
      run.turns > 0 &&
      (!options.resolvedOnly || run.resolved === true),
  );
  if (used.length === 0) {
    throw new InvalidOptionsError(
      'runs',
      `fromHistory() found no usable run among ${runs.length}${options.resolvedOnly ? ' (resolved only)' : ''}; pass runs as { model, turns, resolved? } with turns > 0.`,
    );
  }
  const byModel = new Map<string, number[]>();
  for (const run of used) {
    const list = byModel.get(run.model) ?? [];
    list.push(run.turns);
    byModel.set(run.model, list);
  }
  const limits: Record<string, number> = {};
  for (const [model, turns] of byModel) limits[model] = Math.ceil(percentile(turns, p));
  const pooledLimit = Math.ceil(
    percentile(
      used.map((run) => run.turns),
      p,
    ),
  );
  const name = options.name ?? 'turn-budget';
  const budgets = new Map<number, Controller>();
  const budgetFor = (limit: number) => {
    let budget = budgets.get(limit);
    if (budget === undefined) {
      budget = createTurnBudget({
        mode: 'fixed',
        limit,
        name,
        ...(options.reminder === undefined ? {} : { reminder: options.reminder }),
      });
      budgets.set(limit, budget);
    }
    return budget;
  };
  return {
    name,
    limits,
    pooledLimit,
    percentile: p,
    open(context): ControllerSession {
      let session: ControllerSession | undefined;
      const sessionFor = (modelId: string) => {
        session ??= budgetFor(limits[modelId] ?? pooledLimit).open(context);
        return session;
      };
      return {
        beforeModel: (view) => sessionFor(view.model.modelId).beforeModel?.(view),
        snapshot: () => session?.snapshot?.(),
      };
    },
  };
}
