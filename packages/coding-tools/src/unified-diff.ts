/** Options of {@link createUnifiedDiff}. */
export interface UnifiedDiffOptions {
  /** The file's path, relative to the workspace, for the `---`/`+++` header. */
  readonly path: string;
  /** The file's text before the change. */
  readonly before: string;
  /** The file's text after the change. */
  readonly after: string;
  /**
   * Unchanged lines shown around the change.
   * @defaultValue 3
   */
  readonly context?: number;
}

/** Lines of a text, each with its line ending, so that a missing final newline is seen. */
function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.at(-1) === '' ? lines.slice(0, -1) : lines;
}

function formatLine(marker: string, line: string): string {
  return line.endsWith('\n')
    ? `${marker}${line}`
    : `${marker}${line}\n\\ No newline at end of file\n`;
}

function range(start: number, count: number): string {
  // A hunk of no lines names the line before it, as diff(1) does.
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

/**
 * A unified diff (`diff -u` format, one hunk) between two versions of a file that differ in
 * one contiguous region, as an exact-match edit makes them. `patch -p1` and `git apply`
 * accept it.
 *
 * @param options - path, text before and after, context lines.
 * @returns the diff, or `''` when the texts are equal.
 * @example
 * ```ts
 * createUnifiedDiff({ path: 'src/a.js', before: 'a\nb\n', after: 'a\nc\n' });
 * // --- a/src/a.js\n+++ b/src/a.js\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n
 * ```
 */
export function createUnifiedDiff(options: UnifiedDiffOptions): string {
  const context = options.context ?? 3;
  const before = splitLines(options.before);
  const after = splitLines(options.after);
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix])
    prefix += 1;
  if (prefix === before.length && prefix === after.length) return '';
  let suffix = 0;
  while (
    suffix < before.length - prefix &&
    suffix < after.length - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  )
    suffix += 1;
  const start = Math.max(0, prefix - context);
  const beforeEnd = Math.min(before.length, before.length - suffix + context);
  const afterEnd = Math.min(after.length, after.length - suffix + context);
  const lines = [
    `--- a/${options.path}\n`,
    `+++ b/${options.path}\n`,
    `@@ -${range(start, beforeEnd - start)} +${range(start, afterEnd - start)} @@\n`,
  ];
  for (const line of before.slice(start, prefix)) lines.push(formatLine(' ', line));
  for (const line of before.slice(prefix, before.length - suffix))
    lines.push(formatLine('-', line));
  for (const line of after.slice(prefix, after.length - suffix)) lines.push(formatLine('+', line));
  for (const line of after.slice(after.length - suffix, afterEnd))
    lines.push(formatLine(' ', line));
  return lines.join('');
}
