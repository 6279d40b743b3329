import type {
  ControllerOpenContext,
  Directive,
  Message,
  RunView,
  SchedulingHints,
  ToolResult,
} from '@reins/core';
import { InvalidOptionsError } from '@reins/core';
import {
  type AnthropicCachePrices,
  type AnthropicCacheTtlChoice,
  chooseAnthropicCacheTtl,
} from './anthropic-cache-ttl.js';
import { createContinuumTtlRule } from './continuum-ttl-rule.js';
import { createCostBenefitTtlRule } from './cost-benefit-ttl-rule.js';
import type { DurationDistribution } from './duration-distribution.js';
import type { HintsSession, SessionHintsPolicy } from './hints-session.js';
import { chooseKeepWarmRefresh, type KeepWarmRefreshChoice } from './keep-warm-refresh.js';
import { createKvPinAdvisor } from './kv-pin-advisor.js';
import {
  createPressureAwareTtlRule,
  type PressureAwareTtlRuleOptions,
} from './pressure-aware-ttl-rule.js';
import {
  createToolDurationPredictor,
  type ToolDurationPredictor,
} from './tool-duration-predictor.js';
import { type ToolKeyOptions, toToolKey } from './tool-key.js';
import type { ServerLoad, TtlDecision, TtlRule } from './ttl-rule.js';

/** Options of {@link createKvCacheHintsPolicy}. */
export interface KvCacheHintsOptions {
  /**
   * The tool-duration predictor, shared by every run of this policy (seed it from recorded runs).
   * @defaultValue a new `createToolDurationPredictor()`
   */
  readonly predictor?: ToolDurationPredictor;
  /**
   * How TTL and pin are chosen: `'reins'` (`createKvPinAdvisor` with
   * `createPressureAwareTtlRule`: this run's own tool durations, past run lengths and the
   * server's load from `serverLoad`), `'cost-benefit'` (Continuum's paper rule),
   * `'continuum'` (Continuum's public fixed-TTL rule) or any {@link TtlRule}.
   * @defaultValue `'cost-benefit'`
   */
  readonly rule?: 'reins' | 'cost-benefit' | 'continuum' | TtlRule;
  /** With `rule: 'reins'`: the rule's server figures and settings. @defaultValue its defaults */
  readonly reinsRule?: PressureAwareTtlRuleOptions;
  /**
   * With `rule: 'reins'`: the server's load now, e.g. the last poll of vLLM's `/metrics`
   * (`vllm:kv_cache_usage_perc`, `vllm:num_requests_waiting`); unknown load counts as full.
   */
  readonly serverLoad?: () => ServerLoad | undefined;
  /** With `rule: 'reins'`: calls per past run, for the turns remaining. */
  readonly pastTurnCounts?: readonly number[];
  /**
   * Model calls a run is expected to make, for the turns remaining (36 is the median of the
   * recorded mini-swe-agent runs).
   * @defaultValue 36
   */
  readonly expectedTurns?: number;
  /** The run's turn limit, when it has one: the call at the limit is its last step. */
  readonly turnLimit?: number;
  /** Tells a last step apart; overrides `turnLimit`. */
  readonly isLastStep?: (view: RunView) => boolean;
  /**
   * Choose Anthropic's 5-minute or 1-hour cache TTL per request (`ttlMs` 300 000 or 3 600 000,
   * which `fromLangChainModel` maps to `cache_control.ttl`) instead of a server-side pin.
   */
  readonly anthropic?: AnthropicCachePrices;
  /**
   * With `anthropic`: after each response, weigh a keep-warm refresh before the cache expires
   * during a long expected pause (`chooseKeepWarmRefresh`), and report it in the
   * `hints.computed` event (`keepWarmRefresh`, `keepWarmRefreshAtMs`, its expected cost and
   * saving). Sending the refresh is the caller's: the event says when. `marginMs` is how long
   * before expiry it is sent.
   * @defaultValue false
   */
  readonly keepWarm?: boolean | { readonly marginMs?: number };
  /** Which tools are shell tools, for tool keys. */
  readonly toolKeys?: ToolKeyOptions;
  /**
   * Characters per token, for estimating the tokens of tool output added to the context.
   * @defaultValue 4
   */
  readonly charsPerToken?: number;
}

/** The documented defaults of {@link createKvCacheHintsPolicy}. */
export const defaultKvCacheHintsOptions = {
  rule: 'cost-benefit',
  expectedTurns: 36,
  charsPerToken: 4,
} as const;

const policyName = 'kv-cache-hints';

