import {
  createController,
  createDriftMonitor,
  createInterventionPolicy,
  createOverthinkingMonitor,
  createStuckMonitor,
  driftWindowFor,
  type HandoffClassifier,
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
  /**
   * Which actions the drift monitor counts as hand-offs.
   * @defaultValue `isHandoffTool` (named hand-off tools)
   */
  readonly isHandoff?: HandoffClassifier;
}

/**
 * The controller `reins evaluate` and `reins report` replay: the policy (turn budget and
 * predicted-failure scorer) as the budget of a `createController`, with the monitors of
 * `@reins/controller` reporting what they see and an intervention policy with no ladders, so
 * that findings are recorded but never acted on. The drift windows are scaled to the policy's
 * default turn limit (`driftWindowFor`), so that drift can be reported within the runs it
 * replays.
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
    monitors: [
      createStuckMonitor(),
      createDriftMonitor({
        window: driftWindowFor(policy.budgets.turns.default.maxTurns),
        ...(options.isHandoff === undefined ? {} : { isHandoff: options.isHandoff }),
      }),
      createOverthinkingMonitor(),
    ],
    interventions: createInterventionPolicy({ escalation: {} }),
    hints: false,
  });
}
