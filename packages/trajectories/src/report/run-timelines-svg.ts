import type { RunEvaluation } from '../evaluate-controller.js';
import { createLinearScale, escapeHtml, px } from './svg-scale.js';

/** Options of {@link toRunTimelinesSvg}. */
export interface RunTimelinesSvgOptions {
  readonly title: string;
  readonly id: string;
  /** The runs to draw, one row each, in order. */
  readonly runs: readonly RunEvaluation[];
}

/** Colours of firing markers, given to firing names in order of frequency. */
const palette = [
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#2563eb',
  '#9f1239',
  '#525252',
];

const money = (value: number) => `$${value.toFixed(2)}`;

/**
 * Per-run timelines: one row per run, a bar as long as its recorded model calls (green when
 * resolved, red when not), the calls a stop would have saved hatched after a black stop mark, and
 * one coloured dot per controller or monitor firing at the turn it happened (a legend names
 * them). Every row carries `data-run`, every dot `data-firing` and a tooltip.
 * @returns an `<svg>` element as text.
 * @example
 * ```ts
 * const svg = toRunTimelinesSvg({ id: 'timelines', title: 'Runs', runs: report.perRun.slice(0, 40) });
 * ```
 */
export function toRunTimelinesSvg(options: RunTimelinesSvgOptions): string {
  const rowHeight = 20;
  const labelWidth = 250;
  const width = 1140;
  const counts = new Map<string, number>();
  for (const run of options.runs)
    for (const firing of run.firings)
      if (firing.kind !== 'stop') counts.set(firing.name, (counts.get(firing.name) ?? 0) + 1);
  const names = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const colour = new Map(
    names.map(([name], index) => [name, palette[index % palette.length] as string]),
  );
  const legendHeight = 30;
  const top = legendHeight + 24;
  const height = top + options.runs.length * rowHeight + 40;
  const longest = Math.max(1, ...options.runs.map((run) => run.turns));
  const x = createLinearScale(0, longest, [labelWidth + 10, width - 20], 10);
  const parts: string[] = [
    `<defs><pattern id="saved-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e5e7eb"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9ca3af" stroke-width="2"/></pattern></defs>`,
  ];
  for (const tick of x.ticks) {
    parts.push(
      `<line class="grid" x1="${px(x(tick))}" x2="${px(x(tick))}" y1="${top - 6}" y2="${height - 34}"/>`,
      `<text class="tick" x="${px(x(tick))}" y="${height - 20}" text-anchor="middle">${tick}</text>`,
    );
  }
  parts.push(
    `<text class="label" x="${px((x(0) + x(x.domain[1])) / 2)}" y="${height - 4}" text-anchor="middle">model call (turn)</text>`,
  );
  options.runs.forEach((run, row) => {
    const y = top + row * rowHeight;
    const outcome =
      run.resolved === true ? 'resolved' : run.resolved === false ? 'unresolved' : 'unknown';
    const made = run.stopped ? run.modelCalls : run.turns;
    const label = run.id.length > 34 ? `${run.id.slice(0, 33)}…` : run.id;
    const rowParts = [
      `<g class="run" data-run="${escapeHtml(run.id)}" data-outcome="${outcome}" data-stopped="${run.stopped}">`,
      `<text class="run-label" x="${labelWidth}" y="${y + 14}" text-anchor="end">${escapeHtml(label)} <tspan class="muted">${money(run.costUsd)}</tspan></text>`,
      `<rect class="span ${outcome}" x="${px(x(0))}" y="${y + 5}" width="${px(x(made) - x(0))}" height="10"><title>${escapeHtml(`${run.id}: ${run.turns} calls, ${money(run.costUsd)}, ${outcome}`)}</title></rect>`,
    ];
    if (run.stopped) {
      rowParts.push(
        `<rect class="saved" x="${px(x(made))}" y="${y + 5}" width="${px(x(run.turns) - x(made))}" height="10" fill="url(#saved-hatch)"><title>${escapeHtml(`${run.turnsSaved} calls not made, ${money(run.savedUsd)} saved${run.resolvedLost ? ' (a resolved run lost)' : ''}`)}</title></rect>`,
        `<line class="stop-mark${run.resolvedLost ? ' lost' : ''}" x1="${px(x(made))}" x2="${px(x(made))}" y1="${y + 1}" y2="${y + 19}"><title>${escapeHtml(`stopped before call ${run.stop?.turn ?? made + 1}: ${run.stop?.reason ?? 'stop'} (${run.stop?.source ?? ''})`)}</title></line>`,
      );
    }
    const stacked = new Map<number, number>();
    for (const firing of run.firings) {
      if (firing.kind === 'stop') continue;
      const at = firing.hook === 'beforeModel' ? firing.turn - 1 : firing.turn;
      const level = stacked.get(at) ?? 0;
      stacked.set(at, level + 1);
      rowParts.push(
        `<circle class="firing" data-firing="${escapeHtml(firing.name)}" cx="${px(x(at))}" cy="${px(y + 10 - Math.min(level, 2) * 4)}" r="4" fill="${colour.get(firing.name) ?? '#525252'}"><title>${escapeHtml(`turn ${firing.turn}, ${firing.hook}: ${firing.name}${firing.source === undefined ? '' : ` (${firing.source})`}`)}</title></circle>`,
      );
    }
    rowParts.push('</g>');
    parts.push(rowParts.join(''));
  });
  const legend: string[] = [
    `<g transform="translate(10 18)"><rect class="span resolved" width="18" height="10" y="-9"/><text class="legend" x="23">resolved</text></g>`,
    `<g transform="translate(100 18)"><rect class="span unresolved" width="18" height="10" y="-9"/><text class="legend" x="23">unresolved</text></g>`,
    `<g transform="translate(200 18)"><rect width="18" height="10" y="-9" fill="url(#saved-hatch)"/><line class="stop-mark" x1="0" x2="0" y1="-12" y2="4"/><text class="legend" x="23">saved after a stop</text></g>`,
  ];
  let legendX = 350;
  names.forEach(([name, count]) => {
    const text = `${name} (${count})`;
    legend.push(
      `<g transform="translate(${legendX} 18)"><circle r="5" cy="-4" cx="6" fill="${colour.get(name)}"/><text class="legend" x="16">${escapeHtml(text)}</text></g>`,
    );
    legendX += 34 + text.length * 7;
  });
  return `<svg class="plot timelines" data-plot="${escapeHtml(options.id)}" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${legend.join('')}${parts.join('')}</svg>`;
}
