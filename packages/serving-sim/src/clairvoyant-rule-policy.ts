import { createPressureAwareTtlRule, fromSortedSamples } from '@reins/controller';
import type { ReinsRuleSettings } from './reins-hints-policy.js';
import type { ServerParameters } from './server-parameters.js';
import { llama8bOnOneH100 } from './serving-configuration.js';
import type { ServingPolicy } from './serving-policy.js';

/** Options of {@link createClairvoyantRulePolicy}. */
export interface ClairvoyantRulePolicyOptions {
  /** @defaultValue `llama8bOnOneH100` */
  readonly server?: ServerParameters;
  /** The same rule settings as the Reins policy compared with it. */
  readonly rule?: ReinsRuleSettings;
}

/**
 * Reins' rule told each pause's true length and each program's true number of remaining calls
 * (read from the workload, which no real client or server can), one of the oracle's
 * candidates: it pins for exactly the pause (plus the rule's margin) when the recompute it saves
 * outweighs the memory it holds under the current load.
 *
 * @param options - server and rule settings.
 * @returns the policy, named `clairvoyantRule`.
 * @example
 * ```ts
 * simulate({ programs, policy: createClairvoyantRulePolicy() });
 * ```
 */
export function createClairvoyantRulePolicy(
  options: ClairvoyantRulePolicyOptions = {},
): ServingPolicy {
  const server = options.server ?? llama8bOnOneH100;
  const rule = createPressureAwareTtlRule({
    prefillTokensPerSecond: 1000 / server.prefillMsPerToken,
    attentionMsPerTokenPerContextToken: server.prefillMsPerTokenPerContextToken ?? 0,
    capacityTokens: server.capacityTokens,
    ...options.rule,
  });
  return {
    name: 'clairvoyantRule',
    scheduling: 'program-fcfs',
    pin({ program, turnIndex, contextTokens, isLastStep, pressure }) {
      const pauseMs = program.turns[turnIndex]?.pauseMs ?? 0;
      return rule.decide({
        pause: fromSortedSamples([pauseMs], 'fixed'),
        contextTokens,
        isLastStep,
        remainingTurns: program.turns.length - turnIndex - 1,
        pressure,
      });
    },
  };
}
