import { CommandRefusedError } from './command-refused-error.js';

/** Absolute paths a command may name: devices every shell script uses. */
const allowedAbsolutePaths = new Set(['/dev/null', '/dev/stdout', '/dev/stderr']);

/**
 * Checks a shell command before it runs, refusing the usual ways out of the workspace:
 * absolute paths (other than `/dev/null`), `..` path segments, `~`, variable expansion
 * (`$HOME`, `${…}`) and command substitution (`$(…)`, backquotes).
 *
 * This is a guard against an agent wandering out of its workspace, not a sandbox: a script
 * the agent writes can still do anything the user can. Run agents on untrusted tasks in a
 * container.
 *
 * @param command - the command as the model gave it.
 * @throws {CommandRefusedError} naming the offending part.
 * @example
 * ```ts
 * checkCommand('node --test test/'); // fine
 * checkCommand('cat ../../etc/passwd'); // throws CommandRefusedError
 * ```
 */
export function checkCommand(command: string): void {
  if (command.trim() === '') {
    throw new CommandRefusedError(command, command, 'is empty');
  }
  const substitution = /\$\(|`/.exec(command);
  if (substitution !== null) {
    throw new CommandRefusedError(command, substitution[0], 'is command substitution');
  }
  const variable = /\$[{A-Za-z_0-9@*#?$!-]/.exec(command);
  if (variable !== null) {
    throw new CommandRefusedError(command, variable[0], 'expands a variable');
  }
  // Words, with quotes removed and split at shell operators and assignment/redirect marks.
  const words = command
    .replace(/["']/g, ' ')
    .split(/[\s;&|<>()=,:]+/)
    .filter((word) => word !== '');
  for (const word of words) {
    if (word.startsWith('~')) {
      throw new CommandRefusedError(command, word, "names a home folder ('~')");
    }
    if (word.split('/').includes('..')) {
      throw new CommandRefusedError(command, word, "climbs out with '..'");
    }
    if (word.startsWith('/') && !allowedAbsolutePaths.has(word)) {
      throw new CommandRefusedError(command, word, 'is an absolute path');
    }
  }
}
