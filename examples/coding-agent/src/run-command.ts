import { spawn } from 'node:child_process';
import { CommandTimeoutError } from './command-timeout-error.js';

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** The folder the command runs in. */
  readonly cwd: string;
  /**
   * Milliseconds after which the command and its children are killed.
   * @defaultValue `defaultRunCommandOptions.timeoutMs` (30 000)
   */
  readonly timeoutMs?: number;
  /**
   * Characters of output kept; the rest is dropped, with a note saying how much.
   * @defaultValue `defaultRunCommandOptions.outputLimit` (8 000)
   */
  readonly outputLimit?: number;
  /** Aborting it kills the command and its children; the promise rejects with the reason. */
  readonly signal?: AbortSignal;
  /**
   * The environment of the command.
   * @defaultValue `PATH` and `LANG` from this process, `HOME` set to `cwd`, nothing else
   * (API keys and tokens in this process's environment are not passed on)
   */
  readonly env?: Readonly<Record<string, string>>;
}

/** Defaults of {@link RunCommandOptions}. */
export const defaultRunCommandOptions = Object.freeze({ timeoutMs: 30_000, outputLimit: 8_000 });

/** What a finished command did. */
export interface CommandResult {
  /** The exit code, or `null` when a signal ended it. */
  readonly exitCode: number | null;
  /** Standard output and error, interleaved as they arrived, capped at `outputLimit`. */
  readonly output: string;
  /** Characters of output that were dropped. */
  readonly droppedCharacters: number;
}

/**
 * Runs a shell command (`/bin/sh -c`) in its own process group, so that a timeout or an abort
 * kills it together with everything it started (a test runner's workers, a server, `sleep`).
 *
 * @param command - the command line.
 * @param options - folder, timeout, output cap, signal, environment.
 * @returns exit code and capped output; a non-zero exit code is a result, not an error.
 * @throws {CommandTimeoutError} when the timeout passes (the process group is killed first).
 * @example
 * ```ts
 * const { exitCode, output } = await runCommand('node --test', { cwd: root, timeoutMs: 20_000 });
 * ```
 */
export function runCommand(command: string, options: RunCommandOptions): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? defaultRunCommandOptions.timeoutMs;
  const outputLimit = options.outputLimit ?? defaultRunCommandOptions.outputLimit;
  const { signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const env = options.env ?? {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: process.env.LANG ?? 'C.UTF-8',
      HOME: options.cwd,
      NO_COLOR: '1',
    };
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let dropped = 0;
    let settled = false;
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      const room = outputLimit - output.length;
      if (room >= text.length) output += text;
      else {
        output += text.slice(0, Math.max(0, room));
        dropped += text.length - Math.max(0, room);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group has already exited.
      }
    };
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      action();
    };
    const onAbort = () => {
      killGroup();
      finish(() => reject(signal?.reason));
    };
    const timer = setTimeout(() => {
      killGroup();
      finish(() => reject(new CommandTimeoutError(command, timeoutMs, output)));
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => finish(() => reject(error)));
    child.on('close', (code) => {
      // Children that outlive the shell (started in the background) are killed with it.
      killGroup();
      finish(() => resolve({ exitCode: code, output, droppedCharacters: dropped }));
    });
  });
}
