import type {
  Controller,
  ControllerSession,
  Directive,
  Evidence,
  ModelCallEnd,
  RunView,
  Usage,
} from '@reins/core';
import { InvalidOptionsError } from '@reins/core';
import { type CostLedger, createCostLedger, microsPerUsd } from './cost-ledger.js';
import { readState } from './errors/controller-state-error.js';
import { MissingPriceError } from './errors/missing-price-error.js';
import { createMessageBytesCounter } from './message-bytes.js';
import {
  ceilMicros,
  costMicrosOf,
  findPriceProblem,
  type ModelPrice,
  type ModelPriceTable,
} from './model-price.js';

export { costOf } from './model-price.js';

/** Options of {@link createCostBudget}. Give `capUsd` or a shared `ledger`. */
export interface CostBudgetOptions {
  /** The hard cap for this run, in US dollars (ignored when `ledger` is given). */
  readonly capUsd?: number;
  /** A ledger shared with other runs, holding them all under its cap. */
  readonly ledger?: CostLedger;
  /** Prices of the models the run may use; a run of a model missing here does not start. */
  readonly prices: ModelPriceTable;
  /**
   * The output bound of every call: sent as `maxTokens`, and enforced on the client as a ceiling
   * of as many UTF-8 bytes of streamed output (`maxOutputBytes`), which holds even against a
   * server that ignores `maxTokens`. English runs about 4 bytes a token, so a call streams
   * about `maxTokensPerCall / 4` English tokens at most: size it for the bytes you allow.
   */
  readonly maxTokensPerCall: number;
  /**
   * UTF-8 bytes per prompt token when estimating the part of the prompt the backend has not
   * counted yet. 1 is a bound for any byte-level tokenizer (CJK and emoji included); 3 or 4
   * reserve less for English and code but can be crossed by other text.
   * @defaultValue 1
   */
  readonly bytesPerToken?: number;
  /**
   * Tokens added to the prompt estimate for messages other policies append to the request and
   * for the message framing tokens.
   * @defaultValue 256
   */
  readonly allowanceTokens?: number;
  /**
   * How a call cut short without reported usage is charged: `'streamed'`, its prompt estimate
   * plus one token per UTF-8 byte it streamed plus `inFlightTokens`, at most its reservation;
   * `'reservation'`, its whole reservation. Use `'reservation'` for models that produce output
   * they do not stream (hidden reasoning), which the streamed bytes cannot bound.
   * @defaultValue `'streamed'`
   */
  readonly cutShortCharge?: 'streamed' | 'reservation';
  /**
   * Output tokens charged to a call cut short beyond those it streamed: tokens the server made
   * after the last one received, and end-of-message tokens.
   * @defaultValue 32
   */
  readonly inFlightTokens?: number;
  /** @defaultValue `'cost-budget'` */
  readonly name?: string;
}

/** Defaults of {@link CostBudgetOptions}. */
export const defaultCostBudgetOptions = Object.freeze({
  name: 'cost-budget',
  bytesPerToken: 1,
  allowanceTokens: 256,
  cutShortCharge: 'streamed' as 'streamed' | 'reservation',
  inFlightTokens: 32,
});

interface CostBudgetState {
  readonly version: 2;
  readonly spentMicros: number;
  readonly calls: number;
}

/** A reservation of the call in flight. */
interface OpenCall {
  readonly key: string;
  readonly reservedMicros: number;
  readonly promptTokens: number;
  readonly price: ModelPrice;
  /** The run's usage when the call was reserved (for hosts that never call onModelCallEnd). */
  readonly usageBefore: Usage;
}

