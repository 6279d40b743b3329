import {
  createCostBenefitTtlRule,
  createToolDurationPredictor,
  type ToolDurationPredictor,
  type TtlRule,
} from '@reins/controller';
import { llama70bOnFourH100, type ServerParameters } from './server-parameters.js';
import type { ServingPolicy } from './serving-policy.js';

/** Options of {@link createReinsHintsPolicy}. */
export interface ReinsHintsPolicyOptions {
  /** The client's predictor (seed it from other recorded runs). @defaultValue an empty one */
  readonly predictor?: ToolDurationPredictor;
  /** @defaultValue the cost-benefit rule with the server's prefill rate and capacity */
  readonly rule?: TtlRule;
  /** The server, for the default rule's reload and memory costs. @defaultValue `llama70bOnFourH100` */
  readonly server?: ServerParameters;
  /** Expected calls per program. @defaultValue 36 */
  readonly expectedTurns?: number;
}

/**
 * The server following Reins' hints: program-level FCFS by the hinted priority (program arrival)
 * and, per response, the pin and TTL the client chose *before* sending the request, from what a
 * Reins controller knows then: the tool that ran last (not the one about to run), the durations
 * seen so far, and the context size.
 *
 * @param options - predictor, rule, server parameters.
 * @returns the policy.
 * @example
 * ```ts
 * const predictor = createToolDurationPredictor();
 * predictor.seed(samplesFromOtherRuns);
 * simulate({ programs, policy: createReinsHintsPolicy({ predictor }) });
 * ```
 */
export function createReinsHintsPolicy(options: ReinsHintsPolicyOptions = {}): ServingPolicy {
  const server = options.server ?? llama70bOnFourH100;
  const predictor = options.predictor ?? createToolDurationPredictor();
  const rule =
    options.rule ??
    createCostBenefitTtlRule({
      prefillTokensPerSecond: 1000 / server.prefillMsPerToken,
      memoryCostPerTokenSecondMs: 1000 / server.capacityTokens,
    });
  const expectedTurns = options.expectedTurns ?? 36;
  return {
    name: 'reins-hints',
    scheduling: 'program-fcfs',
    pin({ program, turnIndex, contextTokens, isLastStep }) {
      const previousKey = turnIndex > 0 ? program.turns[turnIndex - 1]?.toolKey : undefined;
      return rule.decide({
        pause: predictor.predictNext(previousKey),
        contextTokens,
        isLastStep,
        remainingTurns: isLastStep ? 0 : Math.max(1, expectedTurns - turnIndex - 1),
      });
    },
    observeTool(program, turnIndex, durationMs) {
      const key = program.turns[turnIndex]?.toolKey;
      if (key === undefined) return;
      const previousKey = turnIndex > 0 ? program.turns[turnIndex - 1]?.toolKey : undefined;
      predictor.observe({
        key,
        durationMs,
        ...(previousKey === undefined ? {} : { previousKey }),
      });
    },
  };
}
