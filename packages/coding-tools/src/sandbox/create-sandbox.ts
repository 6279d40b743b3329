import { realpathSync } from 'node:fs';
import { SandboxUnavailableError } from '../errors/sandbox-unavailable-error.js';
import { toBubblewrapArguments } from './bubblewrap-arguments.js';
import { createPidsCgroup, removeOrphanedPidsCgroups } from './pids-cgroup.js';
import { type CommandResult, runProcessTree } from './run-process-tree.js';
import {
  type ResolvedSandboxLimits,
  resolveSandboxLimits,
  type SandboxLimits,
  toPrlimitArguments,
} from './sandbox-limits.js';

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** The workspace folder: the commands' working folder and the only writable host path. */
  readonly workspace: string;
  /**
   * Whether commands may use the network. Without it a command sees only its own loopback
   * interface: nothing on the host or beyond is reachable.
   * @defaultValue false
   */
  readonly network?: boolean;
  /** Resource limits of each command (see {@link SandboxLimits} for the defaults). */
  readonly limits?: SandboxLimits;
  /**
   * Variables added to the commands' environment. Nothing of this process's environment is
   * passed on otherwise.
   * @defaultValue none: the environment is `PATH`, `HOME` (the workspace), `TMPDIR`, `LANG`
   * and `NO_COLOR` only
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Host folders mounted read-only at the same path, besides /usr, /bin, /lib and a few files
   * of /etc: for example a Node installed under /opt.
   * @defaultValue []
   */
  readonly readOnlyPaths?: readonly string[];
  /**
   * Path of the bubblewrap binary.
   * @defaultValue `'bwrap'` (looked up on `PATH`)
   */
  readonly bubblewrap?: string;
  /**
   * UNSAFE. Run commands without any sandbox when bubblewrap cannot start (and only then):
   * a command can then read, change and kill anything this process's user can, reach the
   * network, and leave processes running (`setsid`). Limits and timeouts still apply to the
   * command's process group. Use it only for trusted commands.
   * @defaultValue false
   */
  readonly unsandboxed?: boolean;
}

/** Options of one {@link Sandbox.run}. */
export interface SandboxRunOptions {
  /** Milliseconds after which the command and everything it started are killed. */
  readonly timeoutMs: number;
  /** Characters of output kept in the result. */
  readonly outputLimit: number;
  /** Aborting kills the command and everything it started; the promise rejects with the reason. */
  readonly signal?: AbortSignal;
}

/** How the sandbox bounds the number of processes. */
export type ProcessLimitMechanism = 'cgroup' | 'rlimit' | 'none';

/** A sandbox that runs shell commands, created by {@link createSandbox}. */
export interface Sandbox {
  /** `'bubblewrap'`, or `'none'` when running unsandboxed by the caller's choice. */
  readonly isolation: 'bubblewrap' | 'none';
  /**
   * How `limits.processes` is enforced: a pids cgroup, `RLIMIT_NPROC`, or not at all (root
   * with no writable pids cgroup: fork loops then end only at the timeout).
   */
  readonly processLimit: ProcessLimitMechanism;
  /** The limits in force. */
  readonly limits: ResolvedSandboxLimits;
  /**
   * Runs a command with `/bin/sh -c` in the workspace.
   * @returns exit code, signal and capped output; a non-zero exit is a result, not an error.
   * @throws {CommandTimeoutError} past the timeout (after killing everything it started).
   */
  run(command: string, options: SandboxRunOptions): Promise<CommandResult>;
}

/** Defaults of {@link SandboxOptions}. */
export const defaultSandboxOptions = Object.freeze({
  network: false,
  bubblewrap: 'bwrap',
  unsandboxed: false,
  probeTimeoutMs: 10_000,
});

const hostPath = '/usr/local/bin:/usr/bin:/bin';
const probeTimeoutMs = defaultSandboxOptions.probeTimeoutMs;

/**
 * A second deadline, enforced inside the sandbox by `timeout(1)` a second after this process's
 * own timer. `timeout` is the namespace's PID 1, so when it exits (its command ended, or the
 * deadline passed) every process in the namespace dies, `setsid` daemons included. Should this
 * process die in the milliseconds before bubblewrap arms its parent-death signal, the orphaned
 * sandbox still ends at the command's timeout.
 */
function deadline(timeoutMs: number): string[] {
  return ['timeout', '--signal=KILL', `${Math.ceil(timeoutMs / 1000) + 1}s`];
}

