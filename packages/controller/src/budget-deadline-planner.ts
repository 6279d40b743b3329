import type { Controller, ControllerSession, Directive, RunView } from '@reins/core';
import { InvalidOptionsError } from '@reins/core';
import { readState } from './errors/controller-state-error.js';
import {
  choosePlanAction,
  defaultPlanEstimateOptions,
  estimatePlanActions,
  type PlanActionEstimate,
  type PlanState,
} from './estimate-plan-actions.js';
import type { PlanAction, PlanOutcome } from './plan-action.js';
import { createRandom } from './seeded-random.js';

/** Options of {@link createBudgetDeadlinePlanner}. */
export interface BudgetDeadlinePlannerOptions {
  /** The run's cost cap, in US dollars (read against `view.usage.costUsd`). */
  readonly capUsd: number;
  /** The run's deadline, in milliseconds from its start on the loop's clock. */
  readonly deadlineMs: number;
  /** The choices, at least one, with distinct names. */
  readonly actions: readonly PlanAction[];
  /** Past runs under these actions: what the estimates draw from. */
  readonly history: readonly PlanOutcome[];
  /** The kind of a run's task (e.g. its repository), to estimate from past runs of that kind. */
  readonly kindOf?: (task: string) => string | undefined;
  /**
   * Monte Carlo draws per action and plan.
   * @defaultValue 1000
   */
  readonly samples?: number;
  /**
   * Past runs of the run's kind an action needs before its estimate uses only them.
   * @defaultValue 20
   */
  readonly minKindSamples?: number;
  /**
   * Seed of the draws; each plan draws from `createRandom(seed + turn)`, so a resumed run plans
   * as the uninterrupted one would.
   * @defaultValue 1
   */
  readonly seed?: number;
  /**
   * Plan again every this many model calls (and at the first).
   * @defaultValue 1
   */
  readonly replanEveryTurns?: number;
  /**
   * Told to the model (appended to history) when the chosen action changes and limits the
   * tools; `{tools}` is replaced by their names; `false` for no message.
   * @defaultValue `'For the rest of this task, use only these tools: {tools}.'`
   */
  readonly notice?: string | false;
  /** @defaultValue `'planner'` */
  readonly name?: string;
}

/** Defaults of {@link BudgetDeadlinePlannerOptions}. */
export const defaultBudgetDeadlinePlannerOptions = Object.freeze({
  name: 'planner',
  samples: defaultPlanEstimateOptions.samples,
  minKindSamples: defaultPlanEstimateOptions.minKindSamples,
  seed: 1,
  replanEveryTurns: 1,
  notice: 'For the rest of this task, use only these tools: {tools}.',
});

interface PlannerState {
  readonly version: 1;
  readonly action: string | null;
  readonly plannedAtTurn: number | null;
}

function positive(field: string, value: unknown, expected: string): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0))
    throw new InvalidOptionsError(
      field,
      `createBudgetDeadlinePlanner() ${field} is ${String(value)}; use ${expected}.`,
    );
}

function checkOptions(options: BudgetDeadlinePlannerOptions): void {
  positive('capUsd', options?.capUsd, 'a positive number of US dollars');
  positive('deadlineMs', options.deadlineMs, 'a positive number of milliseconds');
  if (!Array.isArray(options.actions) || options.actions.length === 0)
    throw new InvalidOptionsError(
      'actions',
      'createBudgetDeadlinePlanner() needs at least one action: actions: [{ name, settings?, tools? }].',
    );
  const names = new Set<string>();
  for (const action of options.actions) {
    if (typeof action?.name !== 'string' || action.name === '' || names.has(action.name))
      throw new InvalidOptionsError(
        'actions',
        `Action name ${JSON.stringify(action?.name)} is empty or repeated; give each action a distinct name.`,
      );
    names.add(action.name);
  }
  if (!Array.isArray(options.history))
    throw new InvalidOptionsError(
      'history',
      'createBudgetDeadlinePlanner() history is not an array; give past runs as [{ action, costUsd, seconds, turns, succeeded }].',
    );
  options.history.forEach((outcome, index) => {
    const problem = findOutcomeProblem(outcome, names);
    if (problem !== undefined)
      throw new InvalidOptionsError('history', `history[${index}] ${problem}`);
  });
  for (const name of names) {
    if (!options.history.some((outcome) => outcome.action === name))
      throw new InvalidOptionsError(
        'history',
        `No past run used action '${name}', so nothing estimates it; add its runs to history or drop the action.`,
      );
  }
  for (const [field, value] of [
    ['samples', options.samples],
    ['replanEveryTurns', options.replanEveryTurns],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      throw new InvalidOptionsError(
        field,
        `createBudgetDeadlinePlanner() ${field} is ${String(value)}; use a whole number ≥ 1.`,
      );
  }
  if (
    options.minKindSamples !== undefined &&
    !(Number.isInteger(options.minKindSamples) && options.minKindSamples >= 0)
  )
    throw new InvalidOptionsError(
      'minKindSamples',
      `createBudgetDeadlinePlanner() minKindSamples is ${String(options.minKindSamples)}; use a whole number ≥ 0.`,
    );
}

function findOutcomeProblem(outcome: PlanOutcome, names: ReadonlySet<string>): string | undefined {
  if (!names.has(outcome?.action))
    return `names action ${JSON.stringify(outcome?.action)}, which is not one of the actions (${[...names].join(', ')}).`;
  for (const field of ['costUsd', 'seconds'] as const) {
    const value = outcome[field];
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0))
      return `has ${field} ${String(value)}; use a finite number ≥ 0.`;
  }
  if (!(Number.isInteger(outcome.turns) && outcome.turns >= 1))
    return `has turns ${String(outcome.turns)}; use a whole number of model calls ≥ 1.`;
  if (typeof outcome.succeeded !== 'boolean')
    return `has succeeded ${String(outcome.succeeded)}; use true or false.`;
  return undefined;
}

