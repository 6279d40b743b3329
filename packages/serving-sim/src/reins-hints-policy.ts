import {
  createKvPinAdvisor,
  createPressureAwareTtlRule,
  createToolDurationPredictor,
  type PressureAwareTtlRuleOptions,
  type ProgramPinAdvisor,
  type ToolDurationSample,
} from '@reins/controller';
import type { ServerParameters } from './server-parameters.js';
import { llama8bOnOneH100 } from './serving-configuration.js';
import type { ServingPolicy } from './serving-policy.js';

/** The rule settings a Reins client may tune (the server's figures come from `server`). */
export type ReinsRuleSettings = Pick<
  PressureAwareTtlRuleOptions,
  'memoryPriceMs' | 'freeBelowKvUsage' | 'maxTtlMs' | 'orderingBenefitMs'
>;

/** Options of {@link createReinsHintsPolicy}. */
export interface ReinsHintsPolicyOptions {
  /** The server, for the rule's reload and memory costs. @defaultValue `llama8bOnOneH100` */
  readonly server?: ServerParameters;
  /** Durations the client saw before the simulated run. @defaultValue none */
  readonly seedSamples?: readonly ToolDurationSample[];
  /** Calls per run of the client's past runs, for the turns remaining. @defaultValue none */
  readonly pastTurnCounts?: readonly number[];
  /** Rule settings. @defaultValue the rule's defaults */
  readonly rule?: ReinsRuleSettings;
  /** Weight of all programs' durations against this program's own. @defaultValue 2 */
  readonly sharedWeight?: number;
}

/**
 * The server following Reins' hints: program-level FCFS by the hinted priority (program arrival)
 * and, per response, the pin and TTL that `createKvPinAdvisor` of `@reins/controller` decides
 * from what the client knows: the tool the response called and its durations in this program
 * and in past runs, the turns likely to remain, whether the step is the last, and the server's
 * load as its metrics show it; the rule is `createPressureAwareTtlRule` with the server's
 * prefill costs and capacity.
 *
 * @param options - server, seed durations, past run lengths, rule settings.
 * @returns the policy, named `reins`.
 * @example
 * ```ts
 * simulate({ programs, policy: createReinsHintsPolicy({ seedSamples, pastTurnCounts }) });
 * ```
 */
export function createReinsHintsPolicy(options: ReinsHintsPolicyOptions = {}): ServingPolicy {
  const server = options.server ?? llama8bOnOneH100;
  const predictor = createToolDurationPredictor();
  predictor.seed(options.seedSamples ?? []);
  const advisor = createKvPinAdvisor({
    predictor,
    rule: createPressureAwareTtlRule({
      prefillTokensPerSecond: 1000 / server.prefillMsPerToken,
      attentionMsPerTokenPerContextToken: server.prefillMsPerTokenPerContextToken ?? 0,
      capacityTokens: server.capacityTokens,
      ...options.rule,
    }),
    ...(options.pastTurnCounts === undefined ? {} : { pastTurnCounts: options.pastTurnCounts }),
    ...(options.sharedWeight === undefined ? {} : { sharedWeight: options.sharedWeight }),
  });
  const programs = new Map<string, ProgramPinAdvisor>();
  const programOf = (id: string) => {
    let program = programs.get(id);
    if (program === undefined) {
      program = advisor.open();
      programs.set(id, program);
    }
    return program;
  };
  return {
    name: 'reins',
    scheduling: 'program-fcfs',
    pin({ program, turnIndex, contextTokens, isLastStep, pressure }) {
      const toolKey = program.turns[turnIndex]?.toolKey;
      const previousKey = turnIndex > 0 ? program.turns[turnIndex - 1]?.toolKey : undefined;
      const decision = programOf(program.id).decide({
        ...(toolKey === undefined ? {} : { toolKey }),
        ...(previousKey === undefined ? {} : { previousKey }),
        contextTokens,
        turn: turnIndex + 1,
        isLastStep,
        pressure,
      });
      if (isLastStep) programs.delete(program.id);
      return decision;
    },
    observeTool(program, turnIndex, durationMs) {
      const key = program.turns[turnIndex]?.toolKey;
      if (key === undefined) return;
      const previousKey = turnIndex > 0 ? program.turns[turnIndex - 1]?.toolKey : undefined;
      programOf(program.id).observeTool(key, durationMs, previousKey);
    },
  };
}
