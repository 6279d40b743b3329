import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { calibratePolicy, trajectoryCost, writePolicy } from '@reins/trajectories';
import { Command } from 'commander';
import { type CliIo, formatPercent, formatUsd, writeJson, writeLines } from '../cli-io.js';
import { loadRuns } from '../load-runs.js';
import { parseCount, parseFraction } from '../parse-fraction.js';

/**
 * `reins calibrate --data DIR --out POLICY.json [--max-resolved-loss 0.03] [--folds 5]
 * [--seed 1] [--json]`: calibrates turn budgets and the predicted-failure scorer on the runs,
 * writes the policy file, and reports the cross-validated saving and loss of the scorer and of a
 * plain turn cap.
 * @example
 * ```ts
 * program.addCommand(createCalibrateCommand(io));
 * ```
 */
export function createCalibrateCommand(io: CliIo): Command {
  return new Command('calibrate')
    .description('Calibrate turn budgets and a predicted-failure scorer; write a policy file.')
    .requiredOption('--data <dir>', 'folder of recorded runs with outcomes')
    .requiredOption('--out <file>', 'policy file to write')
    .option(
      '--max-resolved-loss <fraction>',
      'largest share of resolved runs a stop may end',
      '0.03',
    )
    .option('--folds <count>', 'cross-validation folds', '5')
    .option('--seed <number>', 'seed of the fold assignment', '1')
    .option('--json', 'print one JSON object instead of text')
    .action(
      async (options: {
        data: string;
        out: string;
        maxResolvedLoss: string;
        folds: string;
        seed: string;
        json?: boolean;
      }) => {
        const maxResolvedLoss = parseFraction('--max-resolved-loss', options.maxResolvedLoss);
        const folds = parseCount('--folds', options.folds, 2);
        const seed = parseCount('--seed', options.seed, 0);
        const loaded = await loadRuns(io, {
          data: options.data,
          progress: options.json !== true,
          needOutcomes: true,
        });
        const { policy, scorer, turnCap } = calibratePolicy(loaded.trajectories, {
          maxResolvedLoss,
          folds,
          seed,
        });
        const out = resolve(io.cwd, options.out);
        await mkdir(dirname(out), { recursive: true });
        await writePolicy(out, policy);
        const cv = scorer.crossValidated;
        const known = loaded.trajectories.filter((run) => run.outcome.resolved !== undefined);
        const result = {
          policy: out,
          data: loaded.path,
          runs: cv.runs,
          resolved: cv.resolved,
          costUsd: known.reduce((sum, run) => sum + trajectoryCost(run), 0),
          unresolvedCostUsd: cv.unresolvedCostUsd,
          savedUsd: cv.savedUsd,
          savedOnUnresolvedUsd: cv.savedOnUnresolvedUsd,
          savedFractionOfUnresolvedCost: cv.savedFractionOfUnresolvedCost,
          runsStopped: cv.runsStopped,
          resolvedLost: cv.resolvedLost,
          resolvedLostFraction: cv.resolvedLostFraction,
          maxResolvedLoss,
          folds,
          threshold: policy.scorer?.threshold,
          turnBudget: policy.budgets.turns.default.maxTurns,
          turnCap: {
            savedFractionOfUnresolvedCost: turnCap.savedFractionOfUnresolvedCost,
            resolvedLost: turnCap.resolvedLost,
            resolvedLostFraction: turnCap.resolvedLostFraction,
          },
          crossValidated: true,
        };
        if (options.json === true) {
          writeJson(io, result);
          return;
        }
        writeLines(io, [
          `Calibrated on ${result.runs} runs with outcomes (${result.resolved} resolved) from ${loaded.path}`,
          `  turn budget: ${result.turnBudget} model calls (${Object.entries(
            policy.budgets.turns.perModel,
          )
            .map(([model, budget]) => `${model} ${budget.maxTurns}`)
            .join(', ')})`,
          `  predicted-failure scorer, cross-validated over ${folds} folds: saves ${formatPercent(result.savedFractionOfUnresolvedCost)} of unresolved cost (${formatUsd(result.savedOnUnresolvedUsd)} of ${formatUsd(result.unresolvedCostUsd)}), stops ${result.resolvedLost} resolved runs (${formatPercent(result.resolvedLostFraction)}; target ${formatPercent(maxResolvedLoss)})`,
          `  turn cap alone, cross-validated: saves ${formatPercent(turnCap.savedFractionOfUnresolvedCost)} at ${formatPercent(turnCap.resolvedLostFraction)} resolved runs stopped`,
          `Wrote ${out}`,
        ]);
      },
    );
}
