import type { FinishReason, ModelStreamPart, TokenLogprob, UsagePatch } from '@reins/core';

/** Options of {@link createReasoningStreamReader}. */
export interface ReasoningStreamReaderOptions {
  /** Called with each reasoning token and its 0-based index. */
  readonly onReasoningToken?: (token: TokenLogprob, index: number) => void;
}

/** Reads a model stream into reasoning and answer, token by token. */
export interface ReasoningStreamReader {
  /** Reads one stream part. */
  push(part: ModelStreamPart): void;
  /** Ends the stream: flushes the last delta. */
  end(): void;
  /** The reasoning text so far. */
  readonly reasoning: string;
  /** The answer text so far. */
  readonly answer: string;
  /** Reasoning tokens: exact with log-probabilities, else about one per 4 characters. */
  readonly reasoningTokens: number;
  /** Answer tokens, counted the same way. */
  readonly answerTokens: number;
  /** Sum of the answer tokens' log-probabilities, and how many had one. */
  readonly answerLogprob: { readonly sum: number; readonly count: number };
  /** Usage, when the backend reported it. */
  readonly usage: UsagePatch | undefined;
  /** The finish reason, once the stream finished. */
  readonly finishReason: FinishReason | undefined;
}

type Channel = 'reasoning' | 'content';

const openTag = '<think>';
const closeTag = '</think>';

/**
 * Creates a reader that splits a model stream into reasoning and answer. Reasoning is what
 * arrives as `reasoning-delta` (servers with a reasoning parser) or, in the content, between a
 * leading `<think>` and `</think>` (servers without one). A `logprobs` part following a delta
 * gives that delta's tokens with their log-probabilities; a delta without one is passed on as
 * one token with `logprob: NaN`.
 *
 * @param options - the reasoning-token callback.
 * @returns the reader.
 * @example
 * ```ts
 * const reader = createReasoningStreamReader({ onReasoningToken: (token) => monitor.push(token) });
 * for await (const part of backend.stream(request)) reader.push(part);
 * reader.end();
 * ```
 */
export function createReasoningStreamReader(
  options: ReasoningStreamReaderOptions = {},
): ReasoningStreamReader {
  const onReasoningToken = options.onReasoningToken;
  let pendingText: string | undefined;
  let pendingChannel: Channel = 'content';
  let lastChannel: Channel = 'content';
  let mode: 'unknown' | 'think' | 'answer' = 'unknown';
  let head = '';
  let carry = '';
  let reasoning = '';
  let answer = '';
  let reasoningTokens = 0;
  let reasoningIndex = 0;
  let answerTokens = 0;
  let answerLogprobSum = 0;
  let answerLogprobCount = 0;
  let usage: UsagePatch | undefined;
  let finishReason: FinishReason | undefined;

  const estimate = (text: string) => (text.length === 0 ? 0 : Math.ceil(text.length / 4));

  const emitReasoning = (text: string, token: TokenLogprob | undefined) => {
    if (text === '') return;
    reasoning += text;
    reasoningTokens += token === undefined ? estimate(text) : 1;
    const unit: TokenLogprob =
      token === undefined
        ? { token: text, logprob: Number.NaN }
        : text === token.token
          ? token
          : { ...token, token: text };
    onReasoningToken?.(unit, reasoningIndex++);
  };

  const emitAnswer = (text: string, token: TokenLogprob | undefined) => {
    if (text === '' && token === undefined) return;
    answer += text;
    answerTokens += token === undefined ? estimate(text) : 1;
    if (token !== undefined && !Number.isNaN(token.logprob)) {
      answerLogprobSum += token.logprob;
      answerLogprobCount++;
    }
  };

  const content = (text: string, token: TokenLogprob | undefined) => {
    if (mode === 'unknown') {
      head += text;
      const trimmed = head.trimStart();
      if (trimmed.startsWith(openTag)) {
        mode = 'think';
        head = '';
        thinking(trimmed.slice(openTag.length), token);
      } else if (!openTag.startsWith(trimmed)) {
        mode = 'answer';
        const all = head;
        head = '';
        emitAnswer(all, token);
      }
      return;
    }
    if (mode === 'think') thinking(text, token);
    else emitAnswer(text, token);
  };

  const thinking = (text: string, token: TokenLogprob | undefined) => {
    const buffer = carry + text;
    const at = buffer.indexOf(closeTag);
    if (at < 0) {
      emitReasoning(text, token);
      carry = buffer.slice(-(closeTag.length - 1));
      return;
    }
    // The tag may have begun in an earlier token: drop its start from the reasoning.
    const tagInCarry = at < carry.length;
    if (tagInCarry) reasoning = reasoning.slice(0, reasoning.length - (carry.length - at));
    const before = tagInCarry ? '' : buffer.slice(carry.length, at);
    const rest = buffer.slice(at + closeTag.length);
    mode = 'answer';
    carry = '';
    if (before !== '') emitReasoning(before, token);
    if (rest !== '') emitAnswer(rest, before === '' ? token : undefined);
    else if (before === '' && token !== undefined) reasoningTokens++;
  };

  const unit = (text: string, channel: Channel, token: TokenLogprob | undefined) => {
    if (channel === 'reasoning') emitReasoning(text, token);
    else content(text, token);
  };

  const flush = () => {
    if (pendingText === undefined) return;
    const text = pendingText;
    pendingText = undefined;
    unit(text, pendingChannel, undefined);
  };

  return {
    push(part) {
      switch (part.type) {
        case 'reasoning-delta':
        case 'text-delta':
          flush();
          pendingText = part.delta;
          pendingChannel = part.type === 'reasoning-delta' ? 'reasoning' : 'content';
          lastChannel = pendingChannel;
          return;
        case 'logprobs': {
          const channel = pendingText === undefined ? lastChannel : pendingChannel;
          pendingText = undefined;
          for (const token of part.tokens) unit(token.token, channel, token);
          return;
        }
        case 'usage':
          flush();
          usage = part.usage;
          return;
        case 'finish':
          flush();
          finishReason = part.reason;
          return;
        default:
          flush();
      }
    },
    end: flush,
    get reasoning() {
      return reasoning;
    },
    get answer() {
      return answer;
    },
    get reasoningTokens() {
      return reasoningTokens;
    },
    get answerTokens() {
      return answerTokens;
    },
    get answerLogprob() {
      return { sum: answerLogprobSum, count: answerLogprobCount };
    },
    get usage() {
      return usage;
    },
    get finishReason() {
      return finishReason;
    },
  };
}
