import type { ThresholdPoint } from '../train-failure-scorer.js';
import { createLinearScale, escapeHtml, px, toAxesSvg } from './svg-scale.js';
import type { TurnCapPoint } from './threshold-curves.js';

/** Options of {@link toSaveLossCurveSvg}. */
export interface SaveLossCurveSvgOptions {
  readonly title: string;
  readonly id: string;
  /** The scorer's points over thresholds. */
  readonly scorer: readonly ThresholdPoint[];
  /** The turn cap's points over caps. */
  readonly turnCap: readonly TurnCapPoint[];
  /** The point the policy uses. */
  readonly chosen?: ThresholdPoint;
  /** The loss target, drawn as a vertical line. */
  readonly maxResolvedLoss?: number;
  /** The whole policy as evaluated (turn budget and scorer together), drawn as a square. */
  readonly policy?: {
    readonly savedFractionOfUnresolvedCost: number;
    readonly resolvedLostFraction: number;
  };
}

const percent = (value: number) => `${Math.round(value * 1000) / 10}%`;

/**
 * The saved-versus-lost plot: x is the share of resolved runs stopped, y the share of
 * unresolved runs' cost saved, one step line for the scorer over its thresholds and one for a
 * plain turn cap; the loss target and the policy's own point are marked.
 * @returns an `<svg>` element as text.
 * @example
 * ```ts
 * const svg = toSaveLossCurveSvg({ id: 'curve', title: 'Saved vs lost', ...curves });
 * ```
 */
export function toSaveLossCurveSvg(options: SaveLossCurveSvgOptions): string {
  const width = 560;
  const height = 320;
  const box = { left: 58, right: width - 16, top: 34, bottom: height - 48 };
  const target = options.maxResolvedLoss ?? 0.03;
  const xHigh = Math.min(1, Math.max(0.1, target * 4));
  const x = createLinearScale(0, xHigh, [box.left, box.right], 5);
  const visible = [...options.scorer, ...options.turnCap].filter(
    (point) => point.resolvedLostFraction <= x.domain[1],
  );
  const yHigh = Math.max(0.1, ...visible.map((point) => point.savedFractionOfUnresolvedCost));
  const y = createLinearScale(0, Math.min(1, yHigh * 1.1), [box.bottom, box.top], 5);
  const clip = `clip-${escapeHtml(options.id)}`;
  const line = (
    points: readonly { resolvedLostFraction: number; savedFractionOfUnresolvedCost: number }[],
  ) => {
    const sorted = [...points].sort(
      (a, b) =>
        a.resolvedLostFraction - b.resolvedLostFraction ||
        a.savedFractionOfUnresolvedCost - b.savedFractionOfUnresolvedCost,
    );
    // Best saving reachable at each loss: the frontier a user can pick from.
    let best = 0;
    const steps: string[] = [];
    for (const point of sorted) {
      best = Math.max(best, point.savedFractionOfUnresolvedCost);
      steps.push(
        `${steps.length === 0 ? 'M' : 'L'}${px(x(point.resolvedLostFraction))} ${px(y(best))}`,
      );
    }
    return steps.join(' ');
  };
  const parts = [
    `<defs><clipPath id="${clip}"><rect x="${box.left}" y="${box.top - 6}" width="${box.right - box.left}" height="${box.bottom - box.top + 6}"/></clipPath></defs>`,
    toAxesSvg({
      x,
      y,
      box,
      xLabel: 'resolved runs stopped',
      yLabel: 'unresolved cost saved',
      formatX: percent,
      formatY: percent,
    }),
    `<line class="target" x1="${px(x(target))}" x2="${px(x(target))}" y1="${box.top}" y2="${box.bottom}"><title>loss target ${percent(target)}</title></line>`,
    `<text class="note" x="${px(x(target) + 4)}" y="${box.top + 10}">target ${percent(target)}</text>`,
    `<g clip-path="url(#${clip})">`,
    options.turnCap.length > 0
      ? `<path class="curve turn-cap" data-points="${options.turnCap.length}" d="${line(options.turnCap)}"><title>turn cap</title></path>`
      : '',
    options.scorer.length > 0
      ? `<path class="curve scorer" data-points="${options.scorer.length}" d="${line(options.chosen === undefined ? options.scorer : [...options.scorer, options.chosen])}"><title>predicted-failure scorer</title></path>`
      : '',
    '</g>',
  ];
  if (options.chosen !== undefined) {
    const { chosen } = options;
    const cx = px(x(Math.min(chosen.resolvedLostFraction, xHigh)));
    const cy = px(y(chosen.savedFractionOfUnresolvedCost));
    parts.push(
      `<circle class="chosen" cx="${cx}" cy="${cy}" r="6"><title>${escapeHtml(`policy threshold ${chosen.threshold.toFixed(3)}: saves ${percent(chosen.savedFractionOfUnresolvedCost)} of unresolved cost, stops ${percent(chosen.resolvedLostFraction)} of resolved runs`)}</title></circle>`,
      `<g transform="translate(${box.right - 275} ${box.bottom - 34})"><circle class="chosen" cx="5" cy="-4" r="5"/><text class="note strong" x="16">scorer threshold: ${percent(chosen.savedFractionOfUnresolvedCost)} saved at ${percent(chosen.resolvedLostFraction)} lost</text></g>`,
    );
  }
  if (options.policy !== undefined) {
    const { policy } = options;
    const sx = x(Math.min(policy.resolvedLostFraction, xHigh));
    const sy = y(Math.min(policy.savedFractionOfUnresolvedCost, y.domain[1]));
    parts.push(
      `<rect class="policy-point" x="${px(sx - 5)}" y="${px(sy - 5)}" width="10" height="10"><title>${escapeHtml(`whole policy (turn budget and scorer): saves ${percent(policy.savedFractionOfUnresolvedCost)} of unresolved cost, stops ${percent(policy.resolvedLostFraction)} of resolved runs`)}</title></rect>`,
      `<g transform="translate(${box.right - 275} ${box.bottom - 14})"><rect class="policy-point" x="0" y="-9" width="10" height="10"/><text class="note strong" x="16">whole policy: ${percent(policy.savedFractionOfUnresolvedCost)} saved at ${percent(policy.resolvedLostFraction)} lost</text></g>`,
    );
  }
  parts.push(
    `<g transform="translate(${box.left + 8} 14)"><line class="curve scorer" x1="0" x2="18" y1="-4" y2="-4"/><text class="legend" x="24">predicted-failure scorer</text></g>`,
    `<g transform="translate(${box.left + 210} 14)"><line class="curve turn-cap" x1="0" x2="18" y1="-4" y2="-4"/><text class="legend" x="24">turn cap</text></g>`,
  );
  return `<svg class="plot curve-plot" data-plot="${escapeHtml(options.id)}" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}
