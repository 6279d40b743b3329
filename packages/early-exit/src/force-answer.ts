import type { Message, ModelBackend } from '@reins/core';
import { extractAnswer } from './extract-answer.js';
import { createReasoningStreamReader } from './reasoning-stream-reader.js';

/** Options of {@link forceAnswer}. */
export interface ForceAnswerOptions {
  /** The backend to ask. */
  readonly backend: ModelBackend;
  /** The conversation the reasoning answered (the question). */
  readonly messages: readonly Message[];
  /** The reasoning so far (the prefix the answer is forced from). */
  readonly reasoning: string;
  /**
   * Cap on the answer's tokens, reasoning leaked into it included: past it the request is
   * aborted and the answer is what arrived. Guards against answers that go on reasoning.
   * @defaultValue 64
   */
  readonly maxAnswerTokens?: number;
  /** Builds the instruction from the reasoning. @defaultValue {@link defaultForcedAnswerPrompt} */
  readonly prompt?: (reasoning: string) => string;
  /** Extracts the answer from the text. @defaultValue {@link extractAnswer} */
  readonly extract?: (text: string) => string;
  /** Aborts the request. */
  readonly signal?: AbortSignal;
}

/** What {@link forceAnswer} got. */
export interface ForcedAnswer {
  /** The extracted answer. */
  readonly answer: string;
  /** The raw answer text. */
  readonly text: string;
  /** Output tokens of the call (exact with log-probabilities, else estimated). */
  readonly tokens: number;
  /** exp(mean log-probability) of the answer tokens; `NaN` without log-probabilities. */
  readonly confidence: number;
  /** The cap was reached: the model kept going (reasoning leakage) and was cut off. */
  readonly capped: boolean;
}

/**
 * The default instruction of a forced answer: it comes from the user, says that reasoning is
 * over, and fixes a short format, which keeps reasoning models from starting over.
 * @example
 * ```ts
 * defaultForcedAnswerPrompt('12 + 30 = 42.');
 * ```
 */
export function defaultForcedAnswerPrompt(reasoning: string): string {
  return `Your reasoning so far is below. Reasoning time is over: do not reason further and do not explain. Reply with the final answer only, as \\boxed{answer}.\n\n<reasoning>\n${reasoning.trim()}\n</reasoning>`;
}

/**
 * Forces an answer from a reasoning prefix: one more request to the backend with the question,
 * the reasoning so far and an instruction to answer now, at temperature 0, with the answer
 * capped at `maxAnswerTokens` (on the server through `maxTokens`, and here by aborting the
 * stream, since leaked reasoning may not count against a server's cap).
 *
 * @param options - backend, question, reasoning, cap.
 * @returns the answer, its text, tokens and confidence.
 * @example
 * ```ts
 * const { answer } = await forceAnswer({ backend, messages, reasoning: 'So 6 × 7 = 42.' });
 * ```
 */
export async function forceAnswer(options: ForceAnswerOptions): Promise<ForcedAnswer> {
  const cap = options.maxAnswerTokens ?? 64;
  const prompt = options.prompt ?? defaultForcedAnswerPrompt;
  const extract = options.extract ?? extractAnswer;
  const controller = new AbortController();
  const outer = options.signal;
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) controller.abort(outer.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  const reader = createReasoningStreamReader();
  let capped = false;
  try {
    const stream = options.backend.stream({
      messages: [...options.messages, { role: 'user', content: prompt(options.reasoning) }],
      tools: [],
      signal: controller.signal,
      settings: {
        maxTokens: cap,
        temperature: 0,
        ...(options.backend.capabilities.logprobs ? { logprobs: { topLogprobs: 0 } } : {}),
      },
    });
    for await (const part of stream) {
      reader.push(part);
      if (reader.reasoningTokens + reader.answerTokens >= cap && part.type !== 'finish') {
        capped = true;
        controller.abort(new Error('The forced answer reached its token cap.'));
        break;
      }
    }
  } catch (error) {
    if (!capped) throw error;
  } finally {
    outer?.removeEventListener('abort', onAbort);
  }
  reader.end();
  if (reader.finishReason === 'length') capped = true;
  let answer = extract(reader.answer);
  if (answer === '' && reader.reasoning.includes('\\boxed{')) answer = extract(reader.reasoning);
  const { sum, count } = reader.answerLogprob;
  return {
    answer,
    text: reader.answer,
    tokens: reader.usage?.outputTokens ?? reader.reasoningTokens + reader.answerTokens,
    confidence: count > 0 ? Math.exp(sum / count) : Number.NaN,
    capped,
  };
}
