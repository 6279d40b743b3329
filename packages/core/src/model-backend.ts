import type { Message } from './message.js';
import type { SchedulingHints } from './scheduling-hints.js';
import type { ModelStreamPart } from './stream-part.js';
import type { ToolSpec } from './tool.js';

/** What a backend can do. The loop and controllers adapt to it. */
export interface ModelCapabilities {
  /** The model can call tools. */
  readonly toolCalls: boolean;
  /** The backend streams reasoning text (`reasoning-delta`). */
  readonly reasoning: boolean;
  /** The backend can return token log-probabilities. */
  readonly logprobs: boolean;
}

/** Per-call generation settings. Backends ignore what they cannot honour. */
export interface ModelCallSettings {
  /** Cap on generated tokens for this call. */
  readonly maxTokens?: number;
  /** Sampling temperature. */
  readonly temperature?: number;
  /** `'auto'` lets the model choose; `'none'` forbids tool calls (to force a final answer). */
  readonly toolChoice?: 'auto' | 'none' | 'required';
  /** Ask for token log-probabilities, with this many alternatives per token. */
  readonly logprobs?: { readonly topLogprobs: number };
  /**
   * A hard ceiling on the output this call may stream, in UTF-8 bytes of text, reasoning and
   * tool-call names and arguments, over every attempt. The loop aborts the request as soon as
   * the output passes it and ends the call with finish reason `'length'`, whatever the server
   * does with `maxTokens`. A byte-level tokenizer makes at most one token per byte, so a
   * ceiling of `maxTokens` bytes bounds the tokens a server that ignores `maxTokens` can bill
   * (to within the chunk that crossed it).
   */
  readonly maxOutputBytes?: number;
  /**
   * Whether the backend may retry this call after output was streamed (sending the prompt
   * again). `false` forbids it whatever the backend's own retry settings say; the loop fails
   * the call if a backend restarts anyway.
   */
  readonly retryAfterOutput?: boolean;
}

/** One streaming model call. */
export interface ModelRequest {
  /**
   * The conversation, ephemeral controller messages appended at the end. It is valid for the
   * duration of the call; copy it to keep it afterwards.
   */
  readonly messages: readonly Message[];
  /** The tools the model may call. */
  readonly tools: readonly ToolSpec[];
  /** Aborted when the loop leaves the call (interrupt, stop, abort): close the connection. */
  readonly signal: AbortSignal;
  /** Scheduling hints from the controller, to map to the server's fields. */
  readonly hints?: SchedulingHints;
  /** Generation settings for this call. */
  readonly settings?: ModelCallSettings;
}

/**
 * The contract every model backend implements (OpenAI-compatible servers, LangChain models,
 * scripted and replay backends). Version `v1`.
 *
 * `stream` yields {@link ModelStreamPart}s and ends with exactly one `finish`. It must stop
 * promptly and release the connection when `request.signal` aborts, and throw a `ReinsError`
 * (such as `ModelCallError`) on failure.
 *
 * @example
 * ```ts
 * const echo: ModelBackend = {
 *   specificationVersion: 'v1', provider: 'echo', modelId: 'echo-1',
 *   capabilities: { toolCalls: false, reasoning: false, logprobs: false },
 *   async *stream({ messages }) {
 *     yield { type: 'text-delta', delta: String(messages.at(-1)?.content ?? '') };
 *     yield { type: 'finish', reason: 'stop' };
 *   },
 * };
 * ```
 */
export interface ModelBackend {
  /** The version of this contract the backend implements. */
  readonly specificationVersion: 'v1';
  /** Who serves the model, e.g. `'openai'`, `'vllm'`, `'scripted'`. */
  readonly provider: string;
  /** The model's name at the provider. */
  readonly modelId: string;
  /** What the backend supports. */
  readonly capabilities: ModelCapabilities;
  /** Streams one model call. */
  stream(request: ModelRequest): AsyncIterable<ModelStreamPart>;
}