function toRule(rule: KvCacheHintsOptions['rule'], options: KvCacheHintsOptions): TtlRule {
  if (rule === 'reins') return createPressureAwareTtlRule(options.reinsRule);
  if (rule === undefined || rule === 'cost-benefit') return createCostBenefitTtlRule();
  if (rule === 'continuum') return createContinuumTtlRule();
  if (typeof rule === 'object' && rule !== null && typeof rule.decide === 'function') return rule;
  throw new InvalidOptionsError(
    'rule',
    `rule must be 'reins', 'cost-benefit', 'continuum' or an object with decide(input); got ${JSON.stringify(rule)}.`,
  );
}

/** The text of a tool's result that the next prompt carries. */
function resultText(result: ToolResult): string {
  if (result.status === 'ok') return result.output;
  return result.status === 'error' ? result.error.message : result.reason;
}

/**
 * Characters of a message that the prompt carries: its text, its tool calls' arguments, a tool's
 * result (an assistant's reasoning is not sent back).
 */
function promptCharacters(message: Message): number {
  if (message.role === 'tool') return resultText(message.result).length;
  let characters = message.content.length;
  if (message.role === 'assistant')
    for (const call of message.toolCalls) characters += call.arguments.length;
  return characters;
}

/**
 * KV-cache-aware scheduling hints. Per model request: the run as program id and cache key, the
 * turn, whether it is likely the last step, the expected pause after the response (the next
 * tool's duration, predicted from the tool that ran last and the durations seen so far), a TTL
 * and pin decision by the chosen rule, and the run's start time as priority (program-level
 * first-come-first-served). With `anthropic` prices the TTL is Anthropic's 5 minutes or 1 hour,
 * whichever costs less in expectation.
 *
 * Each choice is reported after the call as a `hints.computed` event with its expected saving
 * and cost; each tool's duration is learned under its key (`bash:pytest`).
 *
 * @param options - predictor, rule, expected turns, last-step detection, hosted prices.
 * @returns a policy for `createController({ hints })`.
 * @throws {InvalidOptionsError} for an unknown rule or a non-positive `expectedTurns`.
 * @example
 * ```ts
 * const predictor = createToolDurationPredictor();
 * predictor.seed(recordedDurations);
 * const controller = createController({
 *   hints: createKvCacheHintsPolicy({ predictor, rule: 'cost-benefit', turnLimit: 60 }),
 * });
 * ```
 */
