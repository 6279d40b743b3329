/** An error a server reported inside a 200 event stream. */
export interface StreamErrorReport {
  /** What the server said. */
  readonly message: string;
  /** A numeric `code` (OpenRouter, vLLM, llama.cpp send the HTTP status there). */
  readonly status: number | undefined;
  /** The string `code` and `type`, when sent (`'server_error'`, `'rate_limit_exceeded'`…). */
  readonly codes: readonly string[];
}

interface ErrorObject {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly type?: unknown;
  readonly error?: unknown;
}

/**
 * Reads the error a server sent inside the stream, in any of the shapes met in practice:
 * `{"error": {"message", "type", "code"}}` (OpenAI, OpenRouter, llama.cpp, vLLM), the same
 * nested once more (`{"error": {"error": {…}}}`), `{"error": "text"}` (Ollama), or a top-level
 * `{"object": "error", "message", "code"}` (older vLLM).
 *
 * @param chunk - a parsed stream chunk.
 * @returns the report, or `undefined` when the chunk carries no error.
 * @example
 * ```ts
 * readStreamError({ error: { message: 'Rate limit reached', code: 429 } });
 * // { message: 'Rate limit reached', status: 429, codes: [] }
 * ```
 */
export function readStreamError(chunk: Record<string, unknown>): StreamErrorReport | undefined {
  let error: unknown = chunk.error;
  if (error === undefined || error === null) {
    if (chunk.object !== 'error') return undefined;
    error = chunk;
  }
  if (typeof error === 'string') return { message: error, status: undefined, codes: [] };
  if (typeof error !== 'object' || error === null) {
    return { message: JSON.stringify(error), status: undefined, codes: [] };
  }
  let body = error as ErrorObject;
  if (typeof body.error === 'object' && body.error !== null) body = body.error as ErrorObject;
  const numeric =
    typeof body.code === 'number'
      ? body.code
      : typeof body.code === 'string' && /^\d{3}$/.test(body.code)
        ? Number(body.code)
        : undefined;
  const status = numeric !== undefined && numeric >= 400 && numeric < 600 ? numeric : undefined;
  const codes = [body.code, body.type].filter(
    (value): value is string => typeof value === 'string' && !/^\d+$/.test(value),
  );
  const message = typeof body.message === 'string' ? body.message : JSON.stringify(error);
  return { message, status, codes };
}
