/** A linear map from a data domain to a pixel range, with round tick values. */
export interface LinearScale {
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
}

/**
 * Round tick values covering `[low, high]`: steps of 1, 2 or 5 times a power of ten.
 * @param low - smallest value.
 * @param high - largest value.
 * @param count - about how many ticks.
 * @returns the ticks, from a multiple of the step at or below `low` to one at or above `high`.
 * @example
 * ```ts
 * niceTicks(0, 93, 5); // [0, 20, 40, 60, 80, 100]
 * ```
 */
export function niceTicks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
  const first = Math.floor(low / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let value = first; value <= high + step * 0.999; value += step) {
    ticks.push(Number(value.toPrecision(12)));
    if (value >= high - 1e-12) break;
  }
  return ticks;
}

/**
 * A linear scale whose domain is widened to round ticks.
 * @param low - smallest data value.
 * @param high - largest data value.
 * @param range - pixel positions of the domain's ends (may be reversed for a y axis).
 * @example
 * ```ts
 * const x = createLinearScale(0, 93, [40, 500]);
 * x(0); // 40
 * ```
 */
export function createLinearScale(
  low: number,
  high: number,
  range: readonly [number, number],
  count = 5,
): LinearScale {
  const ticks = niceTicks(low, high > low ? high : low + 1, count);
  const start = ticks[0] as number;
  const end = ticks[ticks.length - 1] as number;
  const span = end - start || 1;
  const scale = (value: number) => range[0] + ((value - start) / span) * (range[1] - range[0]);
  return Object.assign(scale, { domain: [start, end] as const, ticks });
}

/**
 * Escapes text for HTML and SVG content and attribute values.
 * @example
 * ```ts
 * escapeHtml('<a & "b">'); // '&lt;a &amp; &quot;b&quot;&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Formats a number of pixels for SVG attributes (two decimals at most). */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * The axes of a plot: grid lines, tick labels and axis titles, as SVG elements.
 * @example
 * ```ts
 * const svg = toAxesSvg({ x, y, box, xLabel: 'turns', yLabel: 'runs', format: String });
 * ```
 */
export function toAxesSvg(options: {
  readonly x: LinearScale;
  readonly y: LinearScale;
  readonly box: {
    readonly left: number;
    readonly right: number;
    readonly top: number;
    readonly bottom: number;
  };
  readonly xLabel: string;
  readonly yLabel: string;
  readonly formatX?: (value: number) => string;
  readonly formatY?: (value: number) => string;
}): string {
  const { x, y, box } = options;
  const formatX = options.formatX ?? String;
  const formatY = options.formatY ?? String;
  const parts: string[] = [];
  for (const tick of y.ticks) {
    parts.push(
      `<line class="grid" x1="${box.left}" x2="${box.right}" y1="${px(y(tick))}" y2="${px(y(tick))}"/>`,
      `<text class="tick" x="${box.left - 6}" y="${px(y(tick) + 4)}" text-anchor="end">${escapeHtml(formatY(tick))}</text>`,
    );
  }
  for (const tick of x.ticks) {
    parts.push(
      `<line class="axis" x1="${px(x(tick))}" x2="${px(x(tick))}" y1="${box.bottom}" y2="${box.bottom + 4}"/>`,
      `<text class="tick" x="${px(x(tick))}" y="${box.bottom + 17}" text-anchor="middle">${escapeHtml(formatX(tick))}</text>`,
    );
  }
  parts.push(
    `<line class="axis" x1="${box.left}" x2="${box.right}" y1="${box.bottom}" y2="${box.bottom}"/>`,
    `<line class="axis" x1="${box.left}" x2="${box.left}" y1="${box.top}" y2="${box.bottom}"/>`,
    `<text class="label" x="${px((box.left + box.right) / 2)}" y="${box.bottom + 34}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>`,
    `<text class="label" transform="translate(${box.left - 44} ${px((box.top + box.bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(options.yLabel)}</text>`,
  );
  return parts.join('');
}