function checkOptions(options: CostBudgetOptions): void {
  if (
    options?.ledger === undefined &&
    !(typeof options?.capUsd === 'number' && options.capUsd >= 0)
  ) {
    throw new InvalidOptionsError(
      'capUsd',
      `createCostBudget() needs capUsd (a number of US dollars ≥ 0) or a shared ledger; received capUsd ${String(options?.capUsd)}.`,
    );
  }
  if (typeof options.prices !== 'object' || options.prices === null) {
    throw new InvalidOptionsError(
      'prices',
      "createCostBudget() needs prices, e.g. { 'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 } }.",
    );
  }
  const problem = findPriceProblem(options.prices);
  if (problem !== undefined) throw new InvalidOptionsError('prices', problem);
  if (!(Number.isInteger(options.maxTokensPerCall) && options.maxTokensPerCall > 0)) {
    throw new InvalidOptionsError(
      'maxTokensPerCall',
      `maxTokensPerCall is ${String(options.maxTokensPerCall)}; use a positive whole number: the max_tokens set on every call, which bounds its cost.`,
    );
  }
  const { bytesPerToken } = options;
  if (bytesPerToken !== undefined && !(bytesPerToken >= 1 && Number.isFinite(bytesPerToken))) {
    throw new InvalidOptionsError(
      'bytesPerToken',
      `bytesPerToken is ${String(bytesPerToken)}; use a number ≥ 1 (1 bounds any byte-level tokenizer).`,
    );
  }
}

/**
 * Creates a hard cost cap that fails safe. Before each model call (and before a forced final
 * answer) it reserves the call's worst case in whole micro-dollars: the prompt estimate (all of
 * it uncached) plus `maxTokensPerCall` output tokens, and refuses the call (stopping the run
 * with reason `'cost-budget'`) when spent + reserved + worst case would cross the cap. Each call
 * is sent with `maxTokens`, an output ceiling of `maxTokensPerCall` UTF-8 bytes that the loop
 * enforces by aborting the stream, and `retryAfterOutput: false` (a retried stream sends the
 * prompt again, which the reservation does not cover).
 *
 * When a call ends, its reservation is settled with its charge:
 * - completed with usage: the usage at the table's price (or the backend's `costUsd` when
 *   higher);
 * - completed without usage (or with usage that cannot be true: no prompt tokens, or no output
 *   tokens for output that streamed): its whole reservation, with a `usage.missing` event;
 * - cut short (urgent interrupt, abort, stop, failure) without usage: the prompt estimate plus
 *   one token per UTF-8 byte streamed plus `inFlightTokens`, at most its reservation (or the
 *   whole reservation with `cutShortCharge: 'reservation'`), with a `usage.missing` event;
 * - not made (another budget stopped or paused the run first): released, nothing charged.
 *
 * Guarantee: with `bytesPerToken: 1` (the default) and a server whose tokenizer makes at most
 * one token per UTF-8 byte and that bills what it streams, the true spend of the runs sharing a
 * ledger never exceeds its cap, except by the one chunk that crossed a call's ceiling when a
 * server ignores `maxTokens`, and by output the server produced but did not stream beyond
 * `inFlightTokens` per call cut short.
 *
 * A model missing from `prices` refuses to start: the run's `open` throws a
 * {@link MissingPriceError} naming the model and the fix.
 *
 * @param options - cap or ledger, prices, `maxTokensPerCall`.
 * @returns a {@link Controller} for `createController({ budget })`.
 * @throws {InvalidOptionsError} for a missing cap, a bad price or a bad `maxTokensPerCall`.
 * @example
 * ```ts
 * const cost = createCostBudget({
 *   capUsd: 4,
 *   prices: { 'gpt-4.1': { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 } },
 *   maxTokensPerCall: 4096,
 * });
 * ```
 */
