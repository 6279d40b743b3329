import { quantile } from '../bootstrap.js';
import { createLinearScale, escapeHtml, niceTicks, px, toAxesSvg } from './svg-scale.js';

/** Options of {@link toHistogramSvg}. */
export interface HistogramSvgOptions {
  /** The plot's title, also its accessible name. */
  readonly title: string;
  /** Values of resolved runs (drawn at the bottom of each bar). */
  readonly resolved: readonly number[];
  /** Values of unresolved runs (stacked on top). */
  readonly unresolved: readonly number[];
  /** Values of runs with no known outcome (stacked last). */
  readonly unknown?: readonly number[];
  readonly xLabel: string;
  /** Formats values on the x axis and in tooltips. @defaultValue `String` */
  readonly format?: (value: number) => string;
  /** About how many bins. @defaultValue 24 */
  readonly bins?: number;
  /** Identifies the plot in the page (`data-plot`). */
  readonly id: string;
}

/**
 * A stacked histogram of one quantity per run (turns, cost), resolved runs at the bottom of each
 * bar and unresolved runs on top, with each group's median marked. Every bar carries its count
 * in `data-count` and a tooltip.
 * @param options - title, values per outcome, axis label, formatter, bins.
 * @returns an `<svg>` element as text.
 * @example
 * ```ts
 * const svg = toHistogramSvg({ id: 'turns', title: 'Turns per run', resolved, unresolved, xLabel: 'turns' });
 * ```
 */
export function toHistogramSvg(options: HistogramSvgOptions): string {
  const width = 560;
  const height = 280;
  const box = { left: 58, right: width - 16, top: 34, bottom: height - 48 };
  const format = options.format ?? String;
  const groups = [
    { name: 'resolved', values: options.resolved },
    { name: 'unresolved', values: options.unresolved },
    { name: 'unknown', values: options.unknown ?? [] },
  ] as const;
  const all = groups.flatMap((group) => group.values);
  const high = all.length === 0 ? 1 : Math.max(...all);
  const low = all.length === 0 ? 0 : Math.min(0, ...all);
  const edges = niceTicks(low, high, options.bins ?? 24);
  if (edges.length < 2) edges.push((edges[0] as number) + 1);
  const step = (edges[1] as number) - (edges[0] as number);
  const binCount = edges.length - 1;
  const counts = groups.map(() => new Array<number>(binCount).fill(0));
  groups.forEach((group, index) => {
    const row = counts[index] as number[];
    for (const value of group.values) {
      const bin = Math.min(
        binCount - 1,
        Math.max(0, Math.floor((value - (edges[0] as number)) / step)),
      );
      row[bin] = (row[bin] as number) + 1;
    }
  });
  const totals = Array.from({ length: binCount }, (_, bin) =>
    counts.reduce((sum, row) => sum + (row[bin] as number), 0),
  );
  const x = createLinearScale(
    edges[0] as number,
    edges[binCount] as number,
    [box.left, box.right],
    6,
  );
  const y = createLinearScale(0, Math.max(1, ...totals), [box.bottom, box.top], 5);
  const bars: string[] = [];
  for (let bin = 0; bin < binCount; bin += 1) {
    const from = (edges[0] as number) + bin * step;
    let base = 0;
    groups.forEach((group, index) => {
      const count = (counts[index] as number[])[bin] as number;
      if (count === 0) return;
      const top = y(base + count);
      const bottom = y(base);
      bars.push(
        `<rect class="bar ${group.name}" data-count="${count}" x="${px(x(from) + 0.5)}" y="${px(top)}" width="${px(Math.max(1, x(from + step) - x(from) - 1))}" height="${px(bottom - top)}"><title>${escapeHtml(`${format(from)} – ${format(from + step)}: ${count} ${group.name} run${count === 1 ? '' : 's'}`)}</title></rect>`,
      );
      base += count;
    });
  }
  const medians = groups
    .filter((group) => group.name !== 'unknown' && group.values.length > 0)
    .map((group) => {
      const median = quantile(
        [...group.values].sort((a, b) => a - b),
        0.5,
      );
      const at = px(x(median));
      return `<line class="median ${group.name}" x1="${at}" x2="${at}" y1="${box.top - 4}" y2="${box.bottom}"><title>${escapeHtml(`median of ${group.name} runs: ${format(median)}`)}</title></line>`;
    });
  const legend = groups
    .filter((group) => group.values.length > 0)
    .map(
      (group, index) =>
        `<g transform="translate(${box.left + 8 + index * 150} 14)"><rect class="bar ${group.name}" width="12" height="12" y="-10"/><text class="legend" x="17">${group.name} (${group.values.length})</text></g>`,
    )
    .join('');
  return `<svg class="plot histogram" data-plot="${escapeHtml(options.id)}" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${toAxesSvg({ x, y, box, xLabel: options.xLabel, yLabel: 'runs', formatX: format })}${bars.join('')}${medians.join('')}${legend}</svg>`;
}
