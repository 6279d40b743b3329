import {
  type Clock,
  InvalidOptionsError,
  type Message,
  type ModelBackend,
  systemClock,
} from '@reins/core';
import type { EarlyExitEvent } from './early-exit-event.js';
import type { ExitDecision, ExitRule, ExitWatcher, TrialAnswer } from './exit-rule.js';
import { extractAnswer } from './extract-answer.js';
import { forceAnswer } from './force-answer.js';
import { createReasoningStreamReader } from './reasoning-stream-reader.js';

/** Why a reasoning call ended: a rule's name, or how the stream ended by itself. */
export type ExitReason =
  | 'finished'
  | 'length'
  | 'confidence'
  | 'convergence'
  | 'path-deviation'
  | 'first-finish'
  | (string & {});

/** Options of {@link runReasoning}. */
export interface RunReasoningOptions {
  /** The model backend (e.g. `createOpenAICompatible`). */
  readonly backend: ModelBackend;
  /** The conversation, ending with the question. */
  readonly messages: readonly Message[];
  /** Early-exit rules; the first to decide wins. @defaultValue none (reason to the end) */
  readonly exit?: ExitRule | readonly ExitRule[];
  /** Cap on the reasoning call's output tokens. @defaultValue 4096 */
  readonly maxReasoningTokens?: number;
  /** Cap on a forced answer's tokens. @defaultValue 64 */
  readonly maxAnswerTokens?: number;
  /** Top alternatives asked per token (entropy needs them). @defaultValue 5 */
  readonly topLogprobs?: number;
  /** Sampling temperature of the reasoning call. */
  readonly temperature?: number;
  /** Builds the forced-answer instruction. @defaultValue `defaultForcedAnswerPrompt` */
  readonly answerPrompt?: (reasoning: string) => string;
  /** Extracts the final answer from answer text. @defaultValue `extractAnswer` */
  readonly extract?: (text: string) => string;
  /** Receives each event. */
  readonly onEvent?: (event: EarlyExitEvent) => void;
  /** Aborts everything. */
  readonly signal?: AbortSignal;
  /** Clock for event times. @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** The call's id. @defaultValue `reasoning-<n>` */
  readonly callId?: string;
}

/** Defaults of {@link RunReasoningOptions}. */
export const defaultRunReasoningOptions = Object.freeze({
  maxReasoningTokens: 4096,
  maxAnswerTokens: 64,
  topLogprobs: 5,
});

/** What a reasoning call produced. */
export interface ReasoningResult {
  /** The final answer. */
  readonly answer: string;
  /** The reasoning text that was generated (up to the exit). */
  readonly reasoning: string;
  /** Output tokens spent: reasoning, answer, trial answers and the forced answer. */
  readonly tokensUsed: number;
  /**
   * Reasoning tokens of the budget not spent because of an exit: `maxReasoningTokens` minus
   * the reasoning tokens generated (0 when reasoning ended by itself). An upper bound of the
   * saving; the real one needs the length the model would have reached.
   */
  readonly tokensAvoided: number;
  /** Why reasoning ended. */
  readonly exitReason: ExitReason;
  /** The rule's decision, when one fired. */
  readonly exit?: ExitDecision;
  /** Reasoning tokens generated. */
  readonly reasoningTokens: number;
  /** Whether the answer was forced from the reasoning prefix. */
  readonly forced: boolean;
}

let calls = 0;

/**
 * Runs one reasoning call with early exit. The backend streams reasoning (with
 * log-probabilities when it can); every reasoning token goes to each rule's watcher. When a
 * rule decides, the request is aborted at once (the connection closed) and the answer is
 * forced from the reasoning prefix with a capped length. A call that ends by itself keeps its
 * own answer (forced only when it has none, e.g. at the token cap).
 *
 * @param options - backend, messages, rules, caps.
 * @returns the answer with tokens used and avoided and the exit reason.
 * @example
 * ```ts
 * const result = await runReasoning({
 *   backend, messages: [{ role: 'user', content: 'What is 17 × 3?' }],
 *   exit: createPathDeviationExit(),
 * });
 * result.exitReason; // 'finished' | 'path-deviation'
 * ```
 */
