import { toPlanningLines } from '@reins/trajectories';
import { Command, Option } from 'commander';
import { type CliIo, formatPercent, formatUsd, writeJson, writeLines } from '../cli-io.js';
import { formatStabilityLines } from '../format-stability.js';
import { runEvaluation, toEvaluationJson } from '../run-evaluation.js';
import { runPlanningEvaluation } from '../run-planning-evaluation.js';

/**
 * `reins evaluate --data DIR --policy POLICY.json [--json] [--mode fast|loop] [--no-monitors]
 * [--planning TOOL_TIMES]`: replays the runs under the policy and reports cost saved, runs
 * stopped, resolved runs lost and firings, with bootstrap intervals, and the runs' compliance
 * with the example contracts (`createExampleContracts`); with `--planning`, also
 * budget-and-deadline planning against greedy and simple policies on held-out recorded tasks
 * (field `planning`); and each Agent Stability Index dimension's distribution over the runs
 * (field `stability`).
 * @example
 * ```ts
 * program.addCommand(createEvaluateCommand(io));
 * ```
 */
export function createEvaluateCommand(io: CliIo): Command {
  return new Command('evaluate')
    .description('Replay recorded runs under a policy: what it would have saved and lost.')
    .requiredOption('--data <dir>', 'folder of recorded runs')
    .requiredOption('--policy <file>', 'policy file from reins calibrate')
    .addOption(
      new Option('--mode <mode>', 'fast: hooks only; loop: the real agent loop (slower)')
        .choices(['fast', 'loop'])
        .default('fast'),
    )
    .option('--no-monitors', 'do not run the stuck, drift and overthinking monitors alongside')
    .option(
      '--planning <path>',
      'also evaluate budget-and-deadline planning on per-task tool times (file or folder)',
    )
    .option('--json', 'print one JSON object instead of text')
    .action(
      async (options: {
        data: string;
        policy: string;
        mode: 'fast' | 'loop';
        monitors: boolean;
        planning?: string;
        json?: boolean;
      }) => {
        const planning =
          options.planning === undefined
            ? undefined
            : await runPlanningEvaluation(io, options.planning);
        const run = await runEvaluation(io, {
          data: options.data,
          policy: options.policy,
          progress: options.json !== true,
          monitors: options.monitors,
          mode: options.mode,
        });
        if (options.json === true) {
          writeJson(io, {
            ...toEvaluationJson(run),
            ...(planning === undefined
              ? {}
              : { planning: { data: planning.path, ...planning.summary } }),
          });
          return;
        }
        const { report, contracts } = run;
        const interval = report.intervals.savedFractionOfUnresolvedCost;
        const lost = report.intervals.resolvedLostFraction;
        writeLines(io, [
          `Policy ${run.policyPath} on ${report.runs} runs (${report.resolved} resolved, ${report.unresolved} unresolved) from ${run.dataPath}`,
          `  recorded cost ${formatUsd(report.costUsd)}; saved ${formatUsd(report.savedUsd)} (${formatPercent(report.savedFractionOfCost)})`,
          `  unresolved cost saved: ${formatPercent(report.savedFractionOfUnresolvedCost)} (95% interval ${formatPercent(interval.low)}–${formatPercent(interval.high)})`,
          `  resolved runs lost: ${report.resolvedLost} (${formatPercent(report.resolvedLostFraction)}, 95% interval ${formatPercent(lost.low)}–${formatPercent(lost.high)})`,
          `  runs stopped: ${report.runsStopped}; model calls not made: ${report.turnsSaved} of ${report.turns}`,
          '  firings:',
          ...Object.entries(report.byName)
            .sort((a, b) => b[1].total - a[1].total)
            .map(
              ([name, entry]) =>
                `    ${name.padEnd(24)} ${String(entry.total).padStart(5)} in ${entry.runs} runs`,
            ),
          '  contracts (runs satisfying at δ, k; hard and soft compliance over steps; soft violations recovered within k):',
          ...contracts.map(
            (contract) =>
              `    ${contract.contract.padEnd(34)} ${formatPercent(contract.satisfiedFraction)} of runs (p ≥ ${formatPercent(contract.satisfaction.p)}: ${contract.satisfied ? 'met' : 'not met'}); hard ${formatPercent(contract.hardCompliance)}, soft ${formatPercent(contract.softCompliance)}, recovered ${contract.recoveredWithinK}/${contract.episodes}`,
          ),
          ...formatStabilityLines(run.stability),
          ...(planning === undefined
            ? []
            : [
                `Budget-and-deadline planning on ${planning.summary.tasks} held-out tasks from ${planning.path} (success within cap and deadline, 95% intervals):`,
                ...toPlanningLines(planning.summary).map((line) => `  ${line}`),
              ]),
        ]);
      },
    );
}
