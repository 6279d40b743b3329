import { writeFile } from 'node:fs/promises';
import {
  runSimulationSweep,
  type SimulationSweep,
  type SweepPolicyName,
  splitRecordedRuns,
  sweepPolicyNames,
  toSweepSvg,
} from '@reins/serving-sim';
import { Command } from 'commander';
import { type CliIo, writeJson, writeLines } from '../cli-io.js';
import { createProgress } from '../create-progress.js';
import { NoRunsError } from '../errors/no-runs-error.js';
import { loadRuns } from '../load-runs.js';
import { parseCount } from '../parse-fraction.js';
import { parseRates } from '../parse-rates.js';
import { mkdirOptionHelp, resolveOutput } from '../resolve-output.js';

/** The JSON `reins simulate` writes with `--out` and prints with `--json`. */
export interface SimulateSummary {
  /** `--data` resolved. */
  readonly data: string;
  /** Usable runs: those whose calls have usage and start times. */
  readonly runs: number;
  /** Runs the workload is drawn from (the even half). */
  readonly workloadRuns: number;
  /** Runs whose tool durations seed every predicting policy (the odd half). */
  readonly seedRuns: number;
  readonly programs: number;
  readonly seed: number;
  readonly rates: readonly number[];
  readonly policies: readonly string[];
  /** One row per rate: each policy's figures. */
  readonly rows: SimulationSweep['rows'];
  /** The files written, resolved. */
  readonly out?: string;
  readonly plot?: string;
}

function formatTable(summary: SimulateSummary): string[] {
  const header = [
    'rate/s',
    'policy',
    'mean JCT s',
    'p95 JCT s',
    'programs/min',
    'recomputed prefill tok',
    'cache hit',
  ];
  const body = summary.rows.flatMap((row) =>
    row.policies.map((result) => [
      String(row.arrivalsPerSecond),
      result.policy,
      (result.meanJobMs / 1000).toFixed(1),
      (result.p95JobMs / 1000).toFixed(1),
      result.programsPerMinute.toFixed(2),
      String(Math.round(result.recomputedPrefillTokens)),
      result.cacheHitRate.toFixed(3),
    ]),
  );
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => (cells[column] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column < 2
          ? cell.padEnd(widths[column] as number)
          : cell.padStart(widths[column] as number),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)];
}

/**
 * `reins simulate --data DIR [--rates 0.02,0.05,0.08] [--programs 100] [--seed 1]
 * [--policies lru,continuum,…] [--out results.json] [--plot plot.svg] [--json]`: builds agent
 * workloads from the recorded runs and simulates one model server (Llama-3.1-8B on one H100
 * under vLLM) under each KV-cache policy (`lru`, `continuum`, `continuumPaper`, `pin2` …
 * `pin120`, `oracle`, `reins`) at each arrival rate; prints a table of mean and p95 job
 * completion time, throughput, prefill tokens recomputed and cache hit rate per policy, and
 * writes the same figures as JSON and a plot of mean job time against arrival rate as SVG.
 * The simulation lives in `@reins/serving-sim`.
 * @example
 * ```ts
 * program.addCommand(createSimulateCommand(io));
 * ```
 */
export function createSimulateCommand(io: CliIo): Command {
  return new Command('simulate')
    .description(
      'Simulate a model server under each KV-cache policy on workloads from recorded runs.',
    )
    .requiredOption('--data <dir>', 'folder of recorded runs (with per-call usage and times)')
    .option('--rates <list>', 'program arrivals per second, comma-separated', '0.02,0.05,0.08')
    .option('--programs <count>', 'programs per simulation', '100')
    .option('--seed <n>', 'seed of the arrivals and of the order programs are drawn in', '1')
    .option(
      '--policies <list>',
      `policies to compare, comma-separated (${sweepPolicyNames.join(', ')})`,
      sweepPolicyNames.join(','),
    )
    .option('--out <file>', 'JSON file to write the results to')
    .option('--plot <file>', 'SVG file to draw mean job completion time against arrival rate in')
    .option('--mkdir', mkdirOptionHelp)
    .option('--json', 'print one JSON object instead of text')
    .action(
      async (options: {
        data: string;
        rates: string;
        programs: string;
        seed: string;
        policies: string;
        out?: string;
        plot?: string;
        mkdir?: boolean;
        json?: boolean;
      }) => {
        const rates = parseRates('--rates', options.rates);
        const programs = parseCount('--programs', options.programs, 1);
        const seed = parseCount('--seed', options.seed, 0);
        const mkdir = options.mkdir === true;
        const out =
          options.out === undefined ? undefined : resolveOutput(io, '--out', options.out, mkdir);
        const plot =
          options.plot === undefined ? undefined : resolveOutput(io, '--plot', options.plot, mkdir);
        const progressEnabled = options.json !== true;
        const loaded = await loadRuns(io, { data: options.data, progress: progressEnabled });
        const split = splitRecordedRuns(loaded.trajectories);
        if (split.templates.length === 0) {
          throw new NoRunsError({
            path: loaded.path,
            found: `${loaded.trajectories.length} runs, none with per-call token usage and start times`,
            hint: 'The simulator needs each call’s prompt and output tokens and when it started: use mini-swe-agent runs, e.g. --data ../shared/data/swe-trajectories/mini-swe-agent-gemini-3-pro.',
          });
        }
        const progress = createProgress(io, { label: 'simulate', enabled: progressEnabled });
        let sweep: SimulationSweep;
        try {
          sweep = runSimulationSweep({
            templates: split.templates,
            predictorSamples: split.predictorSamples,
            pastTurnCounts: split.pastTurnCounts,
            policies: options.policies
              .split(',')
              .map((name) => name.trim())
              .filter((name) => name !== '') as SweepPolicyName[],
            rates,
            programs,
            seeds: [seed],
            onProgress: progress.update,
          });
        } finally {
          progress.stop();
        }
        const summary: SimulateSummary = {
          data: loaded.path,
          runs: loaded.trajectories.length - split.skipped,
          workloadRuns: split.templates.length,
          seedRuns: split.seedTemplates.length,
          programs,
          seed,
          rates,
          policies: sweep.policies,
          rows: sweep.rows,
          ...(out === undefined ? {} : { out }),
          ...(plot === undefined ? {} : { plot }),
        };
        if (out !== undefined) {
          await writeFile(out, `${JSON.stringify(summary, null, 2)}\n`, 'utf8');
        }
        if (plot !== undefined) {
          await writeFile(plot, toSweepSvg(sweep), 'utf8');
        }
        if (options.json === true) {
          writeJson(io, summary);
          return;
        }
        writeLines(io, [
          `Simulated ${programs} programs per rate (seed ${seed}) drawn from ${summary.workloadRuns} recorded runs of ${loaded.path}; the Reins predictor is seeded on ${summary.seedRuns} other runs.`,
          '',
          ...formatTable(summary),
          ...(out === undefined ? [] : ['', `Wrote ${out}`]),
          ...(plot === undefined ? [] : [`${out === undefined ? '\n' : ''}Wrote ${plot}`]),
        ]);
      },
    );
}
