/** Resource limits of one sandboxed command and everything it starts. */
export interface SandboxLimits {
  /**
   * CPU seconds each process may use (`RLIMIT_CPU`); past it the kernel kills the process.
   * @defaultValue 120
   */
  readonly cpuSeconds?: number;
  /**
   * Bytes of address space each process may map (`RLIMIT_AS`). Node needs about 1 GiB; some
   * runtimes (Go, the JVM) reserve more and need a higher value.
   * @defaultValue 4 GiB
   */
  readonly memoryBytes?: number;
  /**
   * Largest file a process may write (`RLIMIT_FSIZE`), in bytes.
   * @defaultValue 1 GiB
   */
  readonly fileSizeBytes?: number;
  /**
   * Processes and threads alive at once in the sandbox: a `pids` cgroup where one can be
   * created (cgroup v1, or v2 with the pids controller delegated), else `RLIMIT_NPROC` when not
   * running as root (the kernel does not apply `RLIMIT_NPROC` to root). See
   * `Sandbox.processLimit` for which holds.
   * @defaultValue 256
   */
  readonly processes?: number;
  /**
   * Open files per process (`RLIMIT_NOFILE`).
   * @defaultValue 1024
   */
  readonly openFiles?: number;
  /**
   * Bytes of standard output and error together after which the command is killed; the
   * result says so and keeps the first `outputLimit` characters.
   * @defaultValue 1 MiB
   */
  readonly outputBytes?: number;
  /**
   * Size of the sandbox's private `/tmp` (a tmpfs that vanishes with the command), in bytes.
   * @defaultValue 256 MiB
   */
  readonly tmpBytes?: number;
}

/** Defaults of {@link SandboxLimits}. */
export const defaultSandboxLimits = Object.freeze({
  cpuSeconds: 120,
  memoryBytes: 4 * 1024 ** 3,
  fileSizeBytes: 1024 ** 3,
  processes: 256,
  openFiles: 1024,
  outputBytes: 1024 ** 2,
  tmpBytes: 256 * 1024 ** 2,
} satisfies Required<SandboxLimits>);

/** Every limit, with defaults filled in. */
export type ResolvedSandboxLimits = Readonly<Required<SandboxLimits>>;

/**
 * Fills in the defaults and checks each limit is a positive integer.
 * @throws {RangeError} naming the limit and its value.
 */
export function resolveSandboxLimits(limits: SandboxLimits = {}): ResolvedSandboxLimits {
  const resolved = { ...defaultSandboxLimits, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(
        `Sandbox limit '${name}' is ${String(value)}; it must be a positive whole number (default ${defaultSandboxLimits[name as keyof typeof defaultSandboxLimits]}).`,
      );
    }
  }
  return resolved;
}

/**
 * The `prlimit` arguments that apply the limits to a command and everything it starts.
 * @param limits - the resolved limits.
 * @param nproc - whether to set `RLIMIT_NPROC` (only useful when not running as root).
 */
export function toPrlimitArguments(limits: ResolvedSandboxLimits, nproc: boolean): string[] {
  return [
    `--cpu=${limits.cpuSeconds}`,
    `--as=${limits.memoryBytes}`,
    `--fsize=${limits.fileSizeBytes}`,
    `--nofile=${limits.openFiles}`,
    ...(nproc ? [`--nproc=${limits.processes}`] : []),
    '--',
  ];
}
