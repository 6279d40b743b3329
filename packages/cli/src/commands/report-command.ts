import { writeFile } from 'node:fs/promises';
import { createHtmlReport, createThresholdCurves } from '@reins/trajectories';
import { Command } from 'commander';
import { type CliIo, formatPercent, writeJson, writeLines } from '../cli-io.js';
import { parseCount } from '../parse-fraction.js';
import { mkdirOptionHelp, resolveOutput } from '../resolve-output.js';
import { runEvaluation, toEvaluationJson } from '../run-evaluation.js';

/**
 * `reins report --data DIR --policy POLICY.json --out report.html [--runs 40] [--json]`:
 * evaluates the policy on the runs and writes one self-contained HTML page of plots (turn and
 * cost distributions, saved versus lost over thresholds, per-run timelines with firings).
 * @example
 * ```ts
 * program.addCommand(createReportCommand(io));
 * ```
 */
export function createReportCommand(io: CliIo): Command {
  return new Command('report')
    .description('Write a self-contained HTML report of a policy evaluated on recorded runs.')
    .requiredOption('--data <dir>', 'folder of recorded runs')
    .requiredOption('--policy <file>', 'policy file from reins calibrate')
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--runs <count>', 'runs drawn as timelines', '40')
    .option('--no-monitors', 'do not run the stuck, drift and overthinking monitors alongside')
    .option('--mkdir', mkdirOptionHelp)
    .option('--json', 'print one JSON object instead of text')
    .action(
      async (options: {
        data: string;
        policy: string;
        out: string;
        runs: string;
        monitors: boolean;
        mkdir?: boolean;
        json?: boolean;
      }) => {
        const timelineRuns = parseCount('--runs', options.runs, 1);
        const out = resolveOutput(io, '--out', options.out, options.mkdir === true);
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
          source: run.dataPath,
          timelineRuns,
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