/**
 * Creates the sandbox that a coding agent's shell runs in, after checking that it works here:
 * it runs `true` in it once (the probe) and fails with a {@link SandboxUnavailableError} when
 * bubblewrap is missing or cannot create its namespaces, unless `unsandboxed: true`.
 *
 * Each command runs under bubblewrap with a fresh PID namespace (it sees and can signal only
 * its own processes; `/proc` is its own), no network unless allowed, the workspace as the only
 * writable host path, a clean environment, and limits on CPU time, memory, file size, open
 * files, processes and output. When the command ends, times out or is aborted, every process
 * it started dies with it, `setsid` daemons included: the namespace's init is killed, which
 * kills everything in the namespace.
 *
 * @param options - workspace, network, limits, environment, extra read-only paths.
 * @returns the sandbox.
 * @throws {SandboxUnavailableError} when bubblewrap cannot run here and `unsandboxed` is not set.
 * @example
 * ```ts
 * const sandbox = await createSandbox({ workspace: '/tmp/ws', limits: { processes: 64 } });
 * const { exitCode, output } = await sandbox.run('node --test', { timeoutMs: 30_000, outputLimit: 8_000 });
 * ```
 */
export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const workspace = realpathSync(options.workspace);
  const limits = resolveSandboxLimits(options.limits);
  const bubblewrap = options.bubblewrap ?? defaultSandboxOptions.bubblewrap;
  const commandEnv = {
    PATH: hostPath,
    HOME: workspace,
    TMPDIR: '/tmp',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    ...options.env,
  };
  const isRoot = process.getuid?.() === 0;
  // Probe the cgroup once; commands then each get their own.
  await removeOrphanedPidsCgroups();
  const probeCgroup = await createPidsCgroup(limits.processes);
  await probeCgroup?.remove();
  const useCgroup = probeCgroup !== undefined;
  const processLimit: ProcessLimitMechanism = useCgroup ? 'cgroup' : isRoot ? 'none' : 'rlimit';
  const prlimit = ['prlimit', ...toPrlimitArguments(limits, processLimit === 'rlimit')];

  const sandboxedArgv = (command: string, timeoutMs: number): [string, ...string[]] => [
    ...(prlimit as [string, ...string[]]),
    bubblewrap,
    ...toBubblewrapArguments({
      workspace,
      network: options.network ?? defaultSandboxOptions.network,
      env: commandEnv,
      readOnlyPaths: options.readOnlyPaths ?? [],
      tmpBytes: limits.tmpBytes,
    }),
    '--',
    ...deadline(timeoutMs),
    '/bin/sh',
    '-c',
    command,
  ];
  const run = async (
    argv: [string, ...string[]],
    command: string,
    env: Readonly<Record<string, string>>,
    runOptions: SandboxRunOptions,
  ) => {
    const cgroup = useCgroup ? await createPidsCgroup(limits.processes) : undefined;
    return runProcessTree({
      argv,
      env,
      cwd: workspace,
      command,
      timeoutMs: runOptions.timeoutMs,
      outputLimit: runOptions.outputLimit,
      outputBytes: limits.outputBytes,
      ...(runOptions.signal === undefined ? {} : { signal: runOptions.signal }),
      ...(cgroup === undefined ? {} : { cgroup }),
    });
  };

  // bubblewrap itself gets a bare environment too: it stays outside the namespace (the command
  // is PID 1 there), but nothing of this process's environment needs to reach it.
  const bubblewrapEnv = { PATH: hostPath };
  const probe = await run(sandboxedArgv('true', probeTimeoutMs), 'true', bubblewrapEnv, {
    timeoutMs: probeTimeoutMs,
    outputLimit: 2_000,
  }).catch((error: unknown) => ({ exitCode: -1, output: String(error), error }));
  if (probe.exitCode === 0) {
    return {
      isolation: 'bubblewrap',
      processLimit,
      limits,
      run: (command, runOptions) =>
        run(sandboxedArgv(command, runOptions.timeoutMs), command, bubblewrapEnv, runOptions),
    };
  }
  if (!(options.unsandboxed ?? defaultSandboxOptions.unsandboxed)) {
    throw new SandboxUnavailableError(
      bubblewrap,
      probe.output,
      'error' in probe ? probe.error : undefined,
    );
  }
  return {
    isolation: 'none',
    processLimit,
    limits,
    run: (command, runOptions) =>
      run(
        [
          ...(prlimit as [string, ...string[]]),
          ...deadline(runOptions.timeoutMs),
          '/bin/sh',
          '-c',
          command,
        ],
        command,
        commandEnv,
        runOptions,
      ),
  };
}
