import { InvalidOptionsError } from '@reins/core';

/**
 * Money spent and reserved against one cap, shared by every run (and every concurrent call)
 * that should stay under it. A call reserves its worst case before it starts and settles its
 * charge when it ends (or releases the reservation when it is not made). Amounts are whole
 * micro-dollars (1 USD = 1 000 000), so sums are exact.
 *
 * Invariant: a reservation is granted only if `spent + reserved + amount ≤ cap`, so reservations
 * granted together never cross the cap, in whatever order concurrent runs make them.
 */
export interface CostLedger {
  /** The cap in US dollars, as given. */
  readonly capUsd: number;
  /** The cap in micro-dollars (`capUsd` rounded to the nearest micro-dollar). */
  readonly capMicros: number;
  /** Settled spending, in micro-dollars. */
  readonly spentMicros: number;
  /** Worst cases of calls in flight, in micro-dollars. */
  readonly reservedMicros: number;
  /** Settled spending in US dollars (`spentMicros / 1e6`, for display). */
  readonly spentUsd: number;
  /** Outstanding reservations in US dollars (`reservedMicros / 1e6`, for display). */
  readonly reservedUsd: number;
  /**
   * Reserves `micros` under `key` if `spent + reserved + micros ≤ cap` (a key reserved again
   * replaces its reservation).
   * @returns whether it was reserved.
   * @throws {InvalidOptionsError} when `micros` is not a whole number ≥ 0.
   */
  reserve(key: string, micros: number): boolean;
  /**
   * Ends the reservation `key` (if any) and records `actualMicros` as spent.
   * @throws {InvalidOptionsError} when `actualMicros` is not a whole number ≥ 0.
   */
  settle(key: string, actualMicros: number): void;
  /** Ends the reservation `key` (if any) without spending: its call was not made. */
  release(key: string): void;
}

/** Micro-dollars per US dollar. */
export const microsPerUsd = 1_000_000;

function checkMicros(field: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new InvalidOptionsError(
      field,
      `${field} is ${String(value)}; ledger amounts are whole micro-dollars ≥ 0 (1 USD = 1 000 000), e.g. Math.ceil(usd * 1e6).`,
    );
  }
}

/**
 * Creates a cost ledger. Share one between the cost budgets of runs that run at the same time
 * to hold them all under one cap.
 *
 * @param options - `capUsd`, the cap in US dollars.
 * @returns an in-memory ledger.
 * @throws {InvalidOptionsError} when `capUsd` is not a finite number ≥ 0.
 * @example
 * ```ts
 * const ledger = createCostLedger({ capUsd: 5 });
 * ledger.reserve('a', 3_000_000); // true
 * ledger.reserve('b', 3_000_000); // false: $3 + $3 would cross the $5 cap
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
  const capMicros = Math.round(capUsd * microsPerUsd);
  const reservations = new Map<string, number>();
  let spentMicros = 0;
  let reservedMicros = 0;
  const end = (key: string) => {
    const reserved = reservations.get(key);
    if (reserved === undefined) return;
    reservations.delete(key);
    reservedMicros -= reserved;
  };
  return {
    capUsd,
    capMicros,
    get spentMicros() {
      return spentMicros;
    },
    get reservedMicros() {
      return reservedMicros;
    },
    get spentUsd() {
      return spentMicros / microsPerUsd;
    },
    get reservedUsd() {
      return reservedMicros / microsPerUsd;
    },
    reserve(key, micros) {
      checkMicros('micros', micros);
      const previous = reservations.get(key) ?? 0;
      if (spentMicros + reservedMicros - previous + micros > capMicros) return false;
      reservations.set(key, micros);
      reservedMicros += micros - previous;
      return true;
    },
    settle(key, actualMicros) {
      checkMicros('actualMicros', actualMicros);
      end(key);
      spentMicros += actualMicros;
    },
    release: end,
  };
}
