import type { FinishReason, ModelStreamPart, TokenLogprob, UsagePatch } from '@reins/core';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

/** One `choices[]` entry of a streamed chat-completion chunk, as servers send it. */
interface ChunkChoice {
  readonly delta?: {
    readonly content?: string | null;
    readonly reasoning_content?: string | null;
    readonly reasoning?: string | null;
    readonly tool_calls?: readonly {
      readonly index?: number;
      readonly id?: string | null;
      readonly function?: { readonly name?: string | null; readonly arguments?: string | null };
    }[];
  };
  readonly logprobs?: {
    readonly content?:
      | readonly {
          readonly token: string;
          readonly logprob: number;
          readonly top_logprobs?: readonly { readonly token: string; readonly logprob: number }[];
        }[]
      | null;
  } | null;
  readonly finish_reason?: string | null;
}

/** A streamed chat-completion chunk. */
export interface ChatCompletionChunk {
  readonly choices?: readonly ChunkChoice[];
  readonly usage?: {
    readonly prompt_tokens?: number;
    readonly completion_tokens?: number;
    readonly reasoning_tokens?: number;
    readonly prompt_tokens_details?: { readonly cached_tokens?: number | null } | null;
    readonly completion_tokens_details?: { readonly reasoning_tokens?: number | null } | null;
  } | null;
  /** llama.cpp: prompt-cache statistics. */
  readonly timings?: { readonly cache_n?: number };
  /** vLLM and others report failures inside the stream this way. */
  readonly error?: { readonly message?: string; readonly code?: number | string } | string;
}

/** What the parser reports besides stream parts. */
export interface ChunkParserState {
  /** The raw finish reason, once seen. */
  readonly rawFinishReason: string | undefined;
  /** The mapped finish reason, once seen. */
  readonly finishReason: FinishReason | undefined;
  /** Usage as reported, once seen. */
  readonly usage: UsagePatch | undefined;
}

/** A stateful reader of chat-completion chunks. */
export interface ChatChunkParser extends ChunkParserState {
  /**
   * Reads one chunk and appends the stream parts it carries to `out`.
   * Complete `tool-call` parts are appended when the finish reason arrives.
   * @throws {UnknownFinishReason} for a finish reason that is not mapped.
   */
  push(chunk: ChatCompletionChunk, out: ModelStreamPart[]): void;
  /** Appends the complete tool calls not yet emitted (for a stream that ends without a reason). */
  flushToolCalls(out: ModelStreamPart[]): void;
}

/** Thrown by the parser for an unmapped `finish_reason`. */
export class UnknownFinishReason extends Error {
  constructor(readonly reason: string) {
    super(`Unknown finish_reason '${reason}'`);
  }
}

interface PendingCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Creates a parser of streamed chat-completion chunks: text (`content`), reasoning
 * (`reasoning_content` or `reasoning`), tool calls with streamed arguments, log-probabilities,
 * usage (with cached prompt tokens from `prompt_tokens_details` or llama.cpp's `timings`)
 * and the finish reason.
 *
 * @param finishReasons - extra finish-reason mappings.
 * @param generateId - ids for tool calls a server sends without one.
 * @returns the parser.
 * @example
 * ```ts
 * const parser = createChatChunkParser();
 * const parts: ModelStreamPart[] = [];
 * parser.push({ choices: [{ delta: { content: 'Hi' } }] }, parts); // [{ type: 'text-delta', delta: 'Hi' }]
 * ```
 */
export function createChatChunkParser(
  finishReasons?: Readonly<Record<string, FinishReason>>,
  generateId: (index: number) => string = (index) => `call_${index}`,
): ChatChunkParser {
  const calls: PendingCall[] = [];
  let emittedCalls = 0;
  let rawFinishReason: string | undefined;
  let finishReason: FinishReason | undefined;
  let usage: UsagePatch | undefined;

  const flushToolCalls = (out: ModelStreamPart[]) => {
    for (; emittedCalls < calls.length; emittedCalls++) {
      const call = calls[emittedCalls] as PendingCall;
      out.push({ type: 'tool-call', id: call.id, name: call.name, arguments: call.arguments });
    }
  };

  return {
    get rawFinishReason() {
      return rawFinishReason;
    },
    get finishReason() {
      return finishReason;
    },
    get usage() {
      return usage;
    },
    flushToolCalls,
    push(chunk, out) {
      const choice = chunk.choices?.[0];
      if (choice !== undefined) {
        const delta = choice.delta;
        if (delta !== undefined && delta !== null) {
          const reasoning = delta.reasoning_content ?? delta.reasoning;
          if (typeof reasoning === 'string' && reasoning !== '')
            out.push({ type: 'reasoning-delta', delta: reasoning });
          if (typeof delta.content === 'string' && delta.content !== '')
            out.push({ type: 'text-delta', delta: delta.content });
          const toolCalls = delta.tool_calls;
          if (toolCalls !== undefined && toolCalls !== null) {
            for (let position = 0; position < toolCalls.length; position++) {
              const update = toolCalls[position];
              if (update === undefined) continue;
              let index = update.index;
              if (index === undefined) {
                // Servers that omit `index`: a new id starts a call, no id continues the last.
                const known = update.id ? calls.findIndex((call) => call.id === update.id) : -1;
                index =
                  known >= 0 ? known : update.id ? calls.length : Math.max(0, calls.length - 1);
              }
              let call = calls[index];
              if (call === undefined) {
                call = { id: update.id || generateId(index), name: '', arguments: '' };
                calls[index] = call;
              }
              const name = update.function?.name;
              if (typeof name === 'string' && name !== '' && call.name === '') call.name = name;
              const argumentsDelta = update.function?.arguments ?? '';
              call.arguments += argumentsDelta;
              out.push({
                type: 'tool-call-delta',
                id: call.id,
                ...(call.name === '' ? {} : { name: call.name }),
                argumentsDelta,
              });
            }
          }
        }
        const tokens = choice.logprobs?.content;
        if (tokens !== undefined && tokens !== null && tokens.length > 0) {
          out.push({
            type: 'logprobs',
            tokens: tokens.map(
              (token): TokenLogprob =>
                token.top_logprobs === undefined
                  ? { token: token.token, logprob: token.logprob }
                  : {
                      token: token.token,
                      logprob: token.logprob,
                      topLogprobs: token.top_logprobs.map((top) => ({
                        token: top.token,
                        logprob: top.logprob,
                      })),
                    },
            ),
          });
        }
        const reason = choice.finish_reason;
        if (typeof reason === 'string' && reason !== '') {
          const mapped = mapOpenAIFinishReason(reason, finishReasons);
          if (mapped === undefined) throw new UnknownFinishReason(reason);
          rawFinishReason = reason;
          finishReason = mapped;
          flushToolCalls(out);
        }
      }
      const reported = chunk.usage;
      if (reported !== undefined && reported !== null) {
        const cached = reported.prompt_tokens_details?.cached_tokens ?? chunk.timings?.cache_n;
        const reasoningTokens =
          reported.completion_tokens_details?.reasoning_tokens ?? reported.reasoning_tokens;
        usage = {
          inputTokens: reported.prompt_tokens ?? 0,
          outputTokens: reported.completion_tokens ?? 0,
          cachedInputTokens: cached ?? 0,
          reasoningTokens: reasoningTokens ?? 0,
        };
      }
    },
  };
}
