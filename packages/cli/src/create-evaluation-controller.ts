import {
  createController,
  createDriftMonitor,
  createInterventionPolicy,
  createOverthinkingMonitor,
  createStuckMonitor,
} from '@reins/controller';
import type { Controller } from '@reins/core';
import { createPolicyController, type Policy } from '@reins/trajectories';

/** Options of {@link createEvaluationController}. */
export interface EvaluationControllerOptions {
  /**
   * Watch the runs with the stuck, drift and overthinking monitors too. They only report (their
   * findings appear as firings); the policy alone decides stops, so the numbers are the policy's.
   * @defaultValue true
   */
  readonly monitors?: boolean;
}

/**
 * The controller `reins evaluate` and `reins report` replay: the policy (turn budget and
 * predicted-failure scorer) as the budget of a `createController`, with the monitors of
 * `@reins/controller` reporting what they see and an intervention policy with no ladders, so
 * that findings are recorded but never acted on.
 * @example
 * ```ts
 * const report = await evaluateController(runs, createEvaluationController(policy));
 * ```
 */
export function createEvaluationController(
  policy: Policy,
  options: EvaluationControllerOptions = {},
): Controller {
  const decide = createPolicyController(policy);
  if (options.monitors === false) return decide;
  return createController({
    name: decide.name,
    budget: decide,
    monitors: [createStuckMonitor(), createDriftMonitor(), createOverthinkingMonitor()],
    interventions: createInterventionPolicy({ escalation: {} }),
    hints: false,
  });
}
