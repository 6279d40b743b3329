import { ReinsError } from '@reins/core';

/**
 * Chromium is not installed where the web agent looks for it.
 *
 * @example
 * ```ts
 * try { await launchChromium(); } catch (error) {
 *   if (ChromiumMissingError.isInstance(error)) console.error(error.message);
 * }
 * ```
 */
export class ChromiumMissingError extends ReinsError {
  /** Where Chromium was expected. */
  readonly executablePath: string;

  /** @param executablePath - the path that does not exist. */
  constructor(executablePath: string) {
    super(
      'chromium-missing',
      `Chromium is not installed at ${executablePath}. Install Debian's package (as root: apt-get update && apt-get install -y chromium; the root 'pnpm test' does this when it runs as root), or pass launchChromium({ executablePath }).`,
    );
    this.name = 'ChromiumMissingError';
    this.executablePath = executablePath;
  }

  /** Whether `value` is a {@link ChromiumMissingError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is ChromiumMissingError {
    return ReinsError.isInstance(value) && value.code === 'chromium-missing';
  }
}
