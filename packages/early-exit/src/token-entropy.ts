import type { TokenLogprob } from '@reins/core';

/**
 * Entropy (in nats) of the next-token distribution at one generated token, estimated from its
 * top log-probabilities: H = −Σ pᵢ ln pᵢ over the top alternatives, plus −r ln r for the
 * probability mass r = 1 − Σ pᵢ they leave out, counted as one bucket. Lumping the rest into
 * one bucket makes this a lower bound of the true entropy; it is exact when the top list
 * covers the whole distribution.
 *
 * @param token - a token with `topLogprobs` (ask the backend for `logprobs: { topLogprobs: k }`).
 * @returns the entropy in nats, or `NaN` when the token has no top log-probabilities.
 * @example
 * ```ts
 * tokenEntropy({ token: 'a', logprob: Math.log(0.5),
 *   topLogprobs: [{ token: 'a', logprob: Math.log(0.5) }, { token: 'b', logprob: Math.log(0.5) }] }); // ln 2
 * ```
 */
export function tokenEntropy(token: TokenLogprob): number {
  const top = token.topLogprobs;
  if (top === undefined || top.length === 0) return Number.NaN;
  let mass = 0;
  let entropy = 0;
  for (let index = 0; index < top.length; index++) {
    const logprob = (top[index] as { logprob: number }).logprob;
    if (!(logprob > Number.NEGATIVE_INFINITY)) continue;
    const probability = Math.exp(logprob);
    mass += probability;
    entropy -= probability * logprob;
  }
  const rest = 1 - mass;
  if (rest > 1e-12) entropy -= rest * Math.log(rest);
  return entropy;
}
