/**
 * The chance that a kept history is read again when `remainingTurns` more calls are expected:
 * with a geometric number of remaining calls of mean R, another call follows with probability
 * `R / (R + 1)`; none when R ≤ 0.
 *
 * @param remainingTurns - expected calls still to come.
 * @returns a probability in [0, 1).
 * @example
 * ```ts
 * toReuseProbability(1); // 0.5
 * toReuseProbability(35); // ≈ 0.97
 * ```
 */
export function toReuseProbability(remainingTurns: number): number {
  return remainingTurns > 0 ? remainingTurns / (remainingTurns + 1) : 0;
}
