/**
 * A standard normal draw (Box–Muller) from a uniform generator.
 * @example
 * ```ts
 * const z = drawNormal(createRandom(1));
 * ```
 */
export function drawNormal(random: () => number): number {
  const u = Math.max(random(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * A Gamma(shape, 1) draw (Marsaglia and Tsang; shapes below 1 boosted by `u^(1/shape)`).
 * @example
 * ```ts
 * const g = drawGamma(createRandom(1), 2.5);
 * ```
 */
export function drawGamma(random: () => number, shape: number): number {
  if (shape < 1) return drawGamma(random, shape + 1) * Math.max(random(), 1e-300) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = drawNormal(random);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = random();
    if (Math.log(Math.max(u, 1e-300)) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * A Beta(a, b) draw, from two Gamma draws.
 * @example
 * ```ts
 * const p = drawBeta(createRandom(1), 1.5, 150.5);
 * ```
 */
export function drawBeta(random: () => number, a: number, b: number): number {
  const x = drawGamma(random, a);
  const y = drawGamma(random, b);
  return x / (x + y);
}

/**
 * A Binomial(trials, p) draw, as a sum of Bernoulli draws (trials are a few hundred runs here).
 * @example
 * ```ts
 * const lost = drawBinomial(createRandom(1), 77, 0.01);
 * ```
 */
export function drawBinomial(random: () => number, trials: number, p: number): number {
  let count = 0;
  for (let trial = 0; trial < trials; trial += 1) if (random() < p) count += 1;
  return count;
}
