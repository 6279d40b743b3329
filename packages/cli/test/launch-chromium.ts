/**
 * Debian's Chromium for the CLI tests that open what `reins` writes: headless, without network
 * chatter, failing clearly (with the install command) when it is absent.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const chromiumPath = '/usr/bin/chromium';
const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Throws, naming the purpose and the install command, when Chromium is not installed. */
export function requireChromium(purpose: string): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: ${purpose}. Install it with: apt-get install -y chromium`,
    );
  }
}

/** Launches Debian's Chromium headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
}