export async function runReasoning(options: RunReasoningOptions): Promise<ReasoningResult> {
  const settings = { ...defaultRunReasoningOptions, ...stripUndefined(options) };
  const { backend, messages } = options;
  const clock = options.clock ?? systemClock;
  const callId = options.callId ?? `reasoning-${++calls}`;
  const extract = options.extract ?? extractAnswer;
  if (!(Number.isInteger(settings.maxReasoningTokens) && settings.maxReasoningTokens > 0))
    throw new InvalidOptionsError(
      'maxReasoningTokens',
      `maxReasoningTokens must be a positive integer; received ${settings.maxReasoningTokens}. Try 4096.`,
    );
  const emit = (event: EarlyExitEvent) => options.onEvent?.(event);
  const rules: readonly ExitRule[] =
    options.exit === undefined
      ? []
      : Array.isArray(options.exit)
        ? (options.exit as readonly ExitRule[])
        : [options.exit as ExitRule];
  options.signal?.throwIfAborted();

  const stream = new AbortController();
  const onOuterAbort = () => stream.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let decision: ExitDecision | undefined;
  let trialTokens = 0;
  let currentIndex = -1;

  const decide = (found: ExitDecision, index: number) => {
    if (decision !== undefined || stream.signal.aborted) return;
    decision = found;
    emit({
      type: 'exit.triggered',
      callId,
      at: clock.now(),
      rule: found.rule,
      tokenIndex: index,
      message: found.message,
      evidence: found.evidence,
    });
    stream.abort(new Error(`Early exit: ${found.rule}`));
  };

  const reader = createReasoningStreamReader({
    onReasoningToken(token, index) {
      currentIndex = index;
      if (decision !== undefined) return;
      for (const watcher of watchers) {
        const verdict = watcher.push(token, index);
        if (verdict === undefined) continue;
        if (isPromiseLike(verdict)) {
          verdict.then(
            (found) => {
              if (found !== undefined) decide(found, currentIndex);
            },
            () => undefined,
          );
          continue;
        }
        decide(verdict, index);
        return;
      }
    },
  });

  const watchers: ExitWatcher[] = rules.map((rule) =>
    rule.start({
      signal: stream.signal,
      callId,
      now: () => clock.now(),
      emit,
      reasoning: () => reader.reasoning,
      async trialAnswer(trialOptions): Promise<TrialAnswer> {
        const forced = await forceAnswer({
          backend,
          messages,
          reasoning: reader.reasoning,
          maxAnswerTokens: trialOptions?.maxTokens ?? 30,
          signal: stream.signal,
          extract,
          ...(options.answerPrompt === undefined ? {} : { prompt: options.answerPrompt }),
        });
        trialTokens += forced.tokens;
        return { answer: forced.answer, confidence: forced.confidence, tokens: forced.tokens };
      },
    }),
  );

  emit({
    type: 'reasoning.start',
    callId,
    at: clock.now(),
    maxReasoningTokens: settings.maxReasoningTokens,
  });
  try {
    const parts = backend.stream({
      messages,
      tools: [],
      signal: stream.signal,
      settings: {
        maxTokens: settings.maxReasoningTokens,
        ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
        ...(backend.capabilities.logprobs
          ? { logprobs: { topLogprobs: settings.topLogprobs } }
          : {}),
      },
    });
    for await (const part of parts) {
      reader.push(part);
      if (decision !== undefined) break;
    }
  } catch (error) {
    if (decision === undefined) throw error;
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    if (!stream.signal.aborted) stream.abort(new Error('The reasoning call ended.'));
  }
  options.signal?.throwIfAborted();
  reader.end();

  const finishedAnswer = decision === undefined ? extract(reader.answer) : '';
  let answer = finishedAnswer;
  let forcedTokens = 0;
  const forced = answer === '';
  if (forced) {
    const result = await forceAnswer({
      backend,
      messages,
      reasoning: reader.reasoning,
      maxAnswerTokens: settings.maxAnswerTokens,
      extract,
      ...(options.answerPrompt === undefined ? {} : { prompt: options.answerPrompt }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    answer = result.answer;
    forcedTokens = result.tokens;
    emit({
      type: 'answer.forced',
      callId,
      at: clock.now(),
      answer,
      answerTokens: result.tokens,
      capped: result.capped,
    });
  }
  const mainTokens =
    decision === undefined && reader.usage?.outputTokens !== undefined
      ? reader.usage.outputTokens
      : reader.reasoningTokens + reader.answerTokens;
  const tokensUsed = mainTokens + trialTokens + forcedTokens;
  const tokensAvoided =
    decision === undefined ? 0 : Math.max(0, settings.maxReasoningTokens - reader.reasoningTokens);
  const exitReason: ExitReason =
    decision?.rule ?? (reader.finishReason === 'length' ? 'length' : 'finished');
  emit({ type: 'reasoning.end', callId, at: clock.now(), exitReason, tokensUsed, tokensAvoided });
  return {
    answer,
    reasoning: reader.reasoning,
    tokensUsed,
    tokensAvoided,
    exitReason,
    ...(decision === undefined ? {} : { exit: decision }),
    reasoningTokens: reader.reasoningTokens,
    forced,
  };
}

function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as Partial<T>;
}
