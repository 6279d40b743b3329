import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  createHtmlReport,
  createRunPage,
  createThresholdCurves,
  readEventLog,
  toRunTimelines,
} from '@reins/trajectories';
import { Command } from 'commander';
import { type CliIo, formatPercent, writeJson, writeLines } from '../cli-io.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { MissingPathError } from '../errors/missing-path-error.js';
import { parseCount } from '../parse-fraction.js';
import { mkdirOptionHelp, resolveOutput } from '../resolve-output.js';
import { runEvaluation, toEvaluationJson } from '../run-evaluation.js';

/**
 * `reins report --data DIR --policy POLICY.json --out report.html [--runs 40] [--json]`:
 * evaluates the policy on the runs and writes one self-contained HTML page of plots (turn and
 * cost distributions, saved versus lost over thresholds, per-run timelines with firings).
 * `reins report --events EVENTS.jsonl --out run.html` writes instead the page of each run of an
 * event log (`recordEventLog`): its timeline of turns with each decision and its evidence.
 * @example
 * ```ts
 * program.addCommand(createReportCommand(io));
 * ```
 */
export function createReportCommand(io: CliIo): Command {
  return new Command('report')
    .description('Write a self-contained HTML report of a policy evaluated on recorded runs.')
    .option('--data <dir>', 'folder of recorded runs')
    .option('--policy <file>', 'policy file from reins calibrate')
    .option('--events <file>', "a run's event log (recordEventLog): write its timeline page")
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--runs <count>', 'runs drawn as timelines', '40')
    .option('--no-monitors', 'do not run the stuck, drift and overthinking monitors alongside')
    .option('--mkdir', mkdirOptionHelp)
    .option('--json', 'print one JSON object instead of text')
    .action(
      async (options: {
        data?: string;
        policy?: string;
        events?: string;
        out: string;
        runs: string;
        monitors: boolean;
        mkdir?: boolean;
        json?: boolean;
      }) => {
        const timelineRuns = parseCount('--runs', options.runs, 1);
        const out = resolveOutput(io, '--out', options.out, options.mkdir === true);
        if (options.events !== undefined) {
          await writeRunPage(io, options.events, out, options.json === true);
          return;
        }
        if (options.data === undefined || options.policy === undefined) {
          throw new InvalidArgumentError({
            option: options.data === undefined ? '--data' : '--policy',
            value: '(missing)',
            expected:
              'both --data DIR and --policy POLICY.json for an evaluation report, or --events EVENTS.jsonl for the page of recorded runs',
          });
        }
        const run = await runEvaluation(io, {
          data: options.data,
          policy: options.policy,
          progress: options.json !== true,
          monitors: options.monitors,
        });
        const html = createHtmlReport({
          evaluation: run.report,
          curves: createThresholdCurves(run.trajectories, run.policy),
          policy: run.policy,
          stability: run.stability,
          source: run.dataPath,
          timelineRuns,
          contracts: run.contracts,
        });
        await writeFile(out, html, 'utf8');
        if (options.json === true) {
          writeJson(io, { ...toEvaluationJson(run), report: out, bytes: Buffer.byteLength(html) });
          return;
        }
        writeLines(io, [
          `Wrote ${out} (${Math.round(Buffer.byteLength(html) / 1024)} KB): ${run.report.runs} runs, ${formatPercent(run.report.savedFractionOfUnresolvedCost)} of unresolved cost saved, ${formatPercent(run.report.resolvedLostFraction)} of resolved runs lost`,
        ]);
      },
    );
}

/** Writes the timeline page of the runs of an event log. */
async function writeRunPage(io: CliIo, events: string, out: string, json: boolean) {
  const path = resolve(io.cwd, events);
  const read = await readEventLog(path).catch((error: unknown) => {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'EISDIR'
    ) {
      throw new MissingPathError({
        option: '--events',
        given: events,
        path,
        expected: 'an event log file',
        hint: 'Record runs with recordEventLog(handle, { file }) from @reins/trajectories and pass that file.',
      });
    }
    throw error;
  });
  const html = createRunPage({ events: read, source: path });
  await writeFile(out, html, 'utf8');
  const runs = toRunTimelines(read);
  if (json) {
    writeJson(io, {
      report: out,
      runs: runs.length,
      events: read.length,
      bytes: Buffer.byteLength(html),
    });
    return;
  }
  writeLines(io, [
    `Wrote ${out} (${Math.round(Buffer.byteLength(html) / 1024)} KB): ${runs.length} run${runs.length === 1 ? '' : 's'}, ${read.length} events`,
  ]);
}
