import type { AgentEvent, Evidence } from '@reins/core';
import { type RunTimeline, type TimelineEntry, toRunTimelines } from './run-timeline.js';
import { escapeHtml } from './svg-scale.js';

/** What {@link createRunPage} draws. */
export interface RunPageInput {
  /** Events of one or more runs, e.g. from `readEventLog`. */
  readonly events: readonly AgentEvent[];
  /** @defaultValue `'Reins run'` (or `'Reins runs'` for several) */
  readonly title?: string;
  /** Where the events came from (a file), shown under the title. */
  readonly source?: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

function evidenceHtml(evidence: Evidence | undefined): string {
  if (evidence === undefined) return '';
  const chips = Object.entries(evidence).map(
    ([key, value]) =>
      `<span class="chip"><span class="key">${escapeHtml(key)}</span> ${escapeHtml(String(value))}</span>`,
  );
  return chips.length === 0 ? '' : `<div class="evidence">${chips.join('')}</div>`;
}

function entryHtml(entry: TimelineEntry): string {
  const source =
    entry.source === undefined ? '' : ` <span class="muted">by ${escapeHtml(entry.source)}</span>`;
  return `<li class="entry ${entry.kind}" data-name="${escapeHtml(entry.name)}"><span class="at muted">${seconds(entry.atMs)}</span> <b>${escapeHtml(entry.name)}</b>${source}: ${escapeHtml(entry.text)}${evidenceHtml(entry.evidence)}</li>`;
}

function runHtml(run: RunTimeline, index: number): string {
  const { result } = run;
  const usage = result?.usage;
  const summary =
    result === undefined
      ? '<span class="status running">running</span> (no <code>run.end</code> yet)'
      : `<span class="status ${escapeHtml(result.status)}">${escapeHtml(result.status)}</span>${result.reason === undefined ? '' : ` (${escapeHtml(result.reason)})`} after ${result.turns} turns${result.message === undefined ? '' : ` — ${escapeHtml(result.message)}`}`;
  const totals =
    usage === undefined
      ? ''
      : `<p class="muted">${usage.inputTokens} input tokens (${usage.cachedInputTokens} cached), ${usage.outputTokens} output tokens, $${usage.costUsd.toFixed(4)}</p>`;
  const before =
    run.before.length === 0 ? '' : `<ul class="entries">${run.before.map(entryHtml).join('')}</ul>`;
  const rows = run.turns
    .map((turn) => {
      const model =
        turn.model === undefined
          ? '<span class="muted">no answer</span>'
          : `${escapeHtml(turn.model.finishReason)}, ${turn.model.usage.inputTokens}→${turn.model.usage.outputTokens} tokens, ${seconds(turn.model.durationMs)}`;
      const tools = turn.tools
        .map(
          (tool) =>
            `<div class="tool ${tool.status}"><code>${escapeHtml(tool.name)}</code> ${tool.status}${tool.durationMs === undefined ? '' : ` ${seconds(tool.durationMs)}`}${tool.detail === undefined ? '' : `<div class="muted">${escapeHtml(tool.detail)}</div>`}</div>`,
        )
        .join('');
      const entries =
        turn.entries.length === 0
          ? ''
          : `<ul class="entries">${turn.entries.map(entryHtml).join('')}</ul>`;
      return `<tr data-turn="${turn.turn}"><td class="number">${turn.turn}</td><td class="number muted">${seconds(turn.startMs)}</td><td>${model}</td><td>${tools}</td><td>${entries}</td></tr>`;
    })
    .join('\n');
  return `<section class="run" id="run-${index + 1}">
<h2>Run <code>${escapeHtml(run.runId)}</code></h2>
${run.task === undefined ? '' : `<p class="task">${escapeHtml(run.task)}</p>`}
<p>${summary}</p>
${totals}
${before}
<table>
<thead><tr><th>turn</th><th>at</th><th>model call</th><th>tool calls</th><th>decisions, controller events, interruptions (with their evidence)</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
}

/**
 * Writes one self-contained HTML page per run (one section each, with an index when there are
 * several): the run's outcome and totals, then its timeline of turns, each with its model
 * call, its tool calls (failures and cancellations with their reason) and every decision the
 * controller made in or right after it (stops, extensions, reminders, interventions, hints),
 * interruption received and applied, and pause, each with the evidence it was based on.
 *
 * @param input - the events, a title and where they came from.
 * @returns the HTML.
 * @example
 * ```ts
 * const html = createRunPage({ events: await readEventLog('runs/events.jsonl') });
 * ```
 */
export function createRunPage(input: RunPageInput): string {
  const runs = toRunTimelines(input.events);
  const title = input.title ?? (runs.length === 1 ? 'Reins run' : 'Reins runs');
  const index =
    runs.length < 2
      ? ''
      : `<nav><ol>${runs.map((run, position) => `<li><a href="#run-${position + 1}"><code>${escapeHtml(run.runId)}</code></a> ${escapeHtml(run.result?.status ?? 'running')}</li>`).join('')}</ol></nav>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1>${input.source === undefined ? '' : `<p class="muted">${escapeHtml(input.source)}</p>`}</header>
${index}
${runs.map(runHtml).join('\n')}
</body>
</html>
`;
}

const styles = `
:root{--ok:#2f855a;--bad:#c53030;--warn:#b7791f;--ink:#1a202c;--muted:#5a6473;--line:#e2e8f0}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0 auto;padding:24px 32px;max-width:1220px;background:#fafbfc}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 4px}
.muted{color:var(--muted)}code{font-size:13px}.task{font-style:italic}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
td.number{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.status{font-weight:650}.status.done{color:var(--ok)}.status.stopped,.status.cancelled{color:var(--warn)}.status.failed{color:var(--bad)}
.tool.error{color:var(--bad)}.tool.cancelled{color:var(--warn)}
ul.entries{list-style:none;margin:0;padding:0}
li.entry{margin:0 0 6px;padding-left:8px;border-left:3px solid var(--line)}
li.entry.decision{border-color:#3182ce}li.entry.event{border-color:#805ad5}li.entry.interrupt{border-color:var(--warn)}li.entry.pause{border-color:var(--muted)}
.evidence{margin-top:2px}.chip{display:inline-block;font-size:12px;background:#edf2f7;border-radius:4px;padding:0 6px;margin:2px 4px 0 0}
.chip .key{color:var(--muted)}
`;
