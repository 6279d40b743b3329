/** Options of {@link toToolKey}. */
export interface ToolKeyOptions {
  /**
   * Tools whose `command` argument is a shell command: their key is the command's first word.
   * @defaultValue `defaultShellToolNames`
   */
  readonly shellTools?: readonly string[];
}

/** Tool names read as shell tools by default (mini-swe-agent and SWE-agent record `bash`). */
export const defaultShellToolNames: readonly string[] = ['bash', 'shell', 'sh', 'run', 'exec'];

const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/;
const prefixes = new Set(['sudo', 'time', 'timeout', 'env', 'nohup', 'exec']);

/**
 * The first word of a shell command that names what runs: leading `cd dir &&`, variable
 * assignments and wrappers (`sudo`, `time`, `env`, `timeout 60`) are skipped, and a path is cut
 * to its last part (`./tests/runtests.py` → `runtests.py`).
 *
 * @param command - the command line.
 * @returns the word, or `''` for an empty command.
 * @example
 * ```ts
 * firstCommandWord('cd /repo && PYTHONPATH=. timeout 60 python -m pytest -x'); // 'python'
 * ```
 */
export function firstCommandWord(command: string): string {
  const segments = command.trim().split(/\s*(?:&&|\|\||;)\s*/);
  for (const segment of segments) {
    const words = segment.split(/\s+/).filter((word) => word !== '');
    let index = 0;
    while (index < words.length) {
      const word = words[index] as string;
      if (assignment.test(word) || prefixes.has(word)) {
        index += word === 'timeout' && /^\d/.test(words[index + 1] ?? '') ? 2 : 1;
        continue;
      }
      break;
    }
    const word = words[index];
    if (word === undefined || word === 'cd') continue;
    const base = word.replace(/^['"]|['"]$/g, '');
    const slash = base.lastIndexOf('/');
    return slash >= 0 && slash < base.length - 1 ? base.slice(slash + 1) : base;
  }
  return '';
}

/**
 * The key a tool call's duration is predicted under: the tool's name, and for shell tools the
 * command's first word (`bash:pytest`), since `ls` and `pytest` take very different times.
 *
 * @param name - the tool's name.
 * @param argumentsJson - the call's arguments as JSON text (a shell tool's `{"command": …}`).
 * @param options - which tools are shell tools.
 * @returns the key, e.g. `'read_file'` or `'bash:pytest'`.
 * @example
 * ```ts
 * toToolKey('bash', '{"command":"pytest -x tests"}'); // 'bash:pytest'
 * toToolKey('read_file', '{"path":"a.py"}'); // 'read_file'
 * ```
 */
export function toToolKey(
  name: string,
  argumentsJson: string,
  options: ToolKeyOptions = {},
): string {
  const shellTools = options.shellTools ?? defaultShellToolNames;
  if (!shellTools.includes(name)) return name;
  let command: unknown;
  try {
    const parsed = JSON.parse(argumentsJson) as unknown;
    command =
      typeof parsed === 'string'
        ? parsed
        : typeof parsed === 'object' && parsed !== null
          ? ((parsed as Record<string, unknown>).command ?? (parsed as Record<string, unknown>).cmd)
          : undefined;
  } catch {
    command = argumentsJson;
  }
  if (typeof command !== 'string') return name;
  const word = firstCommandWord(command);
  return word === '' ? name : `${name}:${word}`;
}
