/**
 * Runs code-block modules one after another in this one process (so that the packages load
 * once), each in an empty working folder of its own, and writes how each ended as JSON.
 *
 *   tsx --conditions=@reins/source run-blocks.ts <results.json> <block.ts>…
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** How one block ended. */
export interface BlockRun {
  /** The module's file name. */
  readonly name: string;
  /** Undefined when the block ran to its end; else the error it threw, with its stack. */
  readonly error?: string;
}

/** Longest a block may run. */
const blockTimeoutMs = 60_000;

const [resultsFile, ...files] = process.argv.slice(2);
if (resultsFile === undefined) throw new Error('Usage: run-blocks.ts <results.json> <block.ts>…');
const runs: BlockRun[] = [];
for (const file of files) {
  const name = basename(file);
  const cwd = join(dirname(file), name.replace(/\.ts$/, ''));
  mkdirSync(cwd, { recursive: true });
  process.chdir(cwd);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`did not finish within ${blockTimeoutMs} ms`)),
      blockTimeoutMs,
    );
  });
  try {
    await Promise.race([import(pathToFileURL(file).href), timeout]);
    runs.push({ name });
  } catch (error) {
    runs.push({
      name,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  } finally {
    clearTimeout(timer);
  }
}
writeFileSync(resultsFile, JSON.stringify(runs));
// A block may leave a timer or a socket behind; the runs are over.
process.exit(0);
