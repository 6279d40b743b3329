import { toTerminalText } from './terminal-text.js';

/** Where a command writes: results to `stdout`, progress and problems to `stderr`. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  /** The folder relative paths are resolved against. @defaultValue `process.cwd()` */
  readonly cwd: string;
}

/** The process's own streams and working directory. */
export function defaultCliIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

/**
 * Writes one JSON object on one line: the whole output of a command run with `--json`.
 * @example
 * ```ts
 * writeJson(io, { runs: 306 });
 * ```
 */
export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Writes lines of human-readable output, control characters escaped (see {@link toTerminalText}). */
export function writeLines(io: CliIo, lines: readonly string[]): void {
  io.stdout.write(`${toTerminalText(lines.join('\n'))}\n`);
}

/** Formats a fraction as a percentage with one decimal. */
export function formatPercent(value: number): string {
  return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}

/** Formats US dollars with two decimals. */
export function formatUsd(value: number): string {
  return `$${value.toFixed(2)}`;
}
