import { InvalidOptionsError } from '@reins/core';

/**
 * Money spent and reserved against one cap, shared by every run (and every concurrent call)
 * that should stay under it. A call reserves its worst case before it starts and settles its
 * actual cost when it ends; a reservation that would cross the cap is refused.
 */
export interface CostLedger {
  readonly capUsd: number;
  /** Settled spending. */
  readonly spentUsd: number;
  /** Worst cases of calls in flight. */
  readonly reservedUsd: number;
  /**
   * Reserves `usd` under `key` if `spent + reserved + usd ≤ cap`.
   * @returns whether it was reserved.
   */
  reserve(key: string, usd: number): boolean;
  /** Ends the reservation `key` (if any) and records `actualUsd` as spent. */
  settle(key: string, actualUsd: number): void;
}

/**
 * Creates a cost ledger. Share one between the cost budgets of runs that run at the same time
 * to hold them all under one cap.
 *
 * @param options - `capUsd`, the cap in US dollars.
 * @returns an in-memory ledger.
 * @example
 * ```ts
 * const ledger = createCostLedger({ capUsd: 4 });
 * const budget = createCostBudget({ ledger, prices, maxTokensPerCall: 4096 });
 * ```
 */
export function createCostLedger(options: { readonly capUsd: number }): CostLedger {
  const capUsd = options?.capUsd;
  if (!(typeof capUsd === 'number' && capUsd >= 0 && Number.isFinite(capUsd))) {
    throw new InvalidOptionsError(
      'capUsd',
      `capUsd is ${String(capUsd)}; use a finite number of US dollars ≥ 0, e.g. createCostLedger({ capUsd: 4 }).`,
    );
  }
  const reservations = new Map<string, number>();
  let spentUsd = 0;
  let reservedUsd = 0;
  return {
    capUsd,
    get spentUsd() {
      return spentUsd;
    },
    get reservedUsd() {
      return reservedUsd;
    },
    reserve(key, usd) {
      const previous = reservations.get(key) ?? 0;
      if (spentUsd + reservedUsd - previous + usd > capUsd) return false;
      reservations.set(key, usd);
      reservedUsd += usd - previous;
      return true;
    },
    settle(key, actualUsd) {
      const reserved = reservations.get(key);
      if (reserved !== undefined) {
        reservations.delete(key);
        reservedUsd = Math.max(0, reservedUsd - reserved);
      }
      spentUsd += actualUsd;
    },
  };
}
