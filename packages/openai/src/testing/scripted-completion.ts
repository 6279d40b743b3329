/** One token with its log-probability, as the server streams it. */
export interface ScriptedToken {
  readonly token: string;
  readonly logprob: number;
  readonly topLogprobs?: readonly { readonly token: string; readonly logprob: number }[];
}

/** A fault the server injects instead of (or in the middle of) a response. */
export type ScriptedFault =
  /** Answer with this status (and `Retry-After`), a JSON error body unless `body` is given. */
  | {
      readonly type: 'status';
      readonly status: number;
      readonly retryAfter?: string;
      readonly body?: string;
      readonly contentType?: string;
    }
  /** Answer with an HTML error page, as a proxy or a wrong URL does. */
  | { readonly type: 'html'; readonly status?: number }
  /** Destroy the connection after this many chunks. */
  | { readonly type: 'reset'; readonly afterChunks: number }
  /** Stop sending after this many chunks and keep the connection open until the client leaves. */
  | { readonly type: 'stall'; readonly afterChunks: number }
  /** Send a chunk that is not JSON after this many chunks, then end the stream. */
  | { readonly type: 'malformed'; readonly afterChunks: number; readonly text?: string }
  /** Send an error object inside the stream (as vLLM does) after this many chunks. */
  | {
      readonly type: 'stream-error';
      readonly afterChunks: number;
      readonly message?: string;
      readonly code?: number;
    };

/**
 * Recorded bytes the server sends as they are, instead of rendering a completion: for
 * replaying real servers' streams (comments, CRLF or CR line endings, errors, cut streams).
 */
export interface RawReplay {
  /** The response body, byte for byte (a string is sent as UTF-8). */
  readonly body: string | Uint8Array;
  /**
   * Bytes per write: one size for every write, or a list used in turn (cycling). Small sizes
   * split lines, events and multi-byte UTF-8 characters across network reads.
   * @defaultValue the whole body in one write
   */
  readonly writeSizes?: number | readonly number[];
  /** Delay before each write after the first, in milliseconds. @defaultValue 0 */
  readonly delayMs?: number;
  /** The response status. @defaultValue 200 */
  readonly status?: number;
  /** The response headers. @defaultValue `content-type: text/event-stream; charset=utf-8` */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * How the response ends after the last byte: `'end'` closes it properly, `'reset'` destroys
   * the connection (a crashed server or proxy), `'stall'` keeps it open until the client leaves.
   * @defaultValue `'end'`
   */
  readonly ending?: 'end' | 'reset' | 'stall';
}

/** One scripted answer of the loopback server. */
export interface ScriptedCompletion {
  /** Send these recorded bytes instead of rendering the fields below. */
  readonly raw?: RawReplay;
  /** Answer text, streamed in `chunkSize` pieces. */
  readonly text?: string;
  /** Tokens with log-probabilities, streamed one per chunk after `text` (and part of the answer). */
  readonly tokens?: readonly ScriptedToken[];
  /** Reasoning text, streamed before the answer. */
  readonly reasoning?: string;
  /**
   * The delta field that carries reasoning.
   * @defaultValue `'reasoning_content'`
   */
  readonly reasoningField?: 'reasoning_content' | 'reasoning';
  /** Tool calls; arguments are streamed in `chunkSize` pieces. */
  readonly toolCalls?: readonly {
    readonly id?: string;
    readonly name: string;
    readonly arguments: string | Readonly<Record<string, unknown>>;
  }[];
  /** Usage, sent in a last chunk when the request asks for it with `stream_options`. */
  readonly usage?: {
    readonly promptTokens: number;
    readonly completionTokens: number;
    readonly cachedTokens?: number;
    readonly reasoningTokens?: number;
  };
  /** The raw `finish_reason`. @defaultValue `'tool_calls'` with tool calls, else `'stop'` */
  readonly finishReason?: string;
  /** Characters per content, reasoning or arguments chunk. @defaultValue 8 */
  readonly chunkSize?: number;
  /** Delay before each chunk in milliseconds (slow drip). @defaultValue 0 */
  readonly delayMs?: number;
  /** Inject a fault. */
  readonly fault?: ScriptedFault;
}
