import type { StabilityReport } from '@reins/trajectories';

const figure = (value: number) => value.toFixed(3);

/**
 * The stability part of `reins evaluate`'s text output: the window, the runs measured, and per
 * Agent Stability Index dimension the 10th, 50th and 90th percentile over runs.
 *
 * @param stability - from `measureRunStability`.
 * @returns indented lines.
 * @example
 * ```ts
 * writeLines(io, formatStabilityLines(run.stability));
 * ```
 */
export function formatStabilityLines(stability: StabilityReport): string[] {
  const low =
    stability.lowWindowShare === null
      ? ''
      : `; ${(stability.lowWindowShare * 100).toFixed(1)}% of ${stability.windows} windows below ${stability.threshold}`;
  const rows = Object.entries({ asi: stability.asi, ...stability.dimensions }).map(
    ([name, distribution]) =>
      distribution === null
        ? `    ${name.padEnd(24)} no run's data supports it`
        : `    ${name.padEnd(24)} p10 ${figure(distribution.p10)}  p50 ${figure(distribution.p50)}  p90 ${figure(distribution.p90)}  (${distribution.runs} runs)`,
  );
  return [
    `  stability (ASI, ${stability.window}-turn windows; ${stability.runsMeasured} of ${stability.runs} runs long enough${low}):`,
    ...rows,
    `    not measurable from a run: ${Object.keys(stability.notMeasured).join(', ')}`,
  ];
}
