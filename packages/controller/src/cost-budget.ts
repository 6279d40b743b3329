import type { Controller, ControllerSession, Message, RunView, Usage } from '@reins/core';
import { InvalidOptionsError, toolResultText } from '@reins/core';
import { type CostLedger, createCostLedger } from './cost-ledger.js';
import { readState } from './errors/controller-state-error.js';

/** A model's price in US dollars per million tokens. */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
  /** Price of prompt tokens served from the provider's cache. @defaultValue `inputPerMillion` */
  readonly cachedInputPerMillion?: number;
}

/** Prices by model id (`view.model.modelId`), or by `provider/modelId`, which is tried first. */
export type ModelPriceTable = Readonly<Record<string, ModelPrice>>;

/** Options of {@link createCostBudget}. Give `capUsd` or a shared `ledger`. */
export interface CostBudgetOptions {
  /** The hard cap for this run, in US dollars (ignored when `ledger` is given). */
  readonly capUsd?: number;
  /** A ledger shared with other runs, holding them all under its cap. */
  readonly ledger?: CostLedger;
  /** Prices of the models the run may use. */
  readonly prices: ModelPriceTable;
  /**
   * `max_tokens` of every call: the controller sets it on each request, so the worst case of a
   * call is known before it starts.
   */
  readonly maxTokensPerCall: number;
  /**
   * Characters per prompt token when estimating the prompt. 3 over-estimates tokens for
   * English and code; use 1 for a bound that holds for any byte-level tokenizer.
   * @defaultValue 3
   */
  readonly charsPerToken?: number;
  /**
   * Tokens added to the estimate for messages other policies append to the request.
   * @defaultValue 256
   */
  readonly allowanceTokens?: number;
  /** @defaultValue `'cost-budget'` */
  readonly name?: string;
}

/** Defaults of {@link CostBudgetOptions}. */
export const defaultCostBudgetOptions = Object.freeze({
  name: 'cost-budget',
  charsPerToken: 3,
  allowanceTokens: 256,
});

interface CostBudgetState {
  readonly version: 1;
  readonly spentUsd: number;
  readonly calls: number;
}

function messageChars(message: Message): number {
  if (message.role === 'tool') return toolResultText(message.result).length + 16;
  let chars = message.content.length + 8;
  if (message.role === 'assistant') {
    for (const call of message.toolCalls) chars += call.name.length + call.arguments.length + 16;
  }
  return chars;
}

/**
 * The cost of a usage at a price: uncached prompt tokens, cached prompt tokens and completion
 * tokens each at their price.
 * @example
 * ```ts
 * costOf({ inputTokens: 1e6, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0, costUsd: 0 },
 *   { inputPerMillion: 2, outputPerMillion: 12 }); // 2
 * ```
 */
export function costOf(
  usage: Pick<Usage, 'inputTokens' | 'cachedInputTokens' | 'outputTokens'>,
  price: ModelPrice,
): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  return (
    ((usage.inputTokens - cached) * price.inputPerMillion +
      cached * (price.cachedInputPerMillion ?? price.inputPerMillion) +
      usage.outputTokens * price.outputPerMillion) /
    1e6
  );
}

