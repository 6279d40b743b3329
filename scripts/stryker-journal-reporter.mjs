/**
 * A StrykerJS reporter that appends each tested mutant to `reports/mutation/journal.jsonl` as
 * soon as its result is known, so that a run stopped before its end still says which mutants it
 * tested and how each fared (`pnpm mutation --report-only` scores it when no full report is
 * newer). Stryker's own JSON report is written only when a run completes.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

/** Where the journal goes, relative to the package folder Stryker runs in. */
export const journalFile = 'reports/mutation/journal.jsonl';

class JournalReporter {
  static inject = [];

  constructor() {
    mkdirSync(dirname(journalFile), { recursive: true });
    writeFileSync(journalFile, '');
  }

  /** @param {import('@stryker-mutator/api/core').MutantResult} result */
  onMutantTested(result) {
    const entry = {
      id: result.id,
      file: relative(process.cwd(), result.fileName),
      line: result.location.start.line,
      column: result.location.start.column,
      mutatorName: result.mutatorName,
      replacement: result.replacement,
      status: result.status,
    };
    appendFileSync(journalFile, `${JSON.stringify(entry)}\n`);
  }
}

/** The plugin Stryker loads (declared without importing `@stryker-mutator/api`). */
export const strykerPlugins = [
  { kind: 'Reporter', name: 'journal', injectableClass: JournalReporter },
];
