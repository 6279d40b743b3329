import type { FinishReason, ModelStreamPart, TokenLogprob, UsagePatch } from '@reins/core';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import {
  type ChunkTimings,
  type ChunkUsage,
  readChunkUsage,
  type UsageConvention,
} from './read-chunk-usage.js';
import { type DeltaContent, readDeltaContent } from './read-delta-content.js';

/** One tool-call update of a delta, as servers send it. */
interface ToolCallUpdate {
  readonly index?: number;
  readonly id?: string | null;
  readonly function?: { readonly name?: string | null; readonly arguments?: string | null };
}

/** One `choices[]` entry of a streamed chat-completion chunk, as servers send it. */
interface ChunkChoice {
  /** Which of the `n` choices this is; Reins reads choice 0 only. */
  readonly index?: number;
  readonly delta?: {
    readonly content?: DeltaContent;
    readonly reasoning_content?: string | null;
    readonly reasoning?: string | null;
    /** OpenAI: the model's refusal, streamed instead of `content`. */
    readonly refusal?: string | null;
    readonly tool_calls?: readonly ToolCallUpdate[] | null;
  } | null;
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
  /** Moonshot (Kimi) reports usage inside the finishing choice. */
  readonly usage?: ChunkUsage | null;
}

/** A streamed chat-completion chunk. */
export interface ChatCompletionChunk {
  readonly choices?: readonly ChunkChoice[] | null;
  readonly usage?: ChunkUsage | null;
  /** Groq: usage under `x_groq` (older API versions send it only there). */
  readonly x_groq?: { readonly usage?: ChunkUsage | null } | null;
  /** llama.cpp: prompt-cache and generation statistics. */
  readonly timings?: ChunkTimings | null;
  /** Servers report failures inside the stream this way; see `readStreamError`. */
  readonly error?: unknown;
}

/** What the parser reports besides stream parts. */
export interface ChunkParserState {
  /** The raw finish reason, once seen. */
  readonly rawFinishReason: string | undefined;
  /** The mapped finish reason, once seen (`'other'` for a value nobody declared). */
  readonly finishReason: FinishReason | undefined;
  /** Whether the raw finish reason was a known value (false for one mapped to `other`). */
  readonly finishReasonKnown: boolean;
  /** Usage as reported (the last report wins: some servers send running totals), once seen. */
  readonly usage: UsagePatch | undefined;
}

/** A stateful reader of chat-completion chunks. */
export interface ChatChunkParser extends ChunkParserState {
  /**
   * Reads one chunk and appends the stream parts it carries to `out`.
   * Complete `tool-call` parts are appended when the finish reason arrives.
   * @throws {MultipleChoicesError} for a choice other than choice 0 (a request with `n > 1`).
   */
  push(chunk: ChatCompletionChunk, out: ModelStreamPart[]): void;
  /** Appends the complete tool calls not yet emitted (for a stream that ends without a reason). */
  flushToolCalls(out: ModelStreamPart[]): void;
}

/** Thrown by the parser for a chunk of choice 1 or later: Reins reads one choice per call. */
export class MultipleChoicesError extends Error {
  /**
   * @param choiceIndex - the `choices[].index` seen.
   */
  constructor(readonly choiceIndex: number) {
    super(`The stream carries choice ${choiceIndex}; only choice 0 is read.`);
    this.name = 'MultipleChoicesError';
  }
}

/** Options of {@link createChatChunkParser}. */
export interface ChatChunkParserOptions {
  /** Extra finish-reason mappings. */
  readonly finishReasons?: Readonly<Record<string, FinishReason>>;
  /** Ids for tool calls a server sends without one. @defaultValue `call_<position>` */
  readonly generateId?: (position: number) => string;
  /** Where the server counts reasoning tokens. @defaultValue `'reasoning-in-completion'` */
  readonly usageConvention?: UsageConvention;
}

interface PendingCall {
  id: string;
  /** Whether `id` was generated because the server sent none (yet). */
  generated: boolean;
  name: string;
  arguments: string;
}

/**
 * Creates a parser of streamed chat-completion chunks: text (`content` as a string or as
 * Mistral's typed parts), reasoning (`reasoning_content`, `reasoning` or `thinking` parts),
 * refusals, tool calls with streamed arguments, log-probabilities, usage (see
 * `readChunkUsage`) and the finish reason (an unknown value becomes `other`, its raw value
 * kept).
 *
 * Tool calls are keyed by `index`; a new `id` at an index that already holds a call with
 * another id starts a new call (Ollama sends every parallel call at index 0). Updates without
 * an `index` continue the call with the same id, or the last call when they carry no id.
 *
 * @param options - finish-reason mappings, id generator, usage convention.
 * @returns the parser.
 * @example
 * ```ts
 * const parser = createChatChunkParser();
 * const parts: ModelStreamPart[] = [];
 * parser.push({ choices: [{ delta: { content: 'Hi' } }] }, parts); // [{ type: 'text-delta', delta: 'Hi' }]
 * ```
 */
