/**
 * Shipped code of the packages whose decisions must be reproducible behaves the same whatever
 * the environment: their sources read no environment variables (configuration comes through
 * options). A variable read at import time once replaced the overthinking monitor's default
 * classifiers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packagesRoot = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && /\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$/.test(entry.name),
    )
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('shipped sources', () => {
  for (const name of ['core', 'controller', 'early-exit']) {
    it(`of @reins/${name} read no environment variables`, () => {
      const files = sourceFiles(path.join(packagesRoot, name, 'src'));
      expect(files.length).toBeGreaterThan(10);
      const reading = files.filter((file) =>
        /process\.env|import\.meta\.env/.test(readFileSync(file, 'utf8')),
      );
      expect(reading.map((file) => path.relative(packagesRoot, file))).toEqual([]);
    });
  }
});
