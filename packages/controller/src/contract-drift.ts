/**
 * Running sums of a contract's drift D(t) (the fraction of its rules violated at step t), from
 * which the drift rates are estimated: the steps, their sum and maximum, and the least-squares
 * sums of the change D(t+1) − D(t) against D(t). Plain JSON, so that runs can be pooled.
 */
export interface DriftSums {
  steps: number;
  sum: number;
  max: number;
  /** Pairs of consecutive steps. */
  pairs: number;
  /** Σ D(t) over pairs. */
  sumX: number;
  /** Σ (D(t+1) − D(t)) over pairs. */
  sumY: number;
  sumXX: number;
  sumXY: number;
  /** D of the last step, or `null` before the first. */
  previous: number | null;
}

/**
 * Drift sums with no step, where a ledger starts.
 * @returns sums of zero, `previous` `null`.
 * @example
 * ```ts
 * estimateDriftRates(emptyDriftSums()); // { steps: 0, alpha: null, … }
 * ```
 */
export function emptyDriftSums(): DriftSums {
  return {
    steps: 0,
    sum: 0,
    max: 0,
    pairs: 0,
    sumX: 0,
    sumY: 0,
    sumXX: 0,
    sumXY: 0,
    previous: null,
  };
}

/**
 * The drift of a contract over steps, after the Drift Bounds Theorem of Agent Behavioral
 * Contracts: drift follows dD = (α − γ·D) dt + noise, where α is the natural drift rate and γ the
 * recovery rate, and when γ > α its expectation settles at D* = α / γ.
 */
export interface DriftRates {
  /** Steps measured. */
  readonly steps: number;
  /** Mean D(t) over the steps. */
  readonly mean: number;
  readonly max: number;
  /** α: the least-squares intercept of D(t+1) − D(t) on D(t); `null` without two steps. */
  readonly alpha: number | null;
  /** γ: minus the least-squares slope; `null` when D(t) never varied. */
  readonly gamma: number | null;
  /** D* = α / γ when γ > 0, else `null`. */
  readonly bound: number | null;
  /** γ > α: recovery outpaces drift, so D* < 1. */
  readonly bounded: boolean | null;
}

/**
 * Pools drift sums (of several runs of one contract): every field added, `previous` dropped.
 * @example
 * ```ts
 * const pooled = poolDriftSums(runs.map((run) => run.driftSums));
 * ```
 */
export function poolDriftSums(all: readonly DriftSums[]): DriftSums {
  const pooled = emptyDriftSums();
  for (const sums of all) {
    pooled.steps += sums.steps;
    pooled.sum += sums.sum;
    pooled.max = Math.max(pooled.max, sums.max);
    pooled.pairs += sums.pairs;
    pooled.sumX += sums.sumX;
    pooled.sumY += sums.sumY;
    pooled.sumXX += sums.sumXX;
    pooled.sumXY += sums.sumXY;
  }
  return pooled;
}

/**
 * Estimates the drift rates by least squares of the change D(t+1) − D(t) on D(t): the change
 * is α − γ·D(t), so α is the intercept and γ minus the slope. For a single rule (D is 0 or 1)
 * α is the chance of a violation after a compliant step, α − γ minus the chance of recovery
 * after a violated one, and D* = α/γ the stationary fraction of violated steps.
 *
 * @param sums - from a ledger, or pooled with {@link poolDriftSums}.
 * @returns mean and maximum drift, α, γ and the bound α/γ.
 * @example
 * ```ts
 * estimateDriftRates(ledger.drift); // { alpha: 0.67, gamma: 1.33, bound: 0.5, … }
 * ```
 */
export function estimateDriftRates(sums: DriftSums): DriftRates {
  const mean = sums.steps === 0 ? 0 : sums.sum / sums.steps;
  if (sums.pairs === 0)
    return {
      steps: sums.steps,
      mean,
      max: sums.max,
      alpha: null,
      gamma: null,
      bound: null,
      bounded: null,
    };
  const n = sums.pairs;
  const variance = n * sums.sumXX - sums.sumX * sums.sumX;
  if (Math.abs(variance) <= 1e-12 * Math.max(1, n * sums.sumXX)) {
    return {
      steps: sums.steps,
      mean,
      max: sums.max,
      alpha: sums.sumY / n,
      gamma: null,
      bound: null,
      bounded: null,
    };
  }
  const slope = (n * sums.sumXY - sums.sumX * sums.sumY) / variance;
  const gamma = -slope;
  const alpha = (sums.sumY - slope * sums.sumX) / n;
  return {
    steps: sums.steps,
    mean,
    max: sums.max,
    alpha,
    gamma,
    bound: gamma > 0 ? alpha / gamma : null,
    bounded: gamma > alpha,
  };
}
