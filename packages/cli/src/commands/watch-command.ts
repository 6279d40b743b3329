import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { type CliIo, writeLines } from '../cli-io.js';
import { MissingPathError } from '../errors/missing-path-error.js';
import { parseCount } from '../parse-fraction.js';
import { toTerminalText } from '../terminal-text.js';
import { describeWatchEvent, formatUsage } from '../watch/describe-watch-event.js';
import { renderWatchScreen } from '../watch/render-watch-screen.js';
import { createWatchSource } from '../watch/watch-source.js';
import { applyWatchEvent, type WatchedRun, type WatchState } from '../watch/watch-state.js';

const ended = (run: WatchedRun) => run.status !== 'running' && run.status !== 'paused';

/** A line for a run read from its checkpoint, when it changed. */
const checkpointLine = (run: WatchedRun) =>
  `[${run.runId}] ${run.status} at turn ${run.turn}${run.usage === undefined ? '' : `: ${formatUsage(run.usage)}`}${run.ending === undefined ? '' : ` (${run.ending})`}`;

/**
 * `reins watch PATH [--follow] [--interval 500] [--plain]`: shows running agents from their
 * event log (`recordEventLog`), or from a folder of event logs (`*.events.jsonl`) and
 * checkpoints (`createFileCheckpointer`). In a terminal it draws a screen (turns, budget left,
 * each monitor's latest reading with its evidence, interruptions, running tools, cost),
 * redrawn as events arrive; piped, or with `--plain`, it writes one line per turn, decision,
 * interruption, failed tool and ending. With `--follow` it keeps reading until every run it
 * has seen has ended.
 * @example
 * ```ts
 * program.addCommand(createWatchCommand(io));
 * ```
 */
export function createWatchCommand(io: CliIo): Command {
  return new Command('watch')
    .description(
      'Follow running agents from their event log or a folder of event logs and checkpoints.',
    )
    .argument(
      '<path>',
      'an event log (recordEventLog) or a folder of *.events.jsonl and checkpoints',
    )
    .option('--follow', 'keep reading until every run seen has ended')
    .option('--interval <ms>', 'how often to read, in milliseconds', '500')
    .option('--plain', 'write plain lines even in a terminal')
    .action(
      async (path: string, options: { follow?: boolean; interval: string; plain?: boolean }) => {
        const intervalMs = parseCount('--interval', options.interval, 10);
        const resolved = resolve(io.cwd, path);
        const exists = await stat(resolved).then(
          () => true,
          () => false,
        );
        if (!exists) {
          throw new MissingPathError({
            option: 'watch',
            given: path,
            path: resolved,
            expected: 'an event log or a folder',
            hint: 'Record a run with recordEventLog(handle, { file }) from @reins/trajectories and watch that file, or watch the folder of a file checkpointer.',
          });
        }
        const stdout = io.stdout as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
        const screen = stdout.isTTY === true && options.plain !== true;
        const source = await createWatchSource(resolved);
        const state: WatchState = new Map();
        /** The last line written for each run drawn from its checkpoint. */
        const checkpointLines = new Map<string, string>();
        let lastScreen = '';
        for (;;) {
          const { events, checkpoints } = await source.read();
          const lines: string[] = [];
          for (const event of events) {
            checkpointLines.delete(event.runId);
            const endedBefore = state.get(event.runId)?.endedTurn;
            applyWatchEvent(state, event);
            // A turn whose model call was not made (a stop decided after it) ends once more.
            if (event.type === 'turn.end' && event.turn === endedBefore) continue;
            const line = describeWatchEvent(event);
            if (line !== undefined) lines.push(line);
          }
          for (const run of checkpoints) {
            // A run with an event log is drawn from it: its checkpoint says less.
            if (state.has(run.runId) && !checkpointLines.has(run.runId)) continue;
            state.set(run.runId, run);
            const line = checkpointLine(run);
            if (checkpointLines.get(run.runId) !== line) lines.push(line);
            checkpointLines.set(run.runId, line);
          }
          if (screen) {
            const text = renderWatchScreen(state, {
              source: path,
              now: Date.now(),
              ...(stdout.columns === undefined ? {} : { columns: stdout.columns }),
            }).join('\n');
            if (text !== lastScreen) {
              stdout.write(`\x1b[H\x1b[2J${toTerminalText(text)}\n`);
              lastScreen = text;
            }
          } else if (lines.length > 0) {
            writeLines(io, lines);
          }
          const runs = [...state.values()];
          const done = runs.length > 0 && runs.every(ended);
          if (options.follow !== true || done) break;
          await sleep(intervalMs);
        }
      },
    );
}
