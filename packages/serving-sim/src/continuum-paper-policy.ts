import {
  createCostBenefitTtlRule,
  createToolDurationPredictor,
  type ToolDurationSample,
} from '@reins/controller';
import type { ServerParameters } from './server-parameters.js';
import { llama8bOnOneH100 } from './serving-configuration.js';
import type { ServingPolicy } from './serving-policy.js';

/** Options of {@link createContinuumPaperPolicy}. */
export interface ContinuumPaperPolicyOptions {
  /** The server, for the reload and memory costs. @defaultValue `llama8bOnOneH100` */
  readonly server?: ServerParameters;
  /** Durations seen before the simulated run (the same every policy gets). @defaultValue none */
  readonly seedSamples?: readonly ToolDurationSample[];
  /** Calls per program, for the turns remaining. @defaultValue 36 */
  readonly expectedTurns?: number;
}

/**
 * Continuum's paper rule on the server: after a response it parses the tool call and takes that
 * tool's empirical duration CDF (the global CDF below 100 samples), then pins for the τ
 * maximising `P(pause ≤ τ) × reload × reuse(remaining turns) − τ × memory cost`
 * (`createCostBenefitTtlRule` with the server's prefill rate and `1000 / capacity` ms per
 * token-second); it learns every duration online; requests are ordered by program arrival.
 *
 * @param options - server, seed durations, expected calls per program.
 * @returns the policy, named `continuumPaper`.
 * @example
 * ```ts
 * simulate({ programs, policy: createContinuumPaperPolicy({ seedSamples }) });
 * ```
 */
export function createContinuumPaperPolicy(
  options: ContinuumPaperPolicyOptions = {},
): ServingPolicy {
  const server = options.server ?? llama8bOnOneH100;
  const expectedTurns = options.expectedTurns ?? 36;
  const predictor = createToolDurationPredictor();
  predictor.seed(options.seedSamples ?? []);
  const rule = createCostBenefitTtlRule({
    prefillTokensPerSecond: 1000 / server.prefillMsPerToken,
    memoryCostPerTokenSecondMs: 1000 / server.capacityTokens,
  });
  return {
    name: 'continuumPaper',
    scheduling: 'program-fcfs',
    pin({ program, turnIndex, contextTokens, isLastStep }) {
      const key = program.turns[turnIndex]?.toolKey;
      return rule.decide({
        pause: key === undefined ? predictor.global() : predictor.distribution(key),
        contextTokens,
        isLastStep,
        remainingTurns: isLastStep ? 0 : Math.max(1, expectedTurns - turnIndex - 1),
      });
    },
    observeTool(program, turnIndex, durationMs) {
      const key = program.turns[turnIndex]?.toolKey;
      if (key !== undefined) predictor.observe({ key, durationMs });
    },
  };
}
