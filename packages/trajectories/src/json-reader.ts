import { TrajectoryFormatError } from './errors/trajectory-format-error.js';

/** A plain JSON object. */
export type JsonObject = { readonly [key: string]: unknown };

/**
 * Reads fields of parsed JSON, throwing a {@link TrajectoryFormatError} that names the file, the
 * path and what was expected whenever a field has the wrong shape.
 */
export interface JsonReader {
  readonly file: string;
  object(value: unknown, path: string): JsonObject;
  array(value: unknown, path: string): readonly unknown[];
  string(value: unknown, path: string): string;
  number(value: unknown, path: string): number;
  /** A number, or `undefined` when the field is absent or null. */
  optionalNumber(value: unknown, path: string): number | undefined;
  /** A string, or `undefined` when the field is absent or null. */
  optionalString(value: unknown, path: string): string | undefined;
  /** Throws a format error at `path`. */
  fail(path: string, expected: string, value: unknown, hint?: string): never;
}

/**
 * Creates a {@link JsonReader} for one file.
 * @param file - the file name used in error messages.
 * @example
 * ```ts
 * const read = createJsonReader('run.traj.json');
 * const cost = read.number(stats.instance_cost, 'info.model_stats.instance_cost');
 * ```
 */
export function createJsonReader(file: string): JsonReader {
  const fail = (path: string, expected: string, value: unknown, hint?: string): never => {
    throw new TrajectoryFormatError({
      file,
      path,
      expected,
      received: describeJsonValue(value),
      ...(hint === undefined ? {} : { hint }),
    });
  };
  return {
    file,
    fail,
    object(value, path) {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return fail(path, 'an object', value);
      return value as JsonObject;
    },
    array(value, path) {
      if (!Array.isArray(value)) return fail(path, 'an array', value);
      return value;
    },
    string(value, path) {
      if (typeof value !== 'string') return fail(path, 'a string', value);
      return value;
    },
    number(value, path) {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return fail(path, 'a number', value);
      return value;
    },
    optionalNumber(value, path) {
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value))
        return fail(path, 'a number or nothing', value);
      return value;
    },
    optionalString(value, path) {
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string') return fail(path, 'a string or nothing', value);
      return value;
    },
  };
}

/**
 * Describes a JSON value briefly for an error message: its type and a glimpse of it.
 * @example
 * ```ts
 * describeJsonValue(undefined); // 'nothing (the field is missing)'
 * ```
 */
export function describeJsonValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value === 'string') {
    const glimpse = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string ${JSON.stringify(glimpse)}`;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    const shown = keys.slice(0, 8).join(', ');
    return `an object with keys [${shown}${keys.length > 8 ? ', …' : ''}]`;
  }
  return `the ${typeof value} ${String(value)}`;
}

/**
 * Parses JSON text, turning a syntax error (a truncated or corrupted file) into a
 * {@link TrajectoryFormatError} that names the path being read where the text broke off.
 * @param text - the file's contents.
 * @param file - its name, for the error.
 * @example
 * ```ts
 * const raw = parseJsonText(await readFile(file, 'utf8'), file);
 * ```
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const match = /position (\d+)/.exec(message);
    const truncated = /end of JSON input|Unterminated string/i.test(message);
    const position = match === null ? text.length : Number(match[1]);
    const details = truncated
      ? {
          path: jsonPathAt(text, position),
          expected: 'complete JSON',
          received: `the text ends after ${text.length} characters (${message})`,
          hint: 'The file looks truncated: copy it again or re-run the export.',
        }
      : match === null
        ? {
            path: '',
            expected: 'JSON',
            received: `text that is not JSON (${message})`,
            hint: 'This file is not JSON, so it is not a recorded run: move it out of the folder or give it another extension.',
          }
        : {
            path: jsonPathAt(text, position),
            expected: 'valid JSON',
            received: `a syntax error at character ${position} (${message})`,
            hint: 'Fix or remove the file; the rest of a directory is still imported.',
          };
    throw new TrajectoryFormatError({ file, ...details }, { cause: error });
  }
}

/**
 * The JSON path (`messages[3].content`) of the value being read at a character position of a
 * JSON text, found by scanning the text up to it.
 * @example
 * ```ts
 * jsonPathAt('{"a":[1,{"b":', 13); // 'a[1].b'
 * ```
 */
export function jsonPathAt(text: string, position: number): string {
  type Frame = { kind: 'object'; key: string | undefined } | { kind: 'array'; index: number };
  const stack: Frame[] = [];
  let expectingKey = false;
  const end = Math.min(position, text.length);
  let index = 0;
  while (index < end) {
    const character = text[index];
    if (character === '"') {
      let close = index + 1;
      while (close < text.length && text[close] !== '"') close += text[close] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (expectingKey && top?.kind === 'object') {
        try {
          top.key = JSON.parse(text.slice(index, close + 1)) as string;
        } catch {
          top.key = text.slice(index + 1, Math.min(close, end));
        }
        expectingKey = false;
      }
      index = close + 1;
      continue;
    }
    if (character === '{') {
      stack.push({ kind: 'object', key: undefined });
      expectingKey = true;
    } else if (character === '[') {
      stack.push({ kind: 'array', index: 0 });
      expectingKey = false;
    } else if (character === '}' || character === ']') {
      stack.pop();
      expectingKey = false;
    } else if (character === ',') {
      const top = stack.at(-1);
      if (top?.kind === 'array') top.index += 1;
      else if (top?.kind === 'object') expectingKey = true;
    }
    index += 1;
  }
  let path = '';
  for (const frame of stack) {
    if (frame.kind === 'array') path += `[${frame.index}]`;
    else if (frame.key !== undefined) path += path === '' ? frame.key : `.${frame.key}`;
  }
  return path;
}
