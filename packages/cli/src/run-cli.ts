import { ReinsError } from '@reins/core';
import { Command, CommanderError } from 'commander';
import { type CliIo, defaultCliIo } from './cli-io.js';
import { createCalibrateCommand } from './commands/calibrate-command.js';
import { createEvaluateCommand } from './commands/evaluate-command.js';
import { createImportCommand } from './commands/import-command.js';
import { createReportCommand } from './commands/report-command.js';
import { createSimulateCommand } from './commands/simulate-command.js';
import { createWatchCommand } from './commands/watch-command.js';
import { toTerminalText } from './terminal-text.js';

/** The version `reins --version` prints. */
export const cliVersion = '0.1.0';

/**
 * Builds the `reins` program: `import`, `calibrate`, `evaluate`, `report`, `simulate` and `watch`,
 * writing to `io`.
 * Errors are thrown to the caller rather than exiting (see {@link runCli}).
 * @example
 * ```ts
 * await createProgram(io).parseAsync(['node', 'reins', 'evaluate', '--data', dir, '--policy', file]);
 * ```
 */
export function createProgram(io: CliIo = defaultCliIo()): Command {
  const output = {
    writeOut: (text: string) => {
      io.stdout.write(text);
    },
    writeErr: (text: string) => {
      io.stderr.write(text);
    },
  };
  const program = new Command('reins')
    .description(
      'Recorded agent runs in, evidence out: import runs, calibrate a policy, evaluate it, report, and simulate KV-cache policies.',
    )
    .version(cliVersion)
    .exitOverride()
    .configureOutput(output)
    .showHelpAfterError('(run with --help for usage)');
  for (const command of [
    createImportCommand(io),
    createCalibrateCommand(io),
    createEvaluateCommand(io),
    createReportCommand(io),
    createSimulateCommand(io),
    createWatchCommand(io),
  ]) {
    program.addCommand(
      command
        .exitOverride()
        .configureOutput(output)
        .showHelpAfterError('(run with --help for usage)'),
    );
  }
  return program;
}

/**
 * Runs `reins` with `argv` (the arguments after the program name) and returns the exit code:
 * 0 on success, 1 for a Reins error (its message, naming the value and the fix, goes to
 * stderr with its code) or a usage error, 2 for an unexpected failure.
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = defaultCliIo()): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (ReinsError.isInstance(error)) {
      io.stderr.write(`reins: error [${error.code}]: ${toTerminalText(error.message)}\n`);
      return 1;
    }
    io.stderr.write(
      `reins: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 2;
  }
}