/**
 * Creates a hard cost cap. Before each model call it reserves the worst case, the estimated
 * prompt (all of it at the uncached price) plus `maxTokensPerCall` completion tokens, and
 * refuses the call (stopping the run with reason `'cost-budget'`) when spent + reserved + worst
 * case would cross the cap; so a $4 cap cannot become a $700 run, and runs sharing a
 * {@link CostLedger} cannot cross it together either. It sets `maxTokens` on every call so the
 * worst case holds, and settles each call's actual cost (the backend's `costUsd`, or the tokens
 * at the table's price) when it ends.
 *
 * The prompt estimate is incremental: the last call's prompt and completion tokens plus the
 * characters appended since, ÷ `charsPerToken`, plus `allowanceTokens`; the whole history is
 * read only before the first call, after a compaction, or when the backend reports no usage.
 *
 * A model missing from `prices` refuses every call, with a message naming the model.
 *
 * @param options - cap or ledger, prices, `maxTokensPerCall`.
 * @returns a {@link Controller} for `createController({ budget })`.
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
  if (!(Number.isInteger(options.maxTokensPerCall) && options.maxTokensPerCall > 0)) {
    throw new InvalidOptionsError(
      'maxTokensPerCall',
      `maxTokensPerCall is ${String(options.maxTokensPerCall)}; use a positive whole number: the max_tokens set on every call, which bounds its cost.`,
    );
  }
  const settings = { ...defaultCostBudgetOptions, ...options };
  const { name, prices, maxTokensPerCall, charsPerToken, allowanceTokens } = settings;
  return {
    name,
    open(context): ControllerSession {
      const saved = readState<CostBudgetState>(name, context.state, 1);
      const ledger = options.ledger ?? createCostLedger({ capUsd: options.capUsd ?? 0 });
      let spentUsd = saved?.spentUsd ?? 0;
      let calls = saved?.calls ?? 0;
      if (saved !== undefined && options.ledger === undefined) ledger.settle('restored', spentUsd);
      let pending: { key: string; usage: Usage; price: ModelPrice } | undefined;
      let lastPromptTokens: number | undefined;
      let countedMessages = 0;

      const priceOf = (view: RunView): ModelPrice | undefined =>
        prices[`${view.model.provider}/${view.model.modelId}`] ?? prices[view.model.modelId];

      const settle = (actualUsd: number) => {
        if (pending === undefined) return;
        ledger.settle(pending.key, actualUsd);
        spentUsd += actualUsd;
        pending = undefined;
      };

      const estimatePrompt = (view: RunView): number => {
        const { messages } = view;
        let chars = 0;
        if (lastPromptTokens === undefined || messages.length < countedMessages) {
          for (const message of messages) chars += messageChars(message);
          return Math.ceil(chars / charsPerToken) + allowanceTokens;
        }
        for (let index = countedMessages; index < messages.length; index++)
          chars += messageChars(messages[index] as Message);
        return lastPromptTokens + Math.ceil(chars / charsPerToken) + allowanceTokens;
      };

      return {
        beforeModel(view) {
          if (pending !== undefined) {
            // The last call ended without afterModel (interrupted): settle what it used.
            const delta: Usage = {
              inputTokens: view.usage.inputTokens - pending.usage.inputTokens,
              cachedInputTokens: view.usage.cachedInputTokens - pending.usage.cachedInputTokens,
              outputTokens: view.usage.outputTokens - pending.usage.outputTokens,
              reasoningTokens: 0,
              costUsd: view.usage.costUsd - pending.usage.costUsd,
            };
            settle(delta.costUsd > 0 ? delta.costUsd : costOf(delta, pending.price));
          }
          const price = priceOf(view);
          if (price === undefined) {
            const message = `The cost budget has no price for model '${view.model.modelId}' (provider '${view.model.provider}'); known: ${Object.keys(prices).join(', ') || 'none'}. Add it to createCostBudget({ prices }).`;
            const evidence = { modelId: view.model.modelId, turn: view.turn };
            return [
              {
                type: 'emit',
                event: { name: 'budget.exhausted', policy: name, message, evidence },
              },
              { type: 'stop', reason: 'cost-budget', message, source: name, evidence },
            ];
          }
          const promptTokens = estimatePrompt(view);
          const worstCaseUsd = costOf(
            { inputTokens: promptTokens, cachedInputTokens: 0, outputTokens: maxTokensPerCall },
            price,
          );
          const key = `${context.runId}#${calls + 1}`;
          const evidence = {
            capUsd: ledger.capUsd,
            spentUsd: round(ledger.spentUsd),
            reservedUsd: round(ledger.reservedUsd),
            worstCaseUsd: round(worstCaseUsd),
            promptTokensEstimate: promptTokens,
            maxTokens: maxTokensPerCall,
            runSpentUsd: round(spentUsd),
            turn: view.turn,
          };
          if (!ledger.reserve(key, worstCaseUsd)) {
            const message = `Refused a model call that could cost up to $${worstCaseUsd.toFixed(4)}: $${ledger.spentUsd.toFixed(4)} spent and $${ledger.reservedUsd.toFixed(4)} reserved of the $${ledger.capUsd} cap.`;
            return [
              {
                type: 'emit',
                event: { name: 'budget.exhausted', policy: name, message, evidence },
              },
              { type: 'stop', reason: 'cost-budget', message, source: name, evidence },
            ];
          }
          calls += 1;
          pending = { key, usage: view.usage, price };
          return [
            { type: 'model-settings', settings: { maxTokens: maxTokensPerCall }, source: name },
          ];
        },
        afterModel(view, step) {
          if (pending === undefined) return undefined;
          const actual =
            step.usage.costUsd > 0 ? step.usage.costUsd : costOf(step.usage, pending.price);
          settle(actual);
          if (step.usage.inputTokens > 0) {
            lastPromptTokens = step.usage.inputTokens + step.usage.outputTokens;
            countedMessages = view.messages.length;
          } else {
            lastPromptTokens = undefined;
          }
          return undefined;
        },
        snapshot: (): CostBudgetState => ({ version: 1, spentUsd, calls }),
      };
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
