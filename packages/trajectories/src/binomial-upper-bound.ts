/**
 * The one-sided Clopper–Pearson upper confidence bound of a proportion: the largest rate `p` for
 * which seeing `successes` or fewer in `trials` still has probability at least `1 - confidence`.
 * Calibration uses it for "resolved runs lost": a stopping rule that lost 1 of 185 resolved runs
 * may lose up to 2.5% of unseen ones (95% confidence).
 *
 * @param successes - events seen (e.g. resolved runs stopped).
 * @param trials - chances (e.g. resolved runs); 0 gives 1.
 * @param confidence - e.g. 0.95.
 * @returns the bound in [0, 1].
 * @example
 * ```ts
 * binomialUpperBound(0, 100, 0.95); // ≈ 0.0295
 * ```
 */
export function binomialUpperBound(successes: number, trials: number, confidence: number): number {
  if (trials <= 0) return 1;
  if (successes >= trials) return 1;
  const alpha = 1 - confidence;
  let low = successes / trials;
  let high = 1;
  for (let step = 0; step < 60; step += 1) {
    const middle = (low + high) / 2;
    if (binomialCdf(successes, trials, middle) > alpha) low = middle;
    else high = middle;
  }
  return high;
}

/** P(X ≤ k) for X ~ Binomial(n, p), summed in log space so that large n stays exact enough. */
function binomialCdf(k: number, n: number, p: number): number {
  if (p <= 0) return 1;
  if (p >= 1) return k >= n ? 1 : 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logTerm = n * logQ;
  let sum = Math.exp(logTerm);
  for (let i = 1; i <= k; i += 1) {
    logTerm += Math.log((n - i + 1) / i) + logP - logQ;
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}
