/**
 * Shared vitest setup: a test that writes to the console unexpectedly fails.
 * A test that expects output spies on the console method itself.
 */
import { afterEach, beforeEach, vi } from 'vitest';

const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
let written: string[] = [];

beforeEach(() => {
  written = [];
  for (const method of methods) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      written.push(`console.${method}: ${args.map(String).join(' ')}`);
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  if (written.length > 0) {
    throw new Error(`The test wrote to the console unexpectedly:\n${written.join('\n')}`);
  }
});
