import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { CommandTimeoutError } from '../errors/command-timeout-error.js';
import type { PidsCgroup } from './pids-cgroup.js';

/** What a finished command did. */
export interface CommandResult {
  /** The exit code, or `null` when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended it (`'SIGKILL'`, `'SIGXCPU'`…), or `null`. */
  readonly signal: NodeJS.Signals | null;
  /** Standard output and error, interleaved as they arrived, capped at `outputLimit` characters. */
  readonly output: string;
  /** Characters of output received but not kept in `output`. */
  readonly droppedCharacters: number;
  /** Bytes of output received in all. */
  readonly outputBytes: number;
  /** `'output-limit'` when the command was killed for printing more than `outputBytes`. */
  readonly killedFor?: 'output-limit';
}

/** How to run one process tree. */
export interface ProcessTreeOptions {
  /** The program and its arguments. */
  readonly argv: readonly [string, ...string[]];
  /** The whole environment of the spawned program. */
  readonly env: Readonly<Record<string, string>>;
  /** Working folder. */
  readonly cwd: string;
  /** The command as the model gave it, for messages. */
  readonly command: string;
  /** Milliseconds after which the tree is killed and the call fails. */
  readonly timeoutMs: number;
  /** Characters of output kept. */
  readonly outputLimit: number;
  /** Bytes of output after which the tree is killed. */
  readonly outputBytes: number;
  /** Aborting kills the tree; the promise rejects with the reason. */
  readonly signal?: AbortSignal;
  /** A pids cgroup the tree is started in (its first process moves itself in). */
  readonly cgroup?: PidsCgroup;
}

/**
 * Runs first in the tree, after `setpriv` has set its parent-death signal (SIGKILL): if this
 * process died before that (its parent is no longer this process), it exits instead of running
 * an orphan; it moves itself into the cgroup, if any; then it becomes the command. From then on
 * the death of this process kills the tree's first process, whatever state it is in: bubblewrap
 * re-arms the same signal (`--die-with-parent`), and its namespace dies with it.
 */
const launchScript =
  '[ "$PPID" = "$1" ] || exit 125; if [ -n "$2" ]; then echo $$ > "$2" || exit 125; fi; shift 2; exec "$@"';

/**
 * Spawns a process tree in its own process group, collects its output with a cap, and kills
 * it on timeout, abort or too much output, and (through the parent-death signal) when this
 * process dies. With a cgroup, the first process moves itself into it before anything else
 * runs, so no descendant escapes it; every process left in it is killed at the end.
 */
export function runProcessTree(options: ProcessTreeOptions): Promise<CommandResult> {
  const { signal, cgroup } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const argv = [
      'setpriv',
      '--pdeathsig',
      'KILL',
      '--',
      '/bin/sh',
      '-c',
      launchScript,
      'sh',
      String(process.pid),
      cgroup?.procsFile ?? '',
      ...options.argv,
    ];
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let dropped = 0;
    let bytes = 0;
    let killedFor: 'output-limit' | undefined;
    let settled = false;
    const killTree = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // The group has already exited.
        }
      }
    };
    const collector = (decoder: StringDecoder) => (chunk: Buffer) => {
      bytes += chunk.length;
      const text = decoder.write(chunk);
      const room = Math.max(0, options.outputLimit - output.length);
      output += text.slice(0, room);
      dropped += Math.max(0, text.length - room);
      if (bytes > options.outputBytes && killedFor === undefined) {
        killedFor = 'output-limit';
        killTree();
      }
    };
    child.stdout.on('data', collector(new StringDecoder('utf8')));
    child.stderr.on('data', collector(new StringDecoder('utf8')));
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const done = cgroup ? cgroup.remove() : Promise.resolve();
      void done.then(action, action);
    };
    const onAbort = () => {
      killTree();
      finish(() => reject(signal?.reason));
    };
    const timer = setTimeout(() => {
      killTree();
      finish(() => reject(new CommandTimeoutError(options.command, options.timeoutMs, output)));
    }, options.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => finish(() => reject(error)));
    // Background processes holding the pipes open must not keep the command running.
    child.on('exit', killTree);
    child.on('close', (exitCode, exitSignal) => {
      // Whatever the tree left running (started in the background) dies with it.
      killTree();
      finish(() =>
        resolve({
          exitCode,
          signal: exitSignal,
          output,
          droppedCharacters: dropped,
          outputBytes: bytes,
          ...(killedFor === undefined ? {} : { killedFor }),
        }),
      );
    });
  });
}
