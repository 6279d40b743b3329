/** What every file tool is configured with; filled in by `createCodingTools`. */
export interface CodingToolSettings {
  /** The workspace root, as a real path. */
  readonly root: string;
  /** Characters of a tool's result returned to the model. */
  readonly outputLimit: number;
  /** Files larger than this many bytes are not read, searched or edited. */
  readonly maxFileBytes: number;
}

/**
 * Cuts a tool's text at `limit` characters, saying how many were left out.
 * @example
 * ```ts
 * capText('abcdef', 3); // 'abc\n[3 more characters not shown]'
 * ```
 */
export function capText(text: string, limit: number): string {
  return text.length <= limit
    ? text
    : `${text.slice(0, limit)}\n[${text.length - limit} more characters not shown]`;
}
