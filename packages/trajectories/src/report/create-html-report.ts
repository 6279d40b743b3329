import type { ContractEvaluation } from '../evaluate-contracts.js';
import type { EvaluationReport, RunEvaluation } from '../evaluate-controller.js';
import type { StabilityReport } from '../measure-run-stability.js';
import type { Policy } from '../policy.js';
import { toContractsSection } from './contracts-section.js';
import { toHistogramSvg } from './histogram-svg.js';
import { toRunTimelinesSvg } from './run-timelines-svg.js';
import { toSaveLossCurveSvg } from './save-loss-curve-svg.js';
import { toStabilitySection } from './stability-table.js';
import { escapeHtml } from './svg-scale.js';
import type { ThresholdCurves } from './threshold-curves.js';

/** What {@link createHtmlReport} draws. */
export interface HtmlReportInput {
  /** A counterfactual evaluation, from `evaluateController`. */
  readonly evaluation: EvaluationReport;
  /** Saved-versus-lost curves, from `createThresholdCurves`; the plot is left out without them. */
  readonly curves?: ThresholdCurves;
  /** The policy evaluated, for its loss target and cross-validated evidence. */
  readonly policy?: Policy;
  /**
   * The Agent Stability Index of the runs per dimension, from `measureRunStability`; the
   * section is left out without it.
   */
  readonly stability?: StabilityReport;
  /** @defaultValue `'Reins evaluation report'` */
  readonly title?: string;
  /** Where the runs came from (a folder), shown under the title. */
  readonly source?: string;
  /**
   * Runs drawn as timelines: resolved runs lost first, then stopped runs by cost saved, then runs
   * with the most firings, then the most expensive.
   * @defaultValue 40
   */
  readonly timelineRuns?: number;
  /**
   * The saving goal: the "Unresolved cost saved" card is green when the evaluation reaches it,
   * red when not.
   * @defaultValue 0.2
   */
  readonly savingGoal?: number;
  /** The time written in the report. @defaultValue now */
  readonly now?: () => Date;
  /** Contract compliance of the runs, from `evaluateContracts`; the section is left out without it. */
  readonly contracts?: readonly ContractEvaluation[];
}

/** Defaults of {@link HtmlReportInput}. */
export const defaultHtmlReportOptions = Object.freeze({
  title: 'Reins evaluation report',
  timelineRuns: 40,
  savingGoal: 0.2,
});

