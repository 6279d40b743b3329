/**
 * Library option names that the CLI sets from flags, as a message should name them on the
 * command line: `{ folds }` → `--folds`.
 */
const flagsByOption: Readonly<Record<string, string>> = Object.freeze({
  folds: '--folds',
  maxResolvedLoss: '--max-resolved-loss',
  seed: '--seed',
  programs: '--programs',
  rates: '--rates',
});

/** A library hint that has no command-line equivalent (the CLI detects the format itself). */
const libraryOnlyHint = /; pass \{ format \} to importTrajectoryFile\(\) to choose one/g;

/** Whether a UTF-16 code is a C0 or C1 control character other than tab and newline. */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
}

/** The text with each control character written as a `\x1b`-style escape. */
function escapeControlCharacters(text: string): string {
  let escaped = '';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    escaped += isControl(code) ? `\\x${code.toString(16).padStart(2, '0')}` : text[index];
  }
  return escaped;
}

/**
 * Text for the terminal: control characters (which a file's name or contents may hold, and
 * which would move the cursor, clear the screen or retitle the window) shown as `\x1b`-style
 * escapes, and library option names (`{ folds }`) replaced by the CLI's flags (`--folds`).
 * @example
 * ```ts
 * toTerminalText('lower { folds } in \u001b[2J'); // 'lower --folds in \\x1b[2J'
 * ```
 */
export function toTerminalText(text: string): string {
  return escapeControlCharacters(
    text
      .replace(libraryOnlyHint, '')
      .replace(/\{ (\w+) \}/g, (whole, name: string) => flagsByOption[name] ?? whole),
  );
}
