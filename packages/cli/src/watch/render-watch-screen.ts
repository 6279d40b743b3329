import { formatEvidence } from './describe-watch-event.js';
import type { WatchedRun, WatchState } from './watch-state.js';

/** Options of {@link renderWatchScreen}. */
export interface RenderWatchScreenOptions {
  /** What is watched (a file or folder), for the title. */
  readonly source: string;
  /** Terminal width; lines are cut to it. @defaultValue 100 */
  readonly columns?: number;
  /** Clock time now, for how long tools have been running. */
  readonly now: number;
}

const pad = (text: string, width: number) =>
  text.length >= width ? `${text.slice(0, width - 1)} ` : text + ' '.repeat(width - text.length);

function budgetLeft(run: WatchedRun): string {
  if (run.turnsLeft !== undefined) return `${run.turnsLeft} turn${run.turnsLeft === 1 ? '' : 's'}`;
  return '–';
}

function turnText(run: WatchedRun): string {
  return run.allowedTurns === undefined ? String(run.turn) : `${run.turn}/${run.allowedTurns}`;
}

function runLines(run: WatchedRun, now: number): string[] {
  const usage = run.usage;
  const row = [
    pad(run.runId, 24),
    pad(run.status, 10),
    pad(turnText(run), 7),
    pad(budgetLeft(run), 12),
    pad(usage === undefined ? '–' : `${usage.inputTokens}/${usage.outputTokens}`, 16),
    pad(usage === undefined ? '–' : `$${usage.costUsd.toFixed(4)}`, 10),
    run.lastDecision ?? '',
  ].join('');
  const lines = [row];
  if (run.task !== undefined) lines.push(`  task: ${run.task}`);
  for (const [policy, reading] of run.policies)
    lines.push(
      `  ${policy}: ${reading.name} at turn ${reading.turn}${formatEvidence(reading.evidence)}`,
    );
  for (const interruption of run.interruptions.slice(-3))
    lines.push(`  interruption: ${interruption}`);
  for (const tool of run.runningTools.values())
    lines.push(`  running: ${tool.name} for ${((now - tool.startedAt) / 1000).toFixed(1)} s`);
  if (run.toolErrors > 0) lines.push(`  failed tool calls: ${run.toolErrors}`);
  if (run.ending !== undefined && run.ending !== '') lines.push(`  ended: ${run.ending}`);
  return lines;
}

/**
 * Draws the watched runs as a terminal screen: a header, one row per run (status, turn of
 * allowed turns, budget left, tokens, cost, latest decision) and under it the task, each
 * policy's and monitor's latest reading with its evidence, the latest interruptions, the tools
 * running and how the run ended.
 * @returns the screen's lines, each at most `columns` wide.
 * @example
 * ```ts
 * process.stdout.write(renderWatchScreen(state, { source: 'events.jsonl', now: Date.now() }).join('\n'));
 * ```
 */
export function renderWatchScreen(state: WatchState, options: RenderWatchScreenOptions): string[] {
  const columns = options.columns ?? 100;
  const runs = [...state.values()];
  const running = runs.filter((run) => run.status === 'running' || run.status === 'paused').length;
  const lines = [
    `reins watch ${options.source}: ${runs.length} run${runs.length === 1 ? '' : 's'}, ${running} running`,
    '',
    [
      pad('RUN', 24),
      pad('STATUS', 10),
      pad('TURN', 7),
      pad('BUDGET LEFT', 12),
      pad('TOKENS IN/OUT', 16),
      pad('COST', 10),
      'LAST DECISION',
    ].join(''),
    ...runs.flatMap((run) => runLines(run, options.now)),
  ];
  if (runs.length === 0) lines.push('(no events yet)');
  return lines.map((line) => (line.length > columns ? line.slice(0, columns) : line));
}
