import type { Usage, UsagePatch } from '@reins/core';

/** Prices of one model in US dollars per million tokens. */
export interface ModelPrice {
  /** Uncached prompt tokens. */
  readonly inputPerMillion: number;
  /** Prompt tokens served from the prompt cache. @defaultValue `inputPerMillion` */
  readonly cachedInputPerMillion?: number;
  /** Completion tokens, reasoning included. */
  readonly outputPerMillion: number;
}

/** Prices by model id. A key also prices dated snapshots that start with it (`gpt-4o-2024-08-06`). */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * OpenAI list prices (USD per million tokens, standard tier) for common models. Prices change:
 * extend or override them with {@link createPriceTable}. Self-hosted servers have no entry,
 * so their cost is 0 unless a price is given.
 */
export const defaultPriceTable: PriceTable = Object.freeze({
  'gpt-4o': { inputPerMillion: 2.5, cachedInputPerMillion: 1.25, outputPerMillion: 10 },
  'gpt-4o-mini': { inputPerMillion: 0.15, cachedInputPerMillion: 0.075, outputPerMillion: 0.6 },
  'gpt-4.1': { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, cachedInputPerMillion: 0.1, outputPerMillion: 1.6 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, cachedInputPerMillion: 0.025, outputPerMillion: 0.4 },
  o3: { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 },
  'o4-mini': { inputPerMillion: 1.1, cachedInputPerMillion: 0.275, outputPerMillion: 4.4 },
  'gpt-5': { inputPerMillion: 1.25, cachedInputPerMillion: 0.125, outputPerMillion: 10 },
  'gpt-5-mini': { inputPerMillion: 0.25, cachedInputPerMillion: 0.025, outputPerMillion: 2 },
  'gpt-5-nano': { inputPerMillion: 0.05, cachedInputPerMillion: 0.005, outputPerMillion: 0.4 },
});

/**
 * Merges price tables; later tables win.
 * @param tables - the tables to merge, e.g. the defaults and your own.
 * @returns one table.
 * @example
 * ```ts
 * const prices = createPriceTable(defaultPriceTable, {
 *   'qwen3-32b': { inputPerMillion: 0.2, cachedInputPerMillion: 0.05, outputPerMillion: 0.6 },
 * });
 * ```
 */
export function createPriceTable(...tables: readonly PriceTable[]): PriceTable {
  return Object.freeze(Object.assign({}, ...tables) as Record<string, ModelPrice>);
}

/**
 * Finds a model's price: an exact key, else the longest key the model id starts with
 * followed by `-` (a dated snapshot), else `undefined`.
 * @example
 * ```ts
 * findModelPrice(defaultPriceTable, 'gpt-4o-2024-08-06')?.outputPerMillion; // 10
 * ```
 */
export function findModelPrice(table: PriceTable, modelId: string): ModelPrice | undefined {
  const exact = table[modelId];
  if (exact !== undefined) return exact;
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (modelId.startsWith(`${key}-`) && (best === undefined || key.length > best.length))
      best = key;
  }
  return best === undefined ? undefined : table[best];
}

/**
 * The cost of a usage in US dollars: uncached input, cached input and output each at their price.
 * @param price - the model's price.
 * @param usage - token counts (`cachedInputTokens` is part of `inputTokens`).
 * @returns dollars.
 * @example
 * ```ts
 * computeCost({ inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 },
 *   { inputTokens: 1000, cachedInputTokens: 800, outputTokens: 100 }); // 0.0016
 * ```
 */
export function computeCost(price: ModelPrice, usage: UsagePatch | Usage): number {
  const input = usage.inputTokens ?? 0;
  const cached = Math.min(usage.cachedInputTokens ?? 0, input);
  const output = usage.outputTokens ?? 0;
  const cachedPrice = price.cachedInputPerMillion ?? price.inputPerMillion;
  return (
    ((input - cached) * price.inputPerMillion +
      cached * cachedPrice +
      output * price.outputPerMillion) /
    1_000_000
  );
}
