import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { ChromiumMissingError } from './chromium-missing-error.js';

/** Options of {@link launchChromium}. */
export interface LaunchChromiumOptions {
  /** @defaultValue `'/usr/bin/chromium'` (Debian's package) */
  readonly executablePath?: string;
  /** @defaultValue true */
  readonly headless?: boolean;
}

/** Flags for Debian's Chromium in a container: no sandbox, GPU, QUIC or background traffic. */
export const chromiumFlags = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/**
 * Launches the system's Chromium through playwright-core (which never downloads a browser).
 *
 * @param options - executable path and headless mode.
 * @returns the browser; close it when done.
 * @throws {ChromiumMissingError} when the executable does not exist.
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 * ```
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new ChromiumMissingError(executablePath);
  const headless = options.headless ?? true;
  return chromium.launch({
    executablePath,
    headless,
    args: chromiumFlags.filter((flag) => headless || flag !== '--headless'),
  });
}
