import { inspect } from 'node:util';

/** Longest description {@link describeUnknown} returns, in characters. */
const maxLength = 500;

/**
 * Describes any value thrown or passed by user code — a tool, a backend, a controller hook, a
 * checkpointer, an event listener — in one line, without ever throwing: `Object.create(null)`,
 * throwing getters, symbols, bigints, cyclic objects and proxies whose traps throw all get a
 * description. For an `Error` it is the message (with the name when it is not plain `Error`).
 * Long descriptions are cut at 500 characters.
 *
 * @param value - anything caught.
 * @returns a one-line description.
 * @example
 * ```ts
 * describeUnknown(new TypeError('bad')); // 'TypeError: bad'
 * describeUnknown(Object.create(null)); // '[Object: null prototype] {}'
 * describeUnknown(Symbol('s')); // 'Symbol(s)'
 * ```
 */
export function describeUnknown(value: unknown): string {
  const text = errorMessage(value) ?? inspected(value) ?? fallback(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

function errorMessage(value: unknown): string | undefined {
  try {
    if (!(value instanceof Error)) return undefined;
    const { message, name } = value;
    if (typeof message !== 'string') return undefined;
    return typeof name === 'string' && name !== 'Error' && name !== ''
      ? `${name}: ${message}`
      : message;
  } catch {
    return undefined;
  }
}

function inspected(value: unknown): string | undefined {
  try {
    if (typeof value === 'string') return value;
    return inspect(value, {
      depth: 2,
      breakLength: Number.POSITIVE_INFINITY,
      maxArrayLength: 20,
      maxStringLength: maxLength,
      customInspect: false,
      getters: false,
      showProxy: true,
    });
  } catch {
    return undefined;
  }
}

function fallback(value: unknown): string {
  try {
    return `a value of type ${typeof value} that cannot be described`;
  } catch {
    return 'a value that cannot be described';
  }
}
