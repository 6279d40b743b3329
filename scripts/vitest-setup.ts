/**
 * Shared vitest setup: a test that writes to the console unexpectedly fails.
 * A test that expects output spies on the console method itself.
 *
 * Property tests draw up to the lengths they name: fast-check otherwise keeps every array and
 * string at 10 or fewer items whatever its `maxLength` (its default size is "small"), so a
 * test written for 90-item sequences would never see one longer than 10.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, vi } from 'vitest';

fc.configureGlobal({ defaultSizeToMaxWhenMaxSpecified: true });

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
