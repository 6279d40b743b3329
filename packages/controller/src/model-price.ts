import type { Usage } from '@reins/core';
import { microsPerUsd } from './cost-ledger.js';

/** A model's price in US dollars per million tokens (which is micro-dollars per token). */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
  /** Price of prompt tokens served from the provider's cache. @defaultValue `inputPerMillion` */
  readonly cachedInputPerMillion?: number;
}

/** Prices by model id (`view.model.modelId`), or by `provider/modelId`, which is tried first. */
export type ModelPriceTable = Readonly<Record<string, ModelPrice>>;

/** The token counts a cost is computed from. */
export type PricedUsage = Pick<Usage, 'inputTokens' | 'cachedInputTokens' | 'outputTokens'>;

function exactMicros(tokens: PricedUsage, price: ModelPrice): number {
  const cached = Math.min(tokens.cachedInputTokens, tokens.inputTokens);
  return (
    (tokens.inputTokens - cached) * price.inputPerMillion +
    cached * (price.cachedInputPerMillion ?? price.inputPerMillion) +
    tokens.outputTokens * price.outputPerMillion
  );
}

/**
 * Rounds an amount of micro-dollars up to a whole one, after dropping floating-point noise
 * below a millionth of a micro-dollar (so that 100 × 1.1 is 110, not 111).
 */
export function ceilMicros(micros: number): number {
  return Math.ceil(Math.round(micros * 1e6) / 1e6);
}

/**
 * The cost of a usage at a price, in US dollars: uncached prompt tokens, cached prompt tokens
 * and completion tokens each at their price.
 * @example
 * ```ts
 * costOf({ inputTokens: 1e6, cachedInputTokens: 0, outputTokens: 0 },
 *   { inputPerMillion: 2, outputPerMillion: 12 }); // 2
 * ```
 */
export function costOf(usage: PricedUsage, price: ModelPrice): number {
  return exactMicros(usage, price) / microsPerUsd;
}

/**
 * The cost of a usage at a price in whole micro-dollars, rounded up: what a ledger charges.
 * @example
 * ```ts
 * costMicrosOf({ inputTokens: 1000, cachedInputTokens: 0, outputTokens: 100 },
 *   { inputPerMillion: 2, outputPerMillion: 8 }); // 2800
 * ```
 */
export function costMicrosOf(usage: PricedUsage, price: ModelPrice): number {
  return ceilMicros(exactMicros(usage, price));
}

/**
 * Checks a price table: every price a finite number ≥ 0.
 * @returns the first problem found, naming the model and field, or `undefined`.
 */
export function findPriceProblem(prices: ModelPriceTable): string | undefined {
  for (const [model, price] of Object.entries(prices)) {
    for (const field of ['inputPerMillion', 'outputPerMillion', 'cachedInputPerMillion'] as const) {
      const value = price?.[field];
      if (value === undefined && field === 'cachedInputPerMillion') continue;
      if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0))
        return `prices['${model}'].${field} is ${String(value)}; use a finite number of US dollars per million tokens ≥ 0.`;
    }
  }
  return undefined;
}
