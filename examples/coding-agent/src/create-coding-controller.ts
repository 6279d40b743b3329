import {
  createController,
  createCostBudget,
  createDriftMonitor,
  createStuckMonitor,
  createTurnBudget,
  driftWindowFor,
  fromHistory,
  type HistoryRun,
  type ModelPriceTable,
} from '@reins/controller';
import type { Controller } from '@reins/core';

/** Options of {@link createCodingController}. */
export interface CodingControllerOptions {
  /**
   * Past runs to calibrate the turn budget from (a fixed limit at `percentile` of their turn
   * counts, with the remaining-turns reminder). Without them the budget is `fallbackTurns`.
   */
  readonly history?: readonly HistoryRun[];
  /**
   * The percentile of past turn counts used as the limit.
   * @defaultValue 0.75
   */
  readonly percentile?: number;
  /**
   * The turn limit when no history is given.
   * @defaultValue 40
   */
  readonly fallbackTurns?: number;
  /** Prices per model id (as the backend reports `modelId`). */
  readonly prices: ModelPriceTable;
  /**
   * Hard cap on the run's model spend, in US dollars.
   * @defaultValue 1
   */
  readonly capUsd?: number;
  /**
   * Output tokens allowed per call (the cost budget reserves this much per call).
   * @defaultValue 4096
   */
  readonly maxTokensPerCall?: number;
}

/** Defaults of {@link CodingControllerOptions}. */
export const defaultCodingControllerOptions = Object.freeze({
  percentile: 0.75,
  fallbackTurns: 40,
  capUsd: 1,
  maxTokensPerCall: 4096,
});

/**
 * The coding agent's controller: a calibrated turn budget with the remaining-turns reminder,
 * a hard cost cap, and the stuck and drift monitors (findings go through the default
 * intervention ladder: warn, then compact, then stop). The drift windows are scaled to the
 * turn limit (the pooled limit of the history), so that drift can be reported within it.
 *
 * @param options - history or fallback limit, prices and cap.
 * @returns a controller for `createAgent({ controller })`.
 * @example
 * ```ts
 * const controller = createCodingController({
 *   history: await readTurnHistory(csvPath),
 *   prices: { 'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 } },
 * });
 * ```
 */
export function createCodingController(options: CodingControllerOptions): Controller {
  const history =
    options.history !== undefined && options.history.length > 0
      ? fromHistory(options.history, {
          percentile: options.percentile ?? defaultCodingControllerOptions.percentile,
        })
      : undefined;
  const turnLimit =
    history?.pooledLimit ?? options.fallbackTurns ?? defaultCodingControllerOptions.fallbackTurns;
  const turns = history ?? createTurnBudget({ mode: 'fixed', limit: turnLimit });
  const cost = createCostBudget({
    capUsd: options.capUsd ?? defaultCodingControllerOptions.capUsd,
    prices: options.prices,
    maxTokensPerCall: options.maxTokensPerCall ?? defaultCodingControllerOptions.maxTokensPerCall,
  });
  return createController({
    name: 'coding-agent',
    budget: [turns, cost],
    monitors: [createStuckMonitor(), createDriftMonitor({ window: driftWindowFor(turnLimit) })],
  });
}
