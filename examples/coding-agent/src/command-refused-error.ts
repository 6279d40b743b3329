import { ReinsError } from '@reins/core';

/**
 * A shell command was refused before it ran because it could reach outside the workspace
 * (an absolute path, a `..` segment, `~`, variable expansion or command substitution).
 *
 * @example
 * ```ts
 * try { checkCommand('cat /etc/passwd'); } catch (error) {
 *   if (CommandRefusedError.isInstance(error)) console.error(error.command, error.message);
 * }
 * ```
 */
export class CommandRefusedError extends ReinsError {
  /** The command as the model gave it. */
  readonly command: string;
  /** The part of the command that was refused. */
  readonly offending: string;

  /**
   * @param command - the refused command.
   * @param offending - the token or construct that caused the refusal.
   * @param rule - the rule it broke, in words.
   */
  constructor(command: string, offending: string, rule: string) {
    super(
      'command-refused',
      `Command refused: '${offending}' ${rule}. Commands run in the workspace root; use relative paths inside it (e.g. 'node --test test/') and no variables or command substitution.`,
    );
    this.name = 'CommandRefusedError';
    this.command = command;
    this.offending = offending;
  }

  /** Whether `value` is a {@link CommandRefusedError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is CommandRefusedError {
    return ReinsError.isInstance(value) && value.code === 'command-refused';
  }
}
