/**
 * What a shell command does, as far as its text tells: the files it writes, whether it runs
 * tests, whether it submits the work. Heuristics over the text (here-document bodies are
 * ignored, `&&`, `||`, `;`, `|` and new lines split commands); they read the commands coding
 * agents write (`sed -i`, `cat > file`, `tee`, `cp`, `mv`, `rm`, `touch`, redirections), not every
 * possible shell program.
 */

/**
 * Removes here-document bodies (`<<'EOF' … EOF`), which hold file contents, not commands.
 * @param command - a shell command line.
 * @returns the command with each here-document's body and terminator left out.
 * @example
 * ```ts
 * withoutHereDocuments("cat <<'EOF' > a.py\nimport os\nEOF\npytest"); // "cat <<'EOF' > a.py\npytest"
 * ```
 */
export function withoutHereDocuments(command: string): string {
  const lines = command.split('\n');
  const kept: string[] = [];
  let terminator: string | undefined;
  for (const line of lines) {
    if (terminator !== undefined) {
      if (line.trim() === terminator) terminator = undefined;
      continue;
    }
    kept.push(line);
    const match = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line);
    if (match !== null) terminator = match[2];
  }
  return kept.join('\n');
}

/** Splits a command line into simple commands at `&&`, `||`, `;`, `|` and new lines. */
function simpleCommands(command: string): string[] {
  return withoutHereDocuments(command)
    .split(/&&|\|\||;|\||\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Splits a simple command into words, honouring single and double quotes. */
function words(command: string): string[] {
  const found: string[] = [];
  const pattern = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const match of command.matchAll(pattern))
    found.push(match[1] ?? match[2] ?? (match[3] as string));
  return found;
}

const redirection = /(?<![0-9&>])>>?\s*([^\s;&|<>()]+)/g;

/** Options of {@link writtenPaths}. */
export interface WrittenPathsOptions {
  /** Count `rm` operands as written. @defaultValue true */
  readonly deletions?: boolean;
}

/**
 * The files a shell command writes: `sed -i`/`perl -i` targets, redirections (`>`, `>>`), `tee`,
 * the destination of `cp`/`mv`/`install`, `touch`/`truncate` operands and (unless
 * `deletions: false`) `rm` operands.
 * @example
 * ```ts
 * writtenPaths("sed -i 's/a/b/' src/x.py && cat <<'EOF' > tests/test_x.py\nx\nEOF");
 * // ['src/x.py', 'tests/test_x.py']
 * ```
 */
export function writtenPaths(command: string, options: WrittenPathsOptions = {}): string[] {
  const deletions = options.deletions ?? true;
  const paths: string[] = [];
  for (const simple of simpleCommands(command)) {
    for (const match of simple.matchAll(redirection)) {
      const target = match[1] as string;
      if (!target.startsWith('&') && target !== '/dev/null') paths.push(unquote(target));
    }
    const parts = words(simple.replace(redirection, ' '));
    let start = 0;
    while (start < parts.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(parts[start] as string))
      start += 1;
    const program = (parts[start] ?? '').replace(/^.*\//, '');
    const operands = parts.slice(start + 1).filter((word) => !word.startsWith('-'));
    const options = parts.slice(start + 1).filter((word) => word.startsWith('-'));
    if (
      program === 'sed' &&
      options.some((option) => /^-[a-zA-Z]*i/.test(option) || option.startsWith('--in-place'))
    ) {
      // The first operand is the script (also when given after -e).
      paths.push(...operands.slice(1));
    } else if (program === 'perl' && options.some((option) => /^-[a-zA-Z]*i/.test(option))) {
      paths.push(...operands.slice(1));
    } else if (program === 'tee') {
      paths.push(...operands);
    } else if (['cp', 'mv', 'install'].includes(program) && operands.length >= 2) {
      paths.push(operands.at(-1) as string);
    } else if (['touch', 'truncate'].includes(program) || (deletions && program === 'rm')) {
      paths.push(...operands);
    }
  }
  return paths;
}

function unquote(text: string): string {
  return text.replace(/^['"]|['"]$/g, '');
}

/**
 * Whether a path is a test file: a `test`, `tests` or `testing` folder on its way
 * (`pkg/tests/test_x.py`, `src/test/java/…`, `testing/…`), or a `conftest.py`.
 * @example
 * ```ts
 * isTestPath('/testbed/astropy/modeling/tests/test_separable.py'); // true
 * isTestPath('reproduce_issue.py'); // false
 * ```
 */
export function isTestPath(path: string): boolean {
  const segments = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment !== '');
  if (segments.at(-1) === 'conftest.py') return true;
  return segments.slice(0, -1).some((segment) => /^(tests?|testing)$/i.test(segment));
}

const testRunners = [
  /\b(pytest|py\.test|tox|nosetests|nose2)\b/,
  /\bpython[0-9.]*\s+(-[a-zA-Z]+\s+)*-m\s+(pytest|unittest)\b/,
  /\bruntests(\.py)?\b/,
  /\bbin\/test\b/,
  /\b(mvn|mvnw|gradle|gradlew)\b[^\n]*\btest\b/,
  /\b(npm|yarn|pnpm)\s+(run\s+)?test\b/,
  /\b(go|cargo)\s+test\b/,
  /\bmake\s+(test|check)\b/,
  /\bpython[0-9.]*\s+(-[a-zA-Z]+\s+)*\S*\b(tests?|testing)\/\S+\.py\b/,
];

/**
 * Whether a shell command runs tests: a test runner (pytest, unittest, tox, nose, Django's
 * runtests, SymPy's bin/test, Maven or Gradle `test`, `npm test`, `go test`, `cargo test`,
 * `make test`) or a Python file under a tests folder.
 * @example
 * ```ts
 * isTestCommand('cd /testbed && python -m pytest astropy/modeling -q'); // true
 * isTestCommand('python reproduce_issue.py'); // false
 * ```
 */
export function isTestCommand(command: string): boolean {
  const text = withoutHereDocuments(command);
  return testRunners.some((pattern) => pattern.test(text));
}

/**
 * Whether a shell command submits the work: mini-swe-agent's
 * `echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT` (or `MINI_SWE_AGENT_FINAL_OUTPUT`), or SWE-agent's
 * `submit`.
 * @example
 * ```ts
 * isSubmitCommand('echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git add -A'); // true
 * ```
 */
export function isSubmitCommand(command: string): boolean {
  return (
    /COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT|MINI_SWE_AGENT_FINAL_OUTPUT/.test(command) ||
    /^\s*submit\b/.test(command)
  );
}

/** What a command of SWE-agent's editor (0.x: `open`, `create`, `edit N:M`) does to files. */
export interface EditorCommand {
  /** The file it opens (`open PATH [LINE]`) or creates (`create PATH`), which later edits change. */
  readonly opens?: string;
  /** The file it creates. */
  readonly creates?: string;
  /** It edits the open file (`edit N:M` … `end_of_edit`). */
  readonly editsOpenFile: boolean;
}

/**
 * Reads a command of SWE-agent's 0.x editor: `open PATH [LINE]` and `create PATH` make PATH the
 * open file (`create` also writes it), `edit N:M` changes the open file.
 * @example
 * ```ts
 * readEditorCommand('create src/test/java/FooTest.java'); // { opens: …, creates: …, editsOpenFile: false }
 * readEditorCommand('edit 12:14\n    return x;\nend_of_edit'); // { editsOpenFile: true }
 * ```
 */
export function readEditorCommand(command: string): EditorCommand {
  const first = command.trimStart().split('\n', 1)[0] ?? '';
  const open = /^open\s+("[^"]+"|'[^']+'|\S+)/.exec(first);
  if (open !== null) return { opens: unquote(open[1] as string), editsOpenFile: false };
  const create = /^create\s+("[^"]+"|'[^']+'|\S+)/.exec(first);
  if (create !== null) {
    const path = unquote(create[1] as string);
    return { opens: path, creates: path, editsOpenFile: false };
  }
  return { editsOpenFile: /^edit\s+\d+:\d+\s*$/.test(first) };
}