export function createCostBudget(options: CostBudgetOptions): Controller {
  checkOptions(options);
  const settings = { ...defaultCostBudgetOptions, ...options };
  const { name, prices, maxTokensPerCall, bytesPerToken, allowanceTokens } = settings;
  const { cutShortCharge, inFlightTokens } = settings;
  const callSettings = {
    maxTokens: maxTokensPerCall,
    maxOutputBytes: maxTokensPerCall,
    retryAfterOutput: false,
  };
  const priceOf = (model: { provider: string; modelId: string }): ModelPrice | undefined =>
    prices[`${model.provider}/${model.modelId}`] ?? prices[model.modelId];
  return {
    name,
    open(context): ControllerSession {
      if (context.model !== undefined && priceOf(context.model) === undefined)
        throw new MissingPriceError(
          context.model.provider,
          context.model.modelId,
          Object.keys(prices),
        );
      const saved = readCostState(name, context.state);
      const ledger = options.ledger ?? createCostLedger({ capUsd: options.capUsd ?? 0 });
      let spentMicros = saved?.spentMicros ?? 0;
      let calls = saved?.calls ?? 0;
      if (saved !== undefined && options.ledger === undefined)
        ledger.settle('restored', spentMicros);
      let open: OpenCall | undefined;
      let lastPromptTokens: number | undefined;
      let countedMessages = 0;

      const settle = (micros: number) => {
        if (open === undefined) return;
        ledger.settle(open.key, micros);
        spentMicros += micros;
        open = undefined;
      };

      const bytesOf = createMessageBytesCounter();

      const estimatePrompt = (view: RunView): number => {
        const { messages } = view;
        const from =
          lastPromptTokens === undefined || messages.length < countedMessages ? 0 : countedMessages;
        const bytes = bytesOf(messages, from);
        const base = from === 0 ? 0 : (lastPromptTokens as number);
        return base + Math.ceil(bytes / bytesPerToken) + allowanceTokens;
      };

      const refuse = (message: string, evidence: Evidence) =>
        [
          { type: 'emit', event: { name: 'budget.exhausted', policy: name, message, evidence } },
          { type: 'stop', reason: 'cost-budget', message, source: name, evidence },
        ] satisfies Directive[];

      /** Reserves the worst case of the next call, or returns the directives refusing it. */
      const reserve = (view: RunView): Directive[] | undefined => {
        const price = priceOf(view.model);
        if (price === undefined) {
          const error = new MissingPriceError(
            view.model.provider,
            view.model.modelId,
            Object.keys(prices),
          );
          return refuse(error.message, { modelId: view.model.modelId, turn: view.turn });
        }
        const promptTokens = estimatePrompt(view);
        const worstMicros = costMicrosOf(
          { inputTokens: promptTokens, cachedInputTokens: 0, outputTokens: maxTokensPerCall },
          price,
        );
        const key = `${context.runId}#${calls + 1}`;
        if (!ledger.reserve(key, worstMicros)) {
          const message = `Refused a model call that could cost up to $${usd(worstMicros)}: $${usd(ledger.spentMicros)} spent and $${usd(ledger.reservedMicros)} reserved of the $${ledger.capUsd} cap.`;
          return refuse(message, {
            capUsd: ledger.capUsd,
            spentUsd: ledger.spentUsd,
            reservedUsd: ledger.reservedUsd,
            worstCaseUsd: worstMicros / microsPerUsd,
            promptTokensEstimate: promptTokens,
            maxTokens: maxTokensPerCall,
            runSpentUsd: spentMicros / microsPerUsd,
            turn: view.turn,
          });
        }
        calls += 1;
        open = { key, reservedMicros: worstMicros, promptTokens, price, usageBefore: view.usage };
        return undefined;
      };

      /** The charge of a call without reported usage, and the event saying so. */
      const unmeteredCharge = (view: RunView, call: OpenCall, end: ModelCallEnd) => {
        const streamed =
          end.outcome !== 'completed' && cutShortCharge === 'streamed'
            ? costMicrosOf(
                {
                  inputTokens: call.promptTokens * (1 + end.restarts),
                  cachedInputTokens: 0,
                  outputTokens: end.outputBytes + inFlightTokens,
                },
                call.price,
              )
            : undefined;
        const micros =
          streamed === undefined ? call.reservedMicros : Math.min(streamed, call.reservedMicros);
        const basis = streamed === undefined ? 'reservation' : 'streamed output';
        const message = `A model call ${end.outcome === 'completed' ? 'completed' : 'cut short'} without reported usage was charged $${usd(micros)} (its ${basis}; reserved $${usd(call.reservedMicros)}).`;
        const event: Directive = {
          type: 'emit',
          event: {
            name: 'usage.missing',
            policy: name,
            message,
            evidence: {
              outcome: end.outcome,
              chargedUsd: micros / microsPerUsd,
              reservedUsd: call.reservedMicros / microsPerUsd,
              basis,
              outputBytes: end.outputBytes,
              turn: view.turn,
            },
          },
        };
        return { micros, event };
      };

      /** Settles the open call from reported usage (never below the backend's own cost). */
      const meteredCharge = (call: OpenCall, usage: Usage, restarts: number): number => {
        const reported = ceilMicros(usage.costUsd * microsPerUsd);
        const priced = costMicrosOf(
          { ...usage, inputTokens: usage.inputTokens + restarts * call.promptTokens },
          call.price,
        );
        return Math.max(reported, priced);
      };

      return {
        beforeModel(view) {
          if (open !== undefined) {
            // A host that never reports call ends: settle the last call from the usage it
            // added to the run, or its whole reservation when it added none.
            const added = view.usage.outputTokens - open.usageBefore.outputTokens;
            settle(
              added > 0
                ? costMicrosOf(
                    {
                      inputTokens: view.usage.inputTokens - open.usageBefore.inputTokens,
                      cachedInputTokens:
                        view.usage.cachedInputTokens - open.usageBefore.cachedInputTokens,
                      outputTokens: added,
                    },
                    open.price,
                  )
                : open.reservedMicros,
            );
          }
          const refusal = reserve(view);
          return refusal ?? [{ type: 'model-settings', settings: callSettings, source: name }];
        },
        beforeForcedAnswer(view) {
          if (open !== undefined) settle(open.reservedMicros);
          const refusal = reserve(view);
          return refusal ?? [{ type: 'model-settings', settings: callSettings, source: name }];
        },
        onModelCallEnd(view, end) {
          const call = open;
          if (call === undefined) return undefined;
          if (end.outcome === 'not-made') {
            ledger.release(call.key);
            calls -= 1;
            open = undefined;
            return undefined;
          }
          const usage = credibleUsage(end);
          if (usage !== undefined && (end.outcome === 'completed' || usage.outputTokens > 0)) {
            settle(meteredCharge(call, usage, end.restarts));
            if (end.outcome === 'completed' && usage.inputTokens > 0) {
              lastPromptTokens = usage.inputTokens + usage.outputTokens;
              countedMessages = view.messages.length;
            }
            return undefined;
          }
          const { micros, event } = unmeteredCharge(view, call, end);
          settle(micros);
          return [event];
        },
        afterModel(_view, step) {
          // Hosts that call onModelCallEnd have settled the call already.
          if (open === undefined) return undefined;
          settle(
            step.usage.outputTokens > 0 ? meteredCharge(open, step.usage, 0) : open.reservedMicros,
          );
          return undefined;
        },
        snapshot: (): CostBudgetState => ({ version: 2, spentMicros, calls }),
      };
    },
  };
}

/**
 * The reported usage, unless it cannot be true: no prompt tokens, or no output tokens for a
 * call that streamed output (a server that sends zeros). Such usage counts as missing.
 */
function credibleUsage(end: ModelCallEnd): Usage | undefined {
  const usage = end.reportedUsage;
  if (usage === undefined || usage.inputTokens <= 0) return undefined;
  if (usage.outputTokens <= 0 && end.outputBytes > 0) return undefined;
  return usage;
}

/** Reads a saved state, converting the dollars of version 1 to micro-dollars. */
function readCostState(name: string, state: unknown): CostBudgetState | undefined {
  const old = state as { version?: unknown; spentUsd?: unknown; calls?: unknown } | undefined;
  if (old?.version === 1 && typeof old.spentUsd === 'number' && typeof old.calls === 'number')
    return { version: 2, spentMicros: ceilMicros(old.spentUsd * microsPerUsd), calls: old.calls };
  return readState<CostBudgetState>(name, state, 2);
}

function usd(micros: number): string {
  return (micros / microsPerUsd).toFixed(4);
}
