import type { SimulationSweep } from './run-simulation-sweep.js';

/** Options of {@link toSweepSvg}. */
export interface SweepSvgOptions {
  /** @defaultValue 640 */
  readonly width?: number;
  /** @defaultValue 400 */
  readonly height?: number;
  /** @defaultValue `'Mean job completion time by arrival rate'` */
  readonly title?: string;
}

/** The documented defaults of {@link toSweepSvg}. */
export const defaultSweepSvgOptions = {
  width: 640,
  height: 400,
  title: 'Mean job completion time by arrival rate',
} as const satisfies Required<SweepSvgOptions>;

/** A colour per policy (colour-blind-safe Okabe–Ito), then the rest of the palette. */
const palette = [
  '#d55e00',
  '#0072b2',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#f0e442',
  '#000000',
  '#999999',
  '#882255',
  '#44aa99',
];

const policyLabels: Readonly<Record<string, string>> = {
  lru: 'vLLM-like (LRU, no pins)',
  continuum: "Continuum's public rule",
  continuumPaper: "Continuum's paper rule",
  oracle: 'Oracle (best in hindsight, true pauses)',
  reins: 'Reins hints',
};

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** A round step giving about `count` ticks over `[0, max]`. */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * Draws a sweep as one self-contained SVG document (no script, no external reference): mean
 * job completion time in seconds against arrival rate, one line (`<path>`, with a dot per
 * rate) per policy, labelled axes with ticks, and a legend. Each line carries
 * `data-policy="<name>"`; axes and ticks are `<line>` elements, so the document has exactly
 * one `<path>` per policy.
 *
 * @param sweep - the result of {@link runSimulationSweep}.
 * @param options - size and title.
 * @returns the SVG text, starting with the XML declaration.
 * @example
 * ```ts
 * await writeFile('plot.svg', toSweepSvg(runSimulationSweep({ templates, rates, programs: 50 })));
 * ```
 */
export function toSweepSvg(sweep: SimulationSweep, options: SweepSvgOptions = {}): string {
  const { width, height, title } = { ...defaultSweepSvgOptions, ...options };
  const margin = { left: 64, right: 16, top: 40, bottom: 48 };
  const legendHeight = 18 * sweep.policies.length + 8;
  const plot = {
    left: margin.left,
    top: margin.top + legendHeight,
    right: width - margin.right,
    bottom: height - margin.bottom,
  };
  const rates = sweep.rows.map((row) => row.arrivalsPerSecond);
  const seconds = sweep.rows.flatMap((row) =>
    row.policies.map((result) => result.meanJobMs / 1000),
  );
  let xMin = Math.min(...rates);
  let xMax = Math.max(...rates);
  if (!(xMax > xMin)) {
    xMin = xMin / 2;
    xMax = xMax * 1.5 || 1;
  }
  // a margin on both sides, so that the first and last dots sit off the axes
  const pad = (xMax - xMin) * 0.05;
  xMin -= pad;
  xMax += pad;
  const yStep = niceStep(Math.max(...seconds, 1), 5);
  const yMax = Math.ceil(Math.max(...seconds, 1) / yStep) * yStep;
  const x = (rate: number) =>
    plot.left + ((rate - xMin) / (xMax - xMin)) * (plot.right - plot.left);
  const y = (value: number) => plot.bottom - (value / yMax) * (plot.bottom - plot.top);

  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
  ];
  // Y axis, grid and ticks.
  parts.push('<g class="axis y-axis" stroke="#444">');
  parts.push(`<line x1="${plot.left}" y1="${plot.top}" x2="${plot.left}" y2="${plot.bottom}"/>`);
  for (let value = 0; value <= yMax + yStep / 2; value += yStep) {
    const at = round(y(value));
    parts.push(
      `<line x1="${plot.left - 4}" y1="${at}" x2="${plot.left}" y2="${at}"/>`,
      `<line x1="${plot.left}" y1="${at}" x2="${plot.right}" y2="${at}" stroke="#e5e5e5"/>`,
      `<text x="${plot.left - 8}" y="${at}" dy="4" text-anchor="end" stroke="none" fill="#222">${round(value)}</text>`,
    );
  }
  parts.push('</g>');
  // X axis and ticks, one per simulated rate.
  parts.push('<g class="axis x-axis" stroke="#444">');
  parts.push(
    `<line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.bottom}"/>`,
  );
  for (const rate of rates) {
    const at = round(x(rate));
    parts.push(
      `<line x1="${at}" y1="${plot.bottom}" x2="${at}" y2="${plot.bottom + 4}"/>`,
      `<text x="${at}" y="${plot.bottom + 18}" text-anchor="middle" stroke="none" fill="#222">${rate}</text>`,
    );
  }
  parts.push('</g>');
  parts.push(
    `<text class="axis-label" x="${(plot.left + plot.right) / 2}" y="${height - 10}" text-anchor="middle">program arrivals per second</text>`,
    `<text class="axis-label" transform="translate(16 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">mean job completion time (s)</text>`,
  );
  // One line per policy, with a dot per rate.
  sweep.policies.forEach((policy, index) => {
    const colour = palette[index % palette.length] as string;
    const points = sweep.rows.map((row) => {
      const result = row.policies.find((entry) => entry.policy === policy);
      return { x: x(row.arrivalsPerSecond), y: y((result?.meanJobMs ?? 0) / 1000) };
    });
    const d = points
      .map(
        (point, pointIndex) => `${pointIndex === 0 ? 'M' : 'L'}${round(point.x)} ${round(point.y)}`,
      )
      .join(' ');
    parts.push(
      `<g class="series" data-policy="${escapeXml(policy)}">`,
      `<path d="${d}" fill="none" stroke="${colour}" stroke-width="2" data-policy="${escapeXml(policy)}"/>`,
      ...points.map(
        (point) => `<circle cx="${round(point.x)}" cy="${round(point.y)}" r="3" fill="${colour}"/>`,
      ),
      '</g>',
    );
  });
  // Legend.
  parts.push(`<g class="legend" transform="translate(${plot.left + 8} ${margin.top})">`);
  sweep.policies.forEach((policy, index) => {
    const colour = palette[index % palette.length] as string;
    const top = index * 18;
    parts.push(
      `<line x1="0" y1="${top + 6}" x2="20" y2="${top + 6}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="26" y="${top + 10}">${escapeXml(policyLabels[policy] ?? policy)}</text>`,
    );
  });
  parts.push('</g>', '</svg>');
  return `${parts.join('\n')}\n`;
}
