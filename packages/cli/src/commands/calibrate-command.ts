import {
  calibratePolicy,
  describeRung,
  type EstimateInterval,
  trajectoryCost,
  writePolicy,
} from '@reins/trajectories';
import { Command } from 'commander';
import { type CliIo, formatPercent, writeJson, writeLines } from '../cli-io.js';
import { loadRuns } from '../load-runs.js';
import { parseCount, parseFraction } from '../parse-fraction.js';
import { parseModelAliases } from '../parse-model-aliases.js';
import { mkdirOptionHelp, resolveOutput } from '../resolve-output.js';

/**
 * `reins calibrate --data DIR --out POLICY.json [--max-resolved-loss 0.03] [--folds 5]
 * [--repeats 3] [--seed 1] [--model-alias NAME=CANONICAL]… [--json]`: calibrates the turn cap and
 * the predicted-failure scorer jointly, writes the policy file, and prints what the policy is
 * expected to do on unseen runs as intervals from repeated nested cross-validation; when the
 * evidence is too thin for a bolder policy, it says so and writes the safer one.
 * @example
 * ```ts
 * program.addCommand(createCalibrateCommand(io));
 * ```
 */
export function createCalibrateCommand(io: CliIo): Command {
  return new Command('calibrate')
    .description(
      'Calibrate a turn cap and a predicted-failure scorer against one loss target; write a policy file.',
    )
    .requiredOption('--data <dir>', 'folder of recorded runs with outcomes')
    .requiredOption('--out <file>', 'policy file to write')
    .option(
      '--max-resolved-loss <fraction>',
      'largest share of resolved runs a stop may end (held by the upper confidence bound)',
      '0.03',
    )
    .option('--folds <count>', 'cross-validation folds (outer and inner)', '5')
    .option('--repeats <count>', 'repeats of the outer cross-validation', '3')
    .option('--seed <number>', 'seed of the fold assignments', '1')
    .option(
      '--model-alias <name=canonical>',
      'treat a model name as another (repeatable), e.g. --model-alias gpt-4o-mini=gpt-4o',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--mkdir', mkdirOptionHelp)
    .option('--json', 'print one JSON object instead of text')
    .action(
      async (options: {
        data: string;
        out: string;
        maxResolvedLoss: string;
        folds: string;
        repeats: string;
        seed: string;
        modelAlias: string[];
        mkdir?: boolean;
        json?: boolean;
      }) => {
        const maxResolvedLoss = parseFraction('--max-resolved-loss', options.maxResolvedLoss);
        const folds = parseCount('--folds', options.folds, 2);
        const repeats = parseCount('--repeats', options.repeats, 1);
        const seed = parseCount('--seed', options.seed, 0);
        const modelAliases = parseModelAliases(options.modelAlias);
        const out = resolveOutput(io, '--out', options.out, options.mkdir === true);
        const loaded = await loadRuns(io, {
          data: options.data,
          progress: options.json !== true,
          needOutcomes: true,
        });
        const calibration = calibratePolicy(loaded.trajectories, {
          maxResolvedLoss,
          folds,
          repeats,
          seed,
          modelAliases,
        });
        const { policy, estimate } = calibration;
        await writePolicy(out, policy);
        const known = loaded.trajectories.filter((run) => run.outcome.resolved !== undefined);
        const thinEvidence =
          calibration.thinEvidence === undefined
            ? undefined
            : calibration.thinEvidence.replace(
                /across (\d+) folds \(([^)]*)\)/,
                'across $1 folds ($2; --folds sets how many of each it needs)',
              );
        const capRung = calibration.rungs.find((entry) => entry.rung === 'cap')?.estimate;
        const result = {
          policy: out,
          data: loaded.path,
          runs: policy.evidence?.runs ?? known.length,
          resolved: policy.evidence?.resolved ?? 0,
          costUsd: known.reduce((sum, run) => sum + trajectoryCost(run), 0),
          rung: calibration.rung,
          savedFractionOfUnresolvedCost: estimate.savedFractionOfUnresolvedCost.estimate,
          resolvedLostFraction: estimate.resolvedLostFraction.estimate,
          heldOut: estimate,
          rungs: calibration.rungs,
          ...(thinEvidence === undefined ? {} : { thinEvidence }),
          maxResolvedLoss,
          folds,
          repeats,
          threshold: policy.scorer?.threshold ?? null,
          turnBudget: policy.budgets.turns.default.maxTurns,
          turnCap:
            capRung === undefined
              ? null
              : {
                  savedFractionOfUnresolvedCost: capRung.savedFractionOfUnresolvedCost.estimate,
                  resolvedLostFraction: capRung.resolvedLostFraction.estimate,
                },
          crossValidated: true,
        };
        if (options.json === true) {
          writeJson(io, result);
          return;
        }
        const range = (figure: EstimateInterval) =>
          `${formatPercent(figure.estimate)} (${formatPercent(figure.low)}–${formatPercent(figure.high)})`;
        const perModel = Object.entries(policy.budgets.turns.perModel);
        writeLines(io, [
          `Calibrated on ${result.runs} runs with outcomes (${result.resolved} resolved) from ${loaded.path}`,
          `  wrote ${describeRung(calibration.rung)}: turn cap ${result.turnBudget} model calls${perModel.length === 0 ? '' : ` (${perModel.map(([model, budget]) => `${model} ${budget.maxTurns}`).join(', ')})`}${policy.scorer === undefined ? '' : `, scorer threshold ${policy.scorer.threshold.toFixed(3)} from turn ${policy.scorer.minTurn}`}`,
          `  expected on ${estimate.predictionRuns} unseen runs like these (${repeats}× repeated ${folds}-fold nested cross-validation of the whole calibration; ${formatPercent(estimate.confidence)} intervals):`,
          `    saves ${range(estimate.savedFractionOfUnresolvedCost)} of unresolved-run cost`,
          `    loses ${range(estimate.resolvedLostFraction)} of resolved runs; expected loss at most ${formatPercent(estimate.resolvedLostUpperBound)} (upper bound; target ${formatPercent(maxResolvedLoss)})`,
          ...calibration.rungs.map((entry) =>
            entry.estimate === undefined
              ? `  ${describeRung(entry.rung)}: not tried (${entry.rejected ?? ''})`
              : `  ${describeRung(entry.rung)}: saves ${range(entry.estimate.savedFractionOfUnresolvedCost)}, loses ${range(entry.estimate.resolvedLostFraction)}${entry.rejected === undefined ? '' : ' — not written'}`,
          ),
          ...(thinEvidence === undefined
            ? []
            : [`  evidence too thin for a bolder policy: ${thinEvidence}`]),
          `Wrote ${out}`,
        ]);
      },
    );
}
