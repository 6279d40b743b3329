import { stabilityDimensions, unmeasuredStabilityDimensions } from '@reins/controller';
import type { StabilityDistribution, StabilityReport } from '../measure-run-stability.js';
import { escapeHtml } from './svg-scale.js';

const groupNames: Readonly<Record<string, string>> = {
  responseConsistency: 'response consistency (0.30)',
  toolUsage: 'tool usage (0.25)',
  interAgentCoordination: 'inter-agent coordination (0.25)',
  behaviouralBoundaries: 'behavioural boundaries (0.20)',
};

const figure = (value: number) => value.toFixed(3);

/** A 0–1 range bar: p10 to p90 as a line, the median as a tick. */
function rangeSvg(distribution: StabilityDistribution): string {
  const width = 160;
  const x = (value: number) => (4 + value * (width - 8)).toFixed(1);
  return `<svg class="range" width="${width}" height="14" viewBox="0 0 ${width} 14" role="img" aria-label="p10 ${figure(distribution.p10)}, median ${figure(distribution.p50)}, p90 ${figure(distribution.p90)}"><line class="axis" x1="4" x2="${width - 4}" y1="7" y2="7"/><line class="spread" x1="${x(distribution.p10)}" x2="${x(distribution.p90)}" y1="7" y2="7"/><line class="median-tick" x1="${x(distribution.p50)}" x2="${x(distribution.p50)}" y1="2" y2="12"/></svg>`;
}

/**
 * The report's stability section: per Agent Stability Index dimension, its group, how many runs
 * had it, and its 10th / 50th / 90th percentile and mean over runs with a 0–1 range bar; then
 * the dimensions a run cannot give, with the reason.
 *
 * @param stability - from `measureRunStability`.
 * @returns an HTML section.
 * @example
 * ```ts
 * const section = toStabilitySection(measureRunStability(runs, { window: 11 }));
 * ```
 */
export function toStabilitySection(stability: StabilityReport): string {
  const row = (label: string, group: string, title: string, value: StabilityDistribution | null) =>
    value === null
      ? `<tr><td title="${escapeHtml(title)}"><code>${escapeHtml(label)}</code></td><td>${escapeHtml(group)}</td><td colspan="6" class="muted">no run's data supports it</td></tr>`
      : `<tr><td title="${escapeHtml(title)}"><code>${escapeHtml(label)}</code></td><td>${escapeHtml(group)}</td><td class="number">${value.runs}</td><td class="number">${figure(value.p10)}</td><td class="number">${figure(value.p50)}</td><td class="number">${figure(value.p90)}</td><td class="number">${figure(value.mean)}</td><td>${rangeSvg(value)}</td></tr>`;
  const rows = [
    row('ASI', 'all groups, renormalised', 'weighted mean of the group means', stability.asi),
    ...Object.entries(stabilityDimensions).map(([name, info]) =>
      row(
        name,
        groupNames[info.group] ?? info.group,
        `${info.paperName}: ${info.definition}`,
        stability.dimensions[name as keyof typeof stabilityDimensions],
      ),
    ),
  ].join('');
  const unmeasured = Object.entries(unmeasuredStabilityDimensions)
    .map(
      ([name, info]) =>
        `<li><code>${escapeHtml(name)}</code> (${escapeHtml(info.paperName)}, ${escapeHtml(groupNames[info.group] ?? info.group)}): ${escapeHtml(info.definition)}</li>`,
    )
    .join('');
  const low =
    stability.lowWindowShare === null
      ? ''
      : ` ${(stability.lowWindowShare * 100).toFixed(1)}% of the ${stability.windows} scored windows have ASI below ${stability.threshold}.`;
  return `<section id="stability">
<h2>Agent Stability Index</h2>
<p class="muted">${stability.window}-turn windows, the first of each run its baseline, as the drift monitor scores them: ${stability.runsMeasured} of ${stability.runs} runs have two windows or more. Each run contributes its mean over its scored windows; 1 = as stable as its baseline.${low} Hover a dimension for its definition.</p>
<figure class="table"><table><thead><tr><th>dimension</th><th>group (weight)</th><th>runs</th><th>p10</th><th>p50</th><th>p90</th><th>mean</th><th>p10 – p90 on [0, 1]</th></tr></thead><tbody>${rows}</tbody></table></figure>
<p class="muted">Not measured from a run's turns:</p>
<ul class="muted">${unmeasured}</ul>
</section>`;
}