const percent = (value: number) => `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
const money = (value: number) => `$${value.toFixed(2)}`;

/**
 * Renders an evaluation as one self-contained HTML page (inline SVG and CSS, no script, nothing
 * fetched): headline figures with bootstrap intervals, turn and cost distributions of resolved
 * and unresolved runs, the saved-versus-lost curve over the scorer's thresholds against a plain
 * turn cap, firings per event, contract compliance (when given), each Agent Stability Index
 * dimension's distribution over the runs (with `stability`), and per-run timelines with each
 * monitor's firings.
 *
 * @param input - the evaluation, curves, policy and display settings.
 * @returns the HTML text.
 * @example
 * ```ts
 * const evaluation = await evaluateController(trajectories, createPolicyController(policy));
 * const html = createHtmlReport({ evaluation, curves: createThresholdCurves(trajectories, policy), policy });
 * await writeFile('report.html', html);
 * ```
 */
export function createHtmlReport(input: HtmlReportInput): string {
  const { evaluation, policy } = input;
  const title = input.title ?? defaultHtmlReportOptions.title;
  const generatedAt = (input.now?.() ?? new Date()).toISOString();
  const runs = evaluation.perRun;
  const pick = (outcome: boolean | undefined, value: (run: RunEvaluation) => number) =>
    runs.filter((run) => run.resolved === outcome).map(value);
  const turnsPlot = toHistogramSvg({
    id: 'turns',
    title: 'Model calls per run',
    resolved: pick(true, (run) => run.turns),
    unresolved: pick(false, (run) => run.turns),
    unknown: pick(undefined, (run) => run.turns),
    xLabel: 'model calls per run',
  });
  const costPlot = toHistogramSvg({
    id: 'cost',
    title: 'Cost per run',
    resolved: pick(true, (run) => run.costUsd),
    unresolved: pick(false, (run) => run.costUsd),
    unknown: pick(undefined, (run) => run.costUsd),
    xLabel: 'recorded cost per run (USD)',
    format: (value) => `$${Number(value.toPrecision(3))}`,
  });
  const maxResolvedLoss = policy?.evidence?.maxResolvedLoss ?? 0.03;
  const savingGoal = input.savingGoal ?? defaultHtmlReportOptions.savingGoal;
  const curvePlot =
    input.curves === undefined
      ? ''
      : toSaveLossCurveSvg({
          id: 'saved-vs-lost',
          title: 'Saved versus lost over thresholds',
          scorer: input.curves.scorer,
          turnCap: input.curves.turnCap,
          maxResolvedLoss,
          policy: evaluation,
          ...(input.curves.chosen === undefined ? {} : { chosen: input.curves.chosen }),
        });
  const shown = selectTimelineRuns(
    runs,
    input.timelineRuns ?? defaultHtmlReportOptions.timelineRuns,
  );
  const timelines = toRunTimelinesSvg({ id: 'timelines', title: 'Per-run timelines', runs: shown });
  const interval = (
    name: keyof EvaluationReport['intervals'],
    format: (value: number) => string,
  ) => {
    const value = evaluation.intervals[name];
    return `${Math.round(value.confidence * 100)}% interval ${format(value.low)} – ${format(value.high)}`;
  };
  const cards = [
    card(
      'Runs',
      String(evaluation.runs),
      `${evaluation.resolved} resolved, ${evaluation.unresolved} unresolved`,
    ),
    card(
      'Recorded cost',
      money(evaluation.costUsd),
      `${money(evaluation.unresolvedCostUsd)} on unresolved runs`,
    ),
    card(
      'Saved',
      money(evaluation.savedUsd),
      `${percent(evaluation.savedFractionOfCost)} of all cost; ${interval('savedUsd', money)}`,
    ),
    card(
      'Unresolved cost saved',
      percent(evaluation.savedFractionOfUnresolvedCost),
      `goal ≥ ${percent(savingGoal)}; ${interval('savedFractionOfUnresolvedCost', percent)}`,
      evaluation.savedFractionOfUnresolvedCost >= savingGoal ? 'good' : 'bad',
    ),
    card(
      'Resolved runs lost',
      `${evaluation.resolvedLost} (${percent(evaluation.resolvedLostFraction)})`,
      `target ≤ ${percent(maxResolvedLoss)}; ${interval('resolvedLostFraction', percent)}`,
      evaluation.resolvedLostFraction > maxResolvedLoss ? 'bad' : 'good',
    ),
    card(
      'Runs stopped',
      String(evaluation.runsStopped),
      `${evaluation.turnsSaved} of ${evaluation.turns} model calls not made`,
    ),
  ];
  const evidence = policy?.evidence;
  const heldOut = evidence?.heldOut;
  const range = (figure: { estimate: number; low: number; high: number }) =>
    `${percent(figure.estimate)} (${percent(figure.low)}–${percent(figure.high)})`;
  const evidenceText =
    evidence === undefined
      ? ''
      : heldOut === undefined
        ? `<p class="evidence">Calibrated on ${evidence.runs} runs (${evidence.resolved} resolved) with a loss target of ${percent(evidence.maxResolvedLoss)}: cross-validated over ${evidence.folds} folds, the scorer saved ${percent(evidence.savedFractionOfUnresolvedCost)} of unresolved cost at ${percent(evidence.resolvedLostFraction)} resolved runs lost.</p>`
        : `<p class="evidence">Calibrated on ${evidence.runs} runs (${evidence.resolved} resolved) with a loss target of ${percent(evidence.maxResolvedLoss)}. Expected on ${heldOut.predictionRuns} unseen runs (${heldOut.repeats}× repeated ${heldOut.folds}-fold nested cross-validation, ${percent(heldOut.confidence)} intervals): ${range(heldOut.savedFractionOfUnresolvedCost)} of unresolved cost saved, ${range(heldOut.resolvedLostFraction)} of resolved runs lost.${evidence.thinEvidence === undefined ? '' : ` A bolder policy was not written: ${escapeHtml(evidence.thinEvidence)}.`}</p>`;
  const firingRows = Object.entries(evaluation.byName)
    .sort((a, b) => b[1].total - a[1].total)
    .map(
      ([name, entry]) =>
        `<tr><td>${escapeHtml(name)}</td><td class="number">${entry.total}</td><td class="number">${entry.runs}</td><td><span class="meter" style="width:${Math.round((entry.runs / Math.max(1, evaluation.runs)) * 200)}px"></span></td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="muted">Controller <b>${escapeHtml(evaluation.controller)}</b> replayed over ${evaluation.runs} recorded runs${input.source === undefined ? '' : ` from <code>${escapeHtml(input.source)}</code>`}. Generated ${escapeHtml(generatedAt)}.</p>
