import { ReinsError } from '@reins/core';

/**
 * The shell's sandbox cannot start here: bubblewrap is missing, or the kernel refuses it the
 * namespaces it needs (user namespaces disabled or restricted). The shell refuses to run
 * commands unsandboxed unless its caller opts in with `unsandboxed: true`.
 *
 * @example
 * ```ts
 * try { await createSandbox({ workspace }); } catch (error) {
 *   if (SandboxUnavailableError.isInstance(error)) console.error(error.probeOutput);
 * }
 * ```
 */
export class SandboxUnavailableError extends ReinsError {
  /** The bubblewrap binary that was tried. */
  readonly binary: string;
  /** What the probe printed (bubblewrap's error), or the spawn error's message. */
  readonly probeOutput: string;

  /**
   * @param binary - the bubblewrap path tried.
   * @param probeOutput - why the probe failed.
   * @param cause - the underlying error, if any.
   */
  constructor(binary: string, probeOutput: string, cause?: unknown) {
    super(
      'sandbox-unavailable',
      `The shell sandbox cannot start: '${binary} --unshare-all … true' failed (${probeOutput.trim() || 'no output'}). Install bubblewrap (apt-get install bubblewrap), allow user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0), or run as root; or pass unsandboxed: true to run commands with no sandbox at all (unsafe: a command can then read, change and kill anything your user can).`,
      { cause },
    );
    this.name = 'SandboxUnavailableError';
    this.binary = binary;
    this.probeOutput = probeOutput;
  }

  /** Whether `value` is a {@link SandboxUnavailableError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is SandboxUnavailableError {
    return ReinsError.isInstance(value) && value.code === 'sandbox-unavailable';
  }
}
