import { InvalidOptionsError } from '@reins/core';
import { defaultDriftMonitorOptions } from './drift-monitor.js';

/** The smallest window {@link driftWindowFor} chooses: fewer turns make the ASI too noisy. */
export const minDriftWindow = 5;

/**
 * A drift window that suits runs of up to `turnLimit` turns: the drift monitor needs a
 * baseline window and then `consecutiveWindows` low windows before it reports, so the window is
 * the turn limit divided by `consecutiveWindows + 1` (rounded down, at least
 * {@link minDriftWindow}). With the paper's fixed 50-turn windows drift cannot be reported
 * before turn 200, later than most recorded coding runs end (median 36 turns, at most 145 in
 * the mini-swe-agent runs); scaled to a calibrated turn budget it can be reported by the
 * budget's last turn.
 *
 * @param turnLimit - the run's turn limit, e.g. `fromHistory(runs).pooledLimit`.
 * @param consecutiveWindows - the monitor's `consecutiveWindows` (default 3).
 * @returns the number of turns per window for `createDriftMonitor({ window })`.
 * @example
 * ```ts
 * const budget = fromHistory(runs); // e.g. pooledLimit 46
 * const drift = createDriftMonitor({ window: driftWindowFor(budget.pooledLimit) }); // 11
 * ```
 */
export function driftWindowFor(
  turnLimit: number,
  consecutiveWindows: number = defaultDriftMonitorOptions.consecutiveWindows,
): number {
  if (!(Number.isInteger(turnLimit) && turnLimit > 0)) {
    throw new InvalidOptionsError(
      'turnLimit',
      `turnLimit is ${String(turnLimit)}; use the run's turn limit, a whole number > 0, e.g. driftWindowFor(46).`,
    );
  }
  if (!(Number.isInteger(consecutiveWindows) && consecutiveWindows > 0)) {
    throw new InvalidOptionsError(
      'consecutiveWindows',
      `consecutiveWindows is ${String(consecutiveWindows)}; use a whole number > 0, e.g. 3.`,
    );
  }
  return Math.max(minDriftWindow, Math.floor(turnLimit / (consecutiveWindows + 1)));
}
