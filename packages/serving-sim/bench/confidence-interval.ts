/** Two-sided 95 % Student t quantiles for 1 to 10 degrees of freedom. */
const t95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** Mean and the half-width of its 95 % t-interval (0 for a single value). */
export function meanWithInterval(values: readonly number[]): { mean: number; ci95: number } {
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  if (n < 2) return { mean, ci95: 0 };
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  const t = t95[Math.min(n - 1, t95.length) - 1] ?? 1.96;
  return { mean, ci95: (t * Math.sqrt(variance)) / Math.sqrt(n) };
}
