import { createTurnFeatureExtractor, readFeatureTurns, turnFeatureNames } from '@reins/controller';
import type { Controller, Directive } from '@reins/core';
import { predictProbability } from './logistic-regression.js';
import { normalizeModelId } from './normalize-model-id.js';
import type { Policy } from './policy.js';

/** Options of {@link createPolicyController}. */
export interface PolicyControllerOptions {
  /**
   * Enforce the calibrated turn budget (per model when the policy has one for the run's model).
   * @defaultValue true
   */
  readonly turnBudget?: boolean;
  /**
   * Stop runs the scorer predicts to fail.
   * @defaultValue true
   */
  readonly scorer?: boolean;
}

/**
 * A `Controller` that applies a calibrated policy: a turn budget and the predicted-failure
 * scorer. Before each model call it reads only the turns completed since its last call, updates
 * the scorer's features and stops the run (`predicted-failure`, with a `failure.predicted`
 * event carrying the score) when the score reaches the threshold, or (`turn-budget`) when the
 * budget is used (the budget of the run's model, its name normalised as calibration did). It is what evaluation replays; `@reins/controller` composes the same policy
 * with its other monitors.
 *
 * @param policy - a policy from `calibratePolicy` or `readPolicy`.
 * @param options - which parts to apply.
 * @returns the controller.
 * @example
 * ```ts
 * const controller = createPolicyController(await readPolicy('policy.json'));
 * const report = await evaluateController(trajectories, controller);
 * ```
 */
export function createPolicyController(
  policy: Policy,
  options: PolicyControllerOptions = {},
): Controller {
  const useBudget = options.turnBudget ?? true;
  const scorer = options.scorer === false ? undefined : policy.scorer;
  // The scorer reads its features by name, so a policy keeps working as the feature list grows.
  const columns = scorer?.features.map((feature) => turnFeatureNames.indexOf(feature)) ?? [];
  const name = 'reins-policy';
  return {
    name,
    open: () => {
      const extractor = createTurnFeatureExtractor();
      let cursor = 0;
      let latest: number[] | undefined;
      return {
        beforeModel(view) {
          if (view.messages.length < cursor) cursor = view.messages.length;
          const { turns, next } = readFeatureTurns(view.messages, cursor);
          cursor = next;
          for (const turn of turns) latest = extractor.add(turn);
          if (useBudget) {
            const model = normalizeModelId(view.model.modelId, policy.modelAliases);
            const budget = policy.budgets.turns.perModel[model] ?? policy.budgets.turns.default;
            if (view.turn >= budget.maxTurns + view.grantedTurns) {
              return [
                {
                  type: 'stop',
                  reason: 'turn-budget',
                  message: `The turn budget of ${budget.maxTurns} turns is used.`,
                  source: name,
                  evidence: { turn: view.turn, maxTurns: budget.maxTurns },
                },
              ];
            }
          }
          if (scorer === undefined || latest === undefined || extractor.turns < scorer.minTurn)
            return undefined;
          const vector = latest;
          const score = predictProbability(
            scorer,
            columns.map((column) => vector[column] as number),
          );
          if (score < scorer.threshold) return undefined;
          const evidence = { turn: view.turn, score, threshold: scorer.threshold };
          const directives: Directive[] = [
            {
              type: 'emit',
              event: {
                name: 'failure.predicted',
                policy: 'predicted-failure',
                message: `The run is predicted to fail (score ${score.toFixed(3)} ≥ ${scorer.threshold.toFixed(3)}).`,
                evidence,
              },
            },
            {
              type: 'stop',
              reason: 'predicted-failure',
              message: 'Stopped: the run is predicted to fail.',
              source: name,
              evidence,
            },
          ];
          return directives;
        },
      };
    },
  };
}
