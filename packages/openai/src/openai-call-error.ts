import { ModelCallError, ReinsError } from '@reins/core';

/** What went wrong in a call to an OpenAI-compatible server. */
export type OpenAICallErrorKind =
  /** The server answered with a non-2xx status. */
  | 'http-status'
  /** The server answered with an HTML page (a proxy error page, a wrong base URL). */
  | 'html-response'
  /** The server answered 2xx, but not with an event stream. */
  | 'unexpected-content-type'
  /** The connection failed or was reset. */
  | 'connection'
  /** No response headers within `timeouts.connectMs`. */
  | 'connect-timeout'
  /** No first chunk within `timeouts.firstTokenMs`. */
  | 'first-token-timeout'
  /** No chunk for `timeouts.idleMs`. */
  | 'idle-timeout'
  /** A chunk that is not valid JSON or not a chat-completion chunk. */
  | 'malformed-chunk'
  /** The server streamed a second choice (a request with `n > 1`); a call reads one. */
  | 'multiple-choices'
  /** The server sent an error object inside the stream. */
  | 'stream-error'
  /** The stream ended without a `finish_reason` or `[DONE]`. */
  | 'truncated-stream';

/** Fields of an {@link OpenAICallError} besides its message. */
export interface OpenAICallErrorFields {
  readonly kind: OpenAICallErrorKind;
  readonly provider: string;
  readonly url: string;
  readonly status?: number;
  /** The start of what the server sent, when it helps to see it. */
  readonly excerpt?: string;
  readonly retryable: boolean;
  /** Milliseconds the server asked to wait (`Retry-After`), if it did. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

/**
 * A call to an OpenAI-compatible server failed. A {@link ModelCallError} (code `'model-call'`),
 * so the loop treats it like any backend failure, with the details of the HTTP exchange.
 *
 * @example
 * ```ts
 * try { for await (const part of backend.stream(request)) {} } catch (error) {
 *   if (OpenAICallError.isInstance(error) && error.kind === 'http-status') console.error(error.status);
 * }
 * ```
 */
export class OpenAICallError extends ModelCallError {
  /** What went wrong. */
  readonly kind: OpenAICallErrorKind;
  /** The URL that was called. */
  readonly url: string;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** The start of the offending body or chunk. */
  readonly excerpt: string | undefined;
  /** Milliseconds the server asked to wait before a retry. */
  readonly retryAfterMs: number | undefined;

  /**
   * @param message - what happened, the offending value and the fix.
   * @param fields - kind, provider, url, status, excerpt, retryability, cause.
   */
  constructor(message: string, fields: OpenAICallErrorFields) {
    super(fields.provider, message, {
      retryable: fields.retryable,
      ...(fields.cause === undefined ? {} : { cause: fields.cause }),
    });
    this.name = 'OpenAICallError';
    this.kind = fields.kind;
    this.url = fields.url;
    this.status = fields.status;
    this.excerpt = fields.excerpt;
    this.retryAfterMs = fields.retryAfterMs;
  }

  /** Whether `value` is an {@link OpenAICallError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is OpenAICallError {
    return (
      ReinsError.isInstance(value) &&
      value.code === 'model-call' &&
      typeof (value as { kind?: unknown }).kind === 'string' &&
      typeof (value as { url?: unknown }).url === 'string'
    );
  }
}

/**
 * Shortens text for an error message: at most `length` characters, whitespace collapsed.
 * @example
 * ```ts
 * excerptOf('<html>\n<body>Bad gateway</body></html>', 20); // '<html> <body>Bad gat…'
 * ```
 */
export function excerptOf(text: string, length = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length)}…`;
}
