import { writeFile } from 'node:fs/promises';
import { type Trajectory, trajectoryCost, trajectorySchema } from '@reins/trajectories';
import { Command } from 'commander';
import { type CliIo, formatUsd, writeJson, writeLines } from '../cli-io.js';
import { loadRuns } from '../load-runs.js';
import { mkdirOptionHelp, resolveOutput } from '../resolve-output.js';

/** What `reins import --json` prints. */
export interface ImportSummary {
  readonly data: string;
  readonly files: number;
  readonly runs: number;
  readonly resolved: number;
  readonly unresolved: number;
  readonly unknownOutcome: number;
  readonly turns: number;
  readonly costUsd: number;
  /** Runs per source format. */
  readonly formats: Readonly<Record<string, number>>;
  /** Runs per model id. */
  readonly models: Readonly<Record<string, number>>;
  /** Every file that could not be imported, with why. */
  readonly problems: readonly {
    readonly file: string;
    readonly code: string;
    readonly message: string;
  }[];
  /** The Reins JSONL file written with `--out`. */
  readonly out?: string;
}

/**
 * `reins import --data DIR [--out runs.jsonl] [--json]`: imports recorded runs (format detected
 * per file), reports counts, outcomes, costs and every unreadable file, and with `--out` writes
 * them as Reins run records (one trajectory per line).
 * @example
 * ```ts
 * program.addCommand(createImportCommand(io));
 * ```
 */
export function createImportCommand(io: CliIo): Command {
  return new Command('import')
    .description(
      'Import recorded agent runs and summarise them; optionally write them as Reins JSONL.',
    )
    .requiredOption('--data <dir>', 'folder (or file) of recorded runs')
    .option('--out <file>', 'write the runs as Reins run records (JSONL)')
    .option('--mkdir', mkdirOptionHelp)
    .option('--json', 'print one JSON object instead of text')
    .action(async (options: { data: string; out?: string; mkdir?: boolean; json?: boolean }) => {
      const out =
        options.out === undefined
          ? undefined
          : resolveOutput(io, '--out', options.out, options.mkdir === true);
      const loaded = await loadRuns(io, { data: options.data, progress: options.json !== true });
      if (out !== undefined) {
        await writeFile(
          out,
          loaded.trajectories
            .map((run) => `${JSON.stringify(trajectorySchema.parse(run))}\n`)
            .join(''),
          'utf8',
        );
      }
      const summary = summarizeImport(
        loaded.path,
        loaded.files,
        loaded.trajectories,
        loaded.problems,
        out,
      );
      if (options.json === true) {
        writeJson(io, summary);
        return;
      }
      writeLines(io, [
        `Imported ${summary.runs} runs from ${summary.files} files in ${summary.data}`,
        `  outcomes: ${summary.resolved} resolved, ${summary.unresolved} unresolved, ${summary.unknownOutcome} unknown`,
        `  model calls: ${summary.turns}; recorded cost: ${formatUsd(summary.costUsd)}`,
        `  formats: ${Object.entries(summary.formats)
          .map(([name, count]) => `${name} ${count}`)
          .join(', ')}`,
        `  models: ${Object.entries(summary.models)
          .map(([name, count]) => `${name} ${count}`)
          .join(', ')}`,
        ...(summary.problems.length > 0 ? [`  unreadable files: ${summary.problems.length}`] : []),
        ...(out === undefined ? [] : [`Wrote ${summary.runs} run records to ${out}`]),
      ]);
    });
}

function summarizeImport(
  data: string,
  files: number,
  trajectories: readonly Trajectory[],
  problems: ImportSummary['problems'],
  out: string | undefined,
): ImportSummary {
  const formats: Record<string, number> = {};
  const models: Record<string, number> = {};
  let resolved = 0;
  let unresolved = 0;
  let turns = 0;
  let costUsd = 0;
  for (const run of trajectories) {
    formats[run.source.format] = (formats[run.source.format] ?? 0) + 1;
    const model = run.model?.modelId ?? 'unknown';
    models[model] = (models[model] ?? 0) + 1;
    if (run.outcome.resolved === true) resolved += 1;
    else if (run.outcome.resolved === false) unresolved += 1;
    turns += run.turns.length;
    costUsd += trajectoryCost(run);
  }
  return {
    data,
    files,
    runs: trajectories.length,
    resolved,
    unresolved,
    unknownOutcome: trajectories.length - resolved - unresolved,
    turns,
    costUsd,
    formats,
    models,
    problems: problems.map(({ file, code, message }) => ({ file, code, message })),
    ...(out === undefined ? {} : { out }),
  };
}
