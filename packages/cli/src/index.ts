/**
 * The `reins` command over `@reins/trajectories` and `@reins/controller`:
 *
 * - `reins import --data DIR [--out runs.jsonl] [--json]` imports recorded runs;
 * - `reins calibrate --data DIR --out POLICY.json [--max-resolved-loss 0.03]` writes a policy;
 * - `reins evaluate --data DIR --policy POLICY.json [--json]` replays runs under it;
 * - `reins report --data DIR --policy POLICY.json --out report.html` writes an HTML report;
 * - `reins simulate --data DIR [--rates 0.02,0.05] [--out results.json] [--plot plot.svg]`
 *   compares KV-cache policies on a simulated model server (`@reins/serving-sim`);
 * - `reins watch PATH [--follow]` follows running agents from their event log or checkpoints;
 * - `reins report --events EVENTS.jsonl --out run.html` writes a page of each run's timeline.
 *
 * Progress bars go to stderr when it is a terminal (never with `--json`); `--json` prints one
 * JSON object on stdout. The commands hold no evaluation logic: it lives in the libraries.
 * `runCli` runs the program in-process with injectable streams.
 *
 * @module @reins/cli
 */

export { type CliIo, defaultCliIo } from './cli-io.js';
export { createCalibrateCommand } from './commands/calibrate-command.js';
export { createEvaluateCommand } from './commands/evaluate-command.js';
export { createImportCommand, type ImportSummary } from './commands/import-command.js';
export { createReportCommand } from './commands/report-command.js';
export { createSimulateCommand, type SimulateSummary } from './commands/simulate-command.js';
export { createWatchCommand } from './commands/watch-command.js';
export {
  createEvaluationController,
  type EvaluationControllerOptions,
} from './create-evaluation-controller.js';
export {
  createExampleContracts,
  type ExampleContractsOptions,
} from './create-example-contracts.js';
export { createProgress, type Progress, type ProgressOptions } from './create-progress.js';
export { InvalidArgumentError } from './errors/invalid-argument-error.js';
export { MissingPathError } from './errors/missing-path-error.js';
export { NoRunsError } from './errors/no-runs-error.js';
export { cliVersion, createProgram, runCli } from './run-cli.js';
