import type { ModelCallSettings } from '@reins/core';

/**
 * One choice a budget-and-deadline planner can make for the rest of a run: settings for every
 * model call while it is chosen (a `model-settings` directive) and the tools the model may call
 * (calls to any other tool are denied).
 *
 * @example
 * ```ts
 * const quick: PlanAction = { name: 'quick', settings: { maxTokens: 1024 }, tools: ['read_file', 'run'] };
 * ```
 */
export interface PlanAction {
  /** Names the action in the history and in events; unique among a planner's actions. */
  readonly name: string;
  /** Settings of every model call while this action is chosen. */
  readonly settings?: ModelCallSettings;
  /**
   * The tools the model may call while this action is chosen; calls to others are denied with
   * a reason naming these. Omit it to leave every tool available. List the tools other parts of
   * the controller answer (e.g. `request_extension`) too, or they are denied as well.
   */
  readonly tools?: readonly string[];
}

/**
 * How one past run under one action ended: what the planner's Monte Carlo estimates draw from.
 *
 * @example
 * ```ts
 * const outcome: PlanOutcome = { action: 'quick', costUsd: 1.2, seconds: 340, turns: 41, succeeded: true, kind: 'django' };
 * ```
 */
export interface PlanOutcome {
  /** The {@link PlanAction} the run used. */
  readonly action: string;
  /** What the whole run cost, in US dollars. */
  readonly costUsd: number;
  /** How long the whole run took, in seconds. */
  readonly seconds: number;
  /** Model calls the run made (at least 1). */
  readonly turns: number;
  /** Whether the run solved its task. */
  readonly succeeded: boolean;
  /** The run's kind of task (e.g. its repository), to estimate from runs of the same kind. */
  readonly kind?: string;
}