export function createKvCacheHintsPolicy(options: KvCacheHintsOptions = {}): SessionHintsPolicy {
  const predictor = options.predictor ?? createToolDurationPredictor();
  const rule = toRule(options.rule, options);
  const expectedTurns = options.expectedTurns ?? defaultKvCacheHintsOptions.expectedTurns;
  if (!(expectedTurns > 0)) {
    throw new InvalidOptionsError(
      'expectedTurns',
      `expectedTurns must be > 0; got ${String(expectedTurns)}. Use the median turns of your past runs.`,
    );
  }
  const charsPerToken = options.charsPerToken ?? defaultKvCacheHintsOptions.charsPerToken;
  const advisor =
    options.rule === 'reins'
      ? createKvPinAdvisor({
          predictor,
          rule,
          expectedTurns,
          ...(options.pastTurnCounts === undefined
            ? {}
            : { pastTurnCounts: options.pastTurnCounts }),
        })
      : undefined;
  const isLastStep =
    options.isLastStep ??
    ((view: RunView) => options.turnLimit !== undefined && view.turn >= options.turnLimit);

  const open = (context: ControllerOpenContext): HintsSession => {
    const programAdvisor = advisor?.open();
    let previousKey: string | undefined;
    let contextTokens: number | undefined;
    let cachedTokens = 0;
    let chosen:
      | {
          turn: number;
          decision: TtlDecision;
          hosted?: AnthropicCacheTtlChoice;
          pauseMs: number;
          pause: DurationDistribution;
          remainingTurns: number;
        }
      | undefined;

    return {
      hints(view): SchedulingHints {
        const turn = Math.max(1, view.turn);
        const last = isLastStep(view);
        if (contextTokens === undefined) {
          let chars = 0;
          for (const message of view.messages) chars += promptCharacters(message);
          contextTokens = Math.ceil(chars / charsPerToken);
        }
        const pause =
          programAdvisor?.pauseAfter(undefined, previousKey) ?? predictor.predictNext(previousKey);
        const remainingTurns = last
          ? 0
          : (advisor?.remainingTurns(turn) ?? Math.max(1, expectedTurns - turn));
        const pressure = options.serverLoad?.();
        const decision =
          programAdvisor?.decide({
            ...(previousKey === undefined ? {} : { previousKey }),
            contextTokens,
            turn,
            isLastStep: last,
            ...(pressure === undefined ? {} : { pressure }),
          }) ??
          rule.decide({
            pause,
            contextTokens,
            isLastStep: last,
            remainingTurns,
          });
        const hosted =
          options.anthropic === undefined
            ? undefined
            : chooseAnthropicCacheTtl({
                promptTokens: contextTokens,
                uncachedTokens: Math.max(0, contextTokens - cachedTokens),
                pause,
                remainingTurns,
                prices: options.anthropic,
              });
        const pauseMs = Math.round(pause.mean);
        chosen = {
          turn,
          decision,
          pauseMs,
          pause,
          remainingTurns,
          ...(hosted === undefined ? {} : { hosted }),
        };
        return {
          programId: context.runId,
          turn,
          isLastStep: last,
          expectedPauseMs: pauseMs,
          ttlMs: hosted?.ttlMs ?? decision.ttlMs,
          pin: hosted === undefined ? decision.pin : false,
          priority: view.startedAt,
          cacheKey: context.runId,
        };
      },
      afterModel(_view, step): readonly Directive[] | undefined {
        contextTokens = step.usage.inputTokens + step.usage.outputTokens;
        cachedTokens = step.usage.inputTokens;
        if (chosen === undefined) return undefined;
        const { turn, decision, hosted, pauseMs, pause, remainingTurns } = chosen;
        chosen = undefined;
        const keepWarm: KeepWarmRefreshChoice | undefined =
          hosted === undefined || options.anthropic === undefined || !options.keepWarm
            ? undefined
            : chooseKeepWarmRefresh({
                ttlMs: hosted.ttlMs,
                promptTokens: step.usage.inputTokens,
                pause,
                remainingTurns,
                prices: options.anthropic,
                ...(typeof options.keepWarm === 'object' && options.keepWarm.marginMs !== undefined
                  ? { marginMs: options.keepWarm.marginMs }
                  : {}),
              });
        const message =
          hosted === undefined
            ? decision.pin
              ? `Turn ${turn}: pin the cache for ${Math.round(decision.ttlMs)} ms (${decision.rule}); expected pause ${pauseMs} ms.`
              : `Turn ${turn}: no pin (${decision.rule}); expected pause ${pauseMs} ms.`
            : `Turn ${turn}: Anthropic cache TTL ${hosted.ttl}; expected $${hosted.expectedUsd5m.toFixed(5)} with 5m, $${hosted.expectedUsd1h.toFixed(5)} with 1h.${
                keepWarm?.refresh === true
                  ? ` Keep warm: refresh ${keepWarm.refreshAtMs} ms after the response if the tool still runs (expected cost $${keepWarm.expectedCostUsd.toFixed(5)}, saving $${keepWarm.expectedSavingUsd.toFixed(5)}).`
                  : ''
              }`;
        return [
          {
            type: 'emit',
            event: {
              name: 'hints.computed',
              policy: policyName,
              message,
              evidence: {
                turn,
                rule: decision.rule,
                pin: hosted === undefined && decision.pin,
                ttlMs: hosted?.ttlMs ?? decision.ttlMs,
                expectedPauseMs: pauseMs,
                hitProbability: decision.hitProbability,
                expectedSavingMs: decision.expectedSavingMs,
                expectedCostMs: decision.expectedCostMs,
                anthropicTtl: hosted?.ttl ?? null,
                expectedUsd5m: hosted?.expectedUsd5m ?? null,
                expectedUsd1h: hosted?.expectedUsd1h ?? null,
                expectedSavingUsd: hosted?.expectedSavingUsd ?? null,
                keepWarmRefresh: keepWarm?.refresh ?? null,
                keepWarmRefreshAtMs: keepWarm?.refresh === true ? keepWarm.refreshAtMs : null,
                keepWarmExpectedCostUsd: keepWarm?.expectedCostUsd ?? null,
                keepWarmExpectedSavingUsd: keepWarm?.expectedSavingUsd ?? null,
              },
            },
          },
        ];
      },
      afterTool(_view, outcome) {
        const key = toToolKey(outcome.call.name, outcome.call.arguments, options.toolKeys);
        if (programAdvisor !== undefined)
          programAdvisor.observeTool(key, outcome.durationMs, previousKey);
        else
          predictor.observe({
            key,
            durationMs: outcome.durationMs,
            ...(previousKey === undefined ? {} : { previousKey }),
          });
        previousKey = key;
        // Before any count (a run resumed inside a turn) the next hints count the whole history,
        // this output included.
        if (contextTokens !== undefined)
          contextTokens += Math.ceil(
            (resultText(outcome.result).length + outcome.call.arguments.length) / charsPerToken,
          );
        return undefined;
      },
    };
  };

  return {
    open,
    hints(view) {
      return open({ runId: view.runId, task: view.task }).hints(view);
    },
  };
}
