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

/** One scripted answer of the loopback server. */
export interface ScriptedCompletion {
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
