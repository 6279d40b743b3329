import { ReinsError } from '@reins/core';

/**
 * A shell command ran past its timeout and was killed, with every process it started.
 *
 * @example
 * ```ts
 * try { await runCommand('sleep 60', { cwd, timeoutMs: 1000 }); } catch (error) {
 *   if (CommandTimeoutError.isInstance(error)) console.error(error.output);
 * }
 * ```
 */
export class CommandTimeoutError extends ReinsError {
  /** The command that was killed. */
  readonly command: string;
  /** The timeout, in milliseconds. */
  readonly timeoutMs: number;
  /** What it printed before it was killed (capped). */
  readonly output: string;

  /**
   * @param command - the command.
   * @param timeoutMs - its timeout.
   * @param output - its output so far.
   */
  constructor(command: string, timeoutMs: number, output: string) {
    super(
      'command-timeout',
      `Command '${command}' did not finish within ${timeoutMs} ms and was killed. Run something quicker (one test file, or a command that does not wait for input), or raise the tool's commandTimeoutMs.${output === '' ? '' : `\nOutput before it was killed:\n${output}`}`,
    );
    this.name = 'CommandTimeoutError';
    this.command = command;
    this.timeoutMs = timeoutMs;
    this.output = output;
  }

  /** Whether `value` is a {@link CommandTimeoutError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is CommandTimeoutError {
    return ReinsError.isInstance(value) && value.code === 'command-timeout';
  }
}