export function createChatChunkParser(options: ChatChunkParserOptions = {}): ChatChunkParser {
  const generateId = options.generateId ?? ((position) => `call_${position}`);
  const convention = options.usageConvention ?? 'reasoning-in-completion';
  const calls: PendingCall[] = [];
  const positionOfIndex = new Map<number, number>();
  let emittedCalls = 0;
  let rawFinishReason: string | undefined;
  let finishReason: FinishReason | undefined;
  let finishReasonKnown = false;
  let usage: UsagePatch | undefined;
  // Usage and timings may come in different chunks (llama.cpp): the latest of each is combined.
  let lastUsage: ChunkUsage | undefined;
  let lastTimings: ChunkTimings | undefined;

  const flushToolCalls = (out: ModelStreamPart[]) => {
    for (; emittedCalls < calls.length; emittedCalls++) {
      const call = calls[emittedCalls] as PendingCall;
      out.push({ type: 'tool-call', id: call.id, name: call.name, arguments: call.arguments });
    }
  };

  const startCall = (id: string | undefined): number => {
    const position = calls.length;
    calls.push({
      id: id ?? generateId(position),
      generated: id === undefined,
      name: '',
      arguments: '',
    });
    return position;
  };

  const positionOf = (update: ToolCallUpdate): number => {
    const id = typeof update.id === 'string' && update.id !== '' ? update.id : undefined;
    const index = update.index;
    if (typeof index !== 'number') {
      const known = id === undefined ? -1 : calls.findIndex((call) => call.id === id);
      if (known >= 0) return known;
      return id !== undefined || calls.length === 0 ? startCall(id) : calls.length - 1;
    }
    const occupied = positionOfIndex.get(index);
    const current = occupied === undefined ? undefined : calls[occupied];
    if (occupied !== undefined && current !== undefined) {
      if (id === undefined || id === current.id) return occupied;
      if (current.generated) {
        current.id = id;
        current.generated = false;
        return occupied;
      }
    }
    const position = startCall(id);
    positionOfIndex.set(index, position);
    return position;
  };

  const readToolCalls = (updates: readonly ToolCallUpdate[], out: ModelStreamPart[]) => {
    for (const update of updates) {
      if (typeof update !== 'object' || update === null) continue;
      const call = calls[positionOf(update)] as PendingCall;
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
  };

  const readChoice = (choice: ChunkChoice, out: ModelStreamPart[]) => {
    const delta = choice.delta;
    if (delta !== undefined && delta !== null) {
      const content = readDeltaContent(delta.content);
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string' && reasoning !== '')
        out.push({ type: 'reasoning-delta', delta: reasoning });
      if (content.reasoning !== '') out.push({ type: 'reasoning-delta', delta: content.reasoning });
      if (content.text !== '') out.push({ type: 'text-delta', delta: content.text });
      if (typeof delta.refusal === 'string' && delta.refusal !== '')
        out.push({ type: 'refusal-delta', delta: delta.refusal });
      if (Array.isArray(delta.tool_calls)) readToolCalls(delta.tool_calls, out);
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
      const mapped = mapOpenAIFinishReason(reason, options.finishReasons);
      rawFinishReason = reason;
      finishReason = mapped ?? 'other';
      finishReasonKnown = mapped !== undefined;
      flushToolCalls(out);
    }
  };

  return {
    get rawFinishReason() {
      return rawFinishReason;
    },
    get finishReason() {
      return finishReason;
    },
    get finishReasonKnown() {
      return finishReasonKnown;
    },
    get usage() {
      return usage;
    },
    flushToolCalls,
    push(chunk, out) {
      let choiceUsage: ChunkUsage | undefined;
      if (Array.isArray(chunk.choices)) {
        for (const choice of chunk.choices as readonly ChunkChoice[]) {
          if (typeof choice !== 'object' || choice === null) continue;
          const index = choice.index ?? 0;
          if (index !== 0) throw new MultipleChoicesError(index);
          readChoice(choice, out);
          if (typeof choice.usage === 'object' && choice.usage !== null) choiceUsage = choice.usage;
        }
      }
      const reported = chunk.usage ?? choiceUsage ?? chunk.x_groq?.usage ?? undefined;
      const timings = chunk.timings ?? undefined;
      if (reported === undefined && timings === undefined) return;
      lastUsage = reported ?? lastUsage;
      lastTimings = timings ?? lastTimings;
      usage = readChunkUsage({ usage: lastUsage, timings: lastTimings }, convention) ?? usage;
    },
  };
}