/**
 * Creates a planner for runs with both a cost cap and a deadline ("On Time, Within Budget",
 * MCPP): before model calls it estimates, by Monte Carlo over past runs
 * ({@link estimatePlanActions}), each action's chance of finishing the task within what is left
 * of the cap and the time, chooses the best ({@link choosePlanAction}), and plans again as money
 * and time are spent. The chosen action is applied through directives: its settings on every
 * model call (`model-settings`), its tools by denying calls to any other (`beforeTool`), and a
 * `plan.chosen` event with the estimates whenever the choice changes.
 *
 * It chooses; it does not enforce. Put it with `createCostBudget` and `createDeadlineBudget`,
 * which stop the run at the limits. Spent money is `view.usage.costUsd`, so the backend must
 * price its calls (`price` of the OpenAI-compatible backend, `cost` of the LangChain middleware).
 *
 * @param options - the limits, the actions, past runs and the draws.
 * @returns a {@link Controller} for `createController({ budget })`.
 * @example
 * ```ts
 * const planner = createBudgetDeadlinePlanner({
 *   capUsd: 5,
 *   deadlineMs: 20 * 60_000,
 *   actions: [{ name: 'thorough' }, { name: 'brief', settings: { maxTokens: 1024 }, tools: ['run'] }],
 *   history,
 * });
 * const controller = createController({ budget: [planner, createDeadlineBudget({ deadlineMs: 20 * 60_000 })] });
 * ```
 */
export function createBudgetDeadlinePlanner(options: BudgetDeadlinePlannerOptions): Controller {
  checkOptions(options);
  const settings = { ...defaultBudgetDeadlinePlannerOptions, ...options };
  const { name, actions, history, capUsd, deadlineMs } = settings;
  const byName = new Map(actions.map((action) => [action.name, action]));
  return {
    name,
    open(context): ControllerSession {
      const saved = readState<PlannerState>(name, context.state, 1);
      let current: PlanAction | undefined =
        saved?.action === null || saved?.action === undefined
          ? undefined
          : byName.get(saved.action);
      let plannedAtTurn: number | undefined = saved?.plannedAtTurn ?? undefined;
      const kind = options.kindOf?.(context.task);

      const plan = (view: RunView): Directive[] => {
        const state: PlanState = {
          capUsd,
          deadlineSeconds: deadlineMs / 1000,
          spentUsd: view.usage.costUsd,
          elapsedSeconds: Math.max(0, view.now - view.startedAt) / 1000,
          turnsDone: view.turn,
          ...(kind === undefined ? {} : { kind }),
        };
        const estimates = estimatePlanActions(history, actions, state, {
          random: createRandom(settings.seed + view.turn),
          samples: settings.samples,
          minKindSamples: settings.minKindSamples,
        });
        const chosen = choosePlanAction(estimates);
        plannedAtTurn = view.turn;
        const previous = current;
        current = byName.get(chosen.action) as PlanAction;
        if (previous?.name === current.name) return [];
        const directives: Directive[] = [chosenEvent(name, chosen, estimates, state, previous)];
        if (current.tools !== undefined && settings.notice !== false)
          directives.push({
            type: 'inject',
            role: 'user',
            content: settings.notice.replaceAll('{tools}', current.tools.join(', ')),
            ephemeral: false,
            source: name,
          });
        return directives;
      };

      return {
        beforeModel(view) {
          const due =
            current === undefined ||
            plannedAtTurn === undefined ||
            view.turn - plannedAtTurn >= settings.replanEveryTurns;
          const directives = due ? plan(view) : [];
          if (current?.settings !== undefined)
            directives.push({ type: 'model-settings', settings: current.settings, source: name });
          return directives.length > 0 ? directives : undefined;
        },
        beforeTool(_view, call) {
          const allowed = current?.tools;
          if (allowed === undefined || allowed.includes(call.name)) return undefined;
          return [
            {
              type: 'deny',
              reason: `the plan '${current?.name}' leaves only these tools: ${allowed.join(', ')}.`,
              source: name,
            },
          ];
        },
        snapshot: (): PlannerState => ({
          version: 1,
          action: current?.name ?? null,
          plannedAtTurn: plannedAtTurn ?? null,
        }),
      };
    },
  };
}

function chosenEvent(
  policy: string,
  chosen: PlanActionEstimate,
  estimates: readonly PlanActionEstimate[],
  state: PlanState,
  previous: PlanAction | undefined,
): Directive {
  const evidence: Record<string, string | number | boolean | null> = {
    action: chosen.action,
    previous: previous?.name ?? null,
    spentUsd: state.spentUsd,
    capUsd: state.capUsd,
    elapsedSeconds: state.elapsedSeconds,
    deadlineSeconds: state.deadlineSeconds,
    turnsDone: state.turnsDone,
  };
  for (const estimate of estimates) {
    evidence[`pOnTime.${estimate.action}`] = estimate.pOnTime;
    evidence[`meanRemainingUsd.${estimate.action}`] = estimate.meanRemainingUsd;
    evidence[`pool.${estimate.action}`] = estimate.pool;
  }
  const message =
    previous === undefined
      ? `Plan: '${chosen.action}', with a ${(chosen.pOnTime * 100).toFixed(1)}% chance of finishing within the cap and the deadline.`
      : `Plan changed from '${previous.name}' to '${chosen.action}' (${(chosen.pOnTime * 100).toFixed(1)}% chance of finishing within the cap and the deadline).`;
  return { type: 'emit', event: { name: 'plan.chosen', policy, message, evidence } };
}
