import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUnifiedDiff } from '../src/index.js';

/** Applies a diff with patch(1) to `before` in a fresh folder; returns the patched text. */
function applyWithPatch(before: string, diff: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'reins-diff-'));
  mkdirSync(join(folder, 'src'));
  writeFileSync(join(folder, 'src', 'file.txt'), before);
  const result = spawnSync('patch', ['-p1', '--quiet'], { cwd: folder, input: diff });
  if (result.status !== 0) throw new Error(`patch failed: ${result.stdout}${result.stderr}`);
  return readFileSync(join(folder, 'src', 'file.txt'), 'utf8');
}

/** Texts of a few short lines from a small alphabet, so that lines repeat, with or without a final newline. */
const text = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', 'c', '', 'a b'), { maxLength: 12 }), fc.boolean())
  .map(([lines, newline]) => lines.join('\n') + (newline && lines.length > 0 ? '\n' : ''));

describe('createUnifiedDiff', () => {
  it('gives a diff that patch(1) applies exactly, for any one-region edit', () => {
    fc.assert(
      fc.property(text, text, text, text, (prefix, old, replacement, suffix) => {
        const before = prefix + old + suffix;
        const after = prefix + replacement + suffix;
        const diff = createUnifiedDiff({ path: 'src/file.txt', before, after });
        if (before === after) {
          expect(diff).toBe('');
          return;
        }
        expect(applyWithPatch(before, diff)).toBe(after);
      }),
      { numRuns: 60 },
    );
  });

  it('marks a missing final newline as diff(1) does', () => {
    expect(createUnifiedDiff({ path: 'a.txt', before: 'x\ny', after: 'x\nz' })).toBe(
      [
        '--- a/a.txt',
        '+++ b/a.txt',
        '@@ -1,2 +1,2 @@',
        ' x',
        '-y',
        '\\ No newline at end of file',
        '+z',
        '\\ No newline at end of file',
        '',
      ].join('\n'),
    );
  });
});
