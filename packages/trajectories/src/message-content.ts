import type { JsonReader } from './json-reader.js';

/**
 * The text of a chat message's `content`: a string, `null` (a tool-calling turn without text),
 * or a list of parts whose `text` fields are joined.
 * @param read - the reader of the file, for errors.
 * @param value - the `content` field.
 * @param path - its path in the file.
 * @example
 * ```ts
 * messageContentText(read, [{ type: 'text', text: 'hi' }], 'messages[2].content'); // 'hi'
 * ```
 */
export function messageContentText(read: JsonReader, value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    return value
      .map((part, index) => {
        if (typeof part === 'string') return part;
        const object = read.object(part, `${path}[${index}]`);
        return typeof object.text === 'string' ? object.text : '';
      })
      .join('');
  }
  return read.fail(path, 'a string, null or a list of text parts', value);
}

const returnCodePattern = /^\s*<returncode>(-?\d+)<\/returncode>/;

/**
 * The exit code a shell observation starts with (`<returncode>N</returncode>`), if any.
 * @example
 * ```ts
 * parseReturnCode('<returncode>1</returncode>\n<output>…'); // 1
 * ```
 */
export function parseReturnCode(observation: string): number | undefined {
  const match = returnCodePattern.exec(observation);
  return match === null ? undefined : Number(match[1]);
}

const bashBlockPattern = /```bash\s*\n([\s\S]*?)\n```/g;

/**
 * The bash commands written in fenced ```` ```bash ```` blocks of a model's text, the way
 * mini-swe-agent finds its one action per turn.
 * @example
 * ```ts
 * findBashBlocks('THOUGHT: look\n```bash\nls\n```'); // ['ls']
 * ```
 */
export function findBashBlocks(text: string): string[] {
  return [...text.matchAll(bashBlockPattern)].map((match) => (match[1] ?? '').trim());
}