</header>
<section class="cards">${cards.join('')}</section>
${evidenceText}
<section class="grid">
<figure><figcaption>Model calls per run</figcaption>${turnsPlot}</figure>
<figure><figcaption>Cost per run</figcaption>${costPlot}</figure>
${curvePlot === '' ? '' : `<figure class="in-sample"><figcaption>Saved versus lost over thresholds <span class="badge">in-sample</span></figcaption>${curvePlot}<p class="muted">In-sample: every threshold and cap is measured on the runs of this report, so the best point of a curve is optimistic. Figures for unseen runs are the calibration's held-out estimate above.</p></figure>`}
<figure class="table"><figcaption>Firings by event</figcaption>
<table><thead><tr><th>event or directive</th><th>total</th><th>runs</th><th>share of runs</th></tr></thead><tbody>${firingRows === '' ? '<tr><td colspan="4" class="muted">The controller made no decision on these runs.</td></tr>' : firingRows}</tbody></table>
</figure>
</section>
${toContractsSection(input.contracts ?? [])}
${input.stability === undefined ? '' : toStabilitySection(input.stability)}
<section>
<h2>Per-run timelines</h2>
<p class="muted">${shown.length} of ${runs.length} runs: resolved runs lost first, then stopped runs by cost saved, then runs with the most firings, then the most expensive.</p>
<figure class="wide">${timelines}</figure>
</section>
<footer class="muted">After a decision that is not a stop, the recording continues as recorded; a stop before call k saves the recorded cost of calls k…n; a resolved run that is stopped counts as lost.</footer>
</body>
</html>
`;
}

function card(label: string, value: string, detail: string, tone = ''): string {
  return `<div class="card ${tone}"><div class="card-label">${escapeHtml(label)}</div><div class="card-value">${escapeHtml(value)}</div><div class="card-detail">${escapeHtml(detail)}</div></div>`;
}

function selectTimelineRuns(runs: readonly RunEvaluation[], count: number): RunEvaluation[] {
  const rank = (run: RunEvaluation) =>
    run.resolvedLost ? 0 : run.stopped ? 1 : run.firings.length > 0 ? 2 : 3;
  return [...runs]
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        b.savedUsd - a.savedUsd ||
        b.firings.length - a.firings.length ||
        b.costUsd - a.costUsd ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .slice(0, Math.max(0, count));
}

const styles = `
:root{--resolved:#2f855a;--unresolved:#c53030;--unknown:#718096;--ink:#1a202c;--muted:#5a6473;--line:#e2e8f0}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0 auto;padding:24px 32px;max-width:1220px;background:#fafbfc}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 4px}
.muted{color:var(--muted)}code{font-size:13px}
.cards{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin:18px 0}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card-label{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.card-value{font-size:24px;font-weight:650;margin:2px 0}
.card-detail{font-size:12px;color:var(--muted)}
.card.good .card-value{color:var(--resolved)}.card.bad .card-value{color:var(--unresolved)}
.badge{font-size:11px;text-transform:uppercase;letter-spacing:.04em;background:#fef3c7;color:#92400e;border-radius:4px;padding:1px 6px;margin-left:6px}
.evidence{background:#fff;border-left:4px solid #2563eb;padding:8px 12px;margin:0 0 12px}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}
figure{margin:0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 12px;overflow-x:auto}
figcaption{font-weight:600;margin-bottom:4px}
figure.wide{padding:8px}
svg{display:block;max-width:100%;height:auto;font-family:inherit}
.grid line.grid,svg line.grid{stroke:#edf2f7}
svg line.axis{stroke:#a0aec0}
svg text{font-size:11px;fill:var(--ink)}
svg text.tick{fill:var(--muted)}svg text.label{font-size:12px;fill:var(--muted)}
svg text.legend{font-size:12px}svg text.note{font-size:11px;fill:var(--muted)}svg text.note.strong{fill:var(--ink);font-weight:600}
svg text.run-label{font-size:11px}svg tspan.muted{fill:var(--muted)}
rect.bar.resolved,rect.span.resolved{fill:var(--resolved)}
rect.bar.unresolved,rect.span.unresolved{fill:var(--unresolved)}
rect.bar.unknown,rect.span.unknown{fill:var(--unknown)}
rect.span{opacity:.75}
line.median{stroke-width:2;stroke-dasharray:4 3}
line.median.resolved{stroke:#22543d}line.median.unresolved{stroke:#742a2a}
path.curve,line.curve{fill:none;stroke-width:2.5}
.curve.scorer{stroke:#2563eb}.curve.turn-cap{stroke:#a0aec0;stroke-dasharray:6 4}
line.target{stroke:#c53030;stroke-dasharray:3 3}
circle.chosen{fill:#2563eb;stroke:#fff;stroke-width:2}
rect.policy-point{fill:#111;stroke:#fff;stroke-width:2}
line.stop-mark{stroke:#111;stroke-width:2.5}line.stop-mark.lost{stroke:#c53030}
circle.firing{stroke:#fff;stroke-width:1}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line)}
td.number{text-align:right;font-variant-numeric:tabular-nums}
td.good{color:var(--resolved)}td.bad{color:var(--unresolved)}
.meter{display:inline-block;height:10px;background:#2563eb;border-radius:2px}
footer{margin-top:24px;font-size:12px}
svg.range line.axis{stroke:#cbd5e0}svg.range line.spread{stroke:#2563eb;stroke-width:4;stroke-linecap:round}svg.range line.median-tick{stroke:#111;stroke-width:2}
@media (max-width:900px){.cards{grid-template-columns:repeat(2,1fr)}.grid{grid-template-columns:1fr}}
`;
