import {
  type Clock,
  InvalidOptionsError,
  type Message,
  type ModelBackend,
  systemClock,
} from '@reins/core';
import type { EarlyExitEvent } from './early-exit-event.js';
import { extractAnswer, normaliseAnswer } from './extract-answer.js';
import { createReasoningStreamReader } from './reasoning-stream-reader.js';

/** Options of {@link runFirstFinishSearch}. */
export interface FirstFinishSearchOptions {
  /** The model backend; it must sample (temperature > 0) for the samples to differ. */
  readonly backend: ModelBackend;
  /** The conversation, ending with the question. */
  readonly messages: readonly Message[];
  /** Samples started in parallel. @defaultValue 4 */
  readonly samples?: number;
  /**
   * Wait for this many samples to finish and take the majority answer among them (ties go to
   * the shorter sample); 1 keeps the first to finish.
   * @defaultValue 1
   */
  readonly shortestK?: number;
  /** Sampling temperature. @defaultValue 0.7 */
  readonly temperature?: number;
  /** Cap on each sample's output tokens. @defaultValue 4096 */
  readonly maxTokens?: number;
  /** Extracts the answer from a sample's answer text. @defaultValue `extractAnswer` */
  readonly extract?: (text: string) => string;
  /** Receives each event. */
  readonly onEvent?: (event: EarlyExitEvent) => void;
  /** Aborts every sample. */
  readonly signal?: AbortSignal;
  /** Clock for event times and the cancellation latency. @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** The search's id. @defaultValue `search-<n>` */
  readonly callId?: string;
}

/** Defaults of {@link FirstFinishSearchOptions}. */
export const defaultFirstFinishSearchOptions = Object.freeze({
  samples: 4,
  shortestK: 1,
  temperature: 0.7,
  maxTokens: 4096,
});

/** One sample of a search. */
export interface SearchSample {
  /** The sample's position, 0-based. */
  readonly index: number;
  /** `finished` with a finish part; `cancelled` when a winner made it stop; `failed` on error. */
  readonly status: 'finished' | 'cancelled' | 'failed';
  /** Output tokens it generated (exact with log-probabilities, else estimated). */
  readonly tokens: number;
  /** Its extracted answer (finished samples). */
  readonly answer: string;
}

/** What {@link runFirstFinishSearch} produced. */
export interface FirstFinishResult {
  /** The chosen answer. */
  readonly answer: string;
  /** The sample whose answer was chosen. */
  readonly winner: number;
  /** Every sample, in index order. */
  readonly samples: readonly SearchSample[];
  /** Output tokens of all samples, cancelled ones included. */
  readonly tokensUsed: number;
  /**
   * Tokens not spent by the cancelled samples: for each, the winner's length minus what it had
   * generated (a lower bound, since a loser would have run longer than the winner).
   */
  readonly tokensAvoided: number;
  /** Milliseconds from the decision until every cancelled sample's stream had ended. */
  readonly cancelLatencyMs: number;
  /** `'first-finish'`. */
  readonly exitReason: 'first-finish';
}

let searches = 0;

/**
 * First Finish Search: starts `samples` reasoning calls in parallel, keeps the first to finish
 * (or, with `shortestK`, the majority among the first k) and cancels the others at once, each
 * through its own abort signal, so their connections close. Shorter traces are more often
 * correct on reasoning tasks, and the search spends no more wall time than its fastest sample.
 *
 * @param options - backend, messages, samples, k.
 * @returns the answer, the winner, per-sample outcomes and the cancellation latency.
 * @throws the last sample's error when every sample failed.
 * @example
 * ```ts
 * const result = await runFirstFinishSearch({ backend, messages, samples: 4 });
 * result.samples.filter((sample) => sample.status === 'cancelled').length; // 3
 * ```
 */
export async function runFirstFinishSearch(
  options: FirstFinishSearchOptions,
): Promise<FirstFinishResult> {
  const samples = options.samples ?? defaultFirstFinishSearchOptions.samples;
  const shortestK = options.shortestK ?? defaultFirstFinishSearchOptions.shortestK;
  if (!(Number.isInteger(samples) && samples >= 1))
    throw new InvalidOptionsError(
      'samples',
      `samples must be a positive integer; received ${samples}. Try 4.`,
    );
  if (!(Number.isInteger(shortestK) && shortestK >= 1 && shortestK <= samples))
    throw new InvalidOptionsError(
      'shortestK',
      `shortestK must be an integer from 1 to samples (${samples}); received ${shortestK}.`,
    );
  const clock = options.clock ?? systemClock;
  const callId = options.callId ?? `search-${++searches}`;
  const extract = options.extract ?? extractAnswer;
  const emit = (event: EarlyExitEvent) => options.onEvent?.(event);
  options.signal?.throwIfAborted();

  const controllers = Array.from({ length: samples }, () => new AbortController());
  const onOuterAbort = () => {
    for (const controller of controllers) controller.abort(options.signal?.reason);
  };
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const outcomes: SearchSample[] = new Array(samples);
  const finishedOrder: number[] = [];
  let decidedAt = Number.NaN;
  let decided = false;
  let resolveDecision: () => void = () => {};
  const decision = new Promise<void>((resolve) => {
    resolveDecision = resolve;
  });
  let lastError: unknown;

  emit({ type: 'search.start', callId, at: clock.now(), samples });

  const runSample = async (index: number): Promise<void> => {
    const controller = controllers[index] as AbortController;
    const reader = createReasoningStreamReader();
    let status: SearchSample['status'] = 'cancelled';
    try {
      const parts = options.backend.stream({
        messages: options.messages,
        tools: [],
        signal: controller.signal,
        settings: {
          maxTokens: options.maxTokens ?? defaultFirstFinishSearchOptions.maxTokens,
          temperature: options.temperature ?? defaultFirstFinishSearchOptions.temperature,
        },
      });
      for await (const part of parts) {
        reader.push(part);
        if (part.type === 'finish') status = part.reason === 'length' ? 'failed' : 'finished';
      }
    } catch (error) {
      if (!controller.signal.aborted) {
        status = 'failed';
        lastError = error;
      }
    }
    reader.end();
    const tokens = reader.usage?.outputTokens ?? reader.reasoningTokens + reader.answerTokens;
    const answer = status === 'finished' ? extract(reader.answer) : '';
    outcomes[index] = { index, status, tokens, answer };
    if (status !== 'finished' || decided) return;
    finishedOrder.push(index);
    emit({ type: 'search.finished', callId, at: clock.now(), sample: index, tokens, answer });
    if (finishedOrder.length >= shortestK) {
      decided = true;
      decidedAt = clock.now();
      for (const [other, otherController] of controllers.entries())
        if (other !== index && outcomes[other] === undefined)
          otherController.abort(new Error('First Finish Search: another sample finished first.'));
      resolveDecision();
    }
  };

  const all = Promise.all(controllers.map((_, index) => runSample(index)));
  await Promise.race([all, decision]);
  await all;
  const settledAt = clock.now();
  options.signal?.removeEventListener('abort', onOuterAbort);
  options.signal?.throwIfAborted();

  const finished = finishedOrder.map((index) => outcomes[index] as SearchSample);
  if (finished.length === 0) {
    if (lastError !== undefined) throw lastError;
    throw new InvalidOptionsError(
      'maxTokens',
      `No sample of ${samples} finished within maxTokens (${options.maxTokens ?? defaultFirstFinishSearchOptions.maxTokens}). Raise maxTokens.`,
    );
  }
  const chosen = vote(finished);
  const cancelled = outcomes.filter((sample) => sample.status === 'cancelled');
  const first = finished[0] as SearchSample;
  const tokensUsed = outcomes.reduce((sum, sample) => sum + sample.tokens, 0);
  const tokensAvoided = cancelled.reduce(
    (sum, sample) => sum + Math.max(0, first.tokens - sample.tokens),
    0,
  );
  if (cancelled.length > 0)
    emit({
      type: 'search.cancelled',
      callId,
      at: settledAt,
      samples: cancelled.map((sample) => sample.index),
      tokensSpent: cancelled.reduce((sum, sample) => sum + sample.tokens, 0),
    });
  emit({
    type: 'reasoning.end',
    callId,
    at: clock.now(),
    exitReason: 'first-finish',
    tokensUsed,
    tokensAvoided,
  });
  return {
    answer: chosen.answer,
    winner: chosen.index,
    samples: outcomes,
    tokensUsed,
    tokensAvoided,
    cancelLatencyMs: Number.isNaN(decidedAt) ? 0 : settledAt - decidedAt,
    exitReason: 'first-finish',
  };
}

/** The majority answer among finished samples; ties go to the sample with fewer tokens. */
function vote(finished: readonly SearchSample[]): SearchSample {
  const groups = new Map<string, SearchSample[]>();
  for (const sample of finished) {
    const key = normaliseAnswer(sample.answer);
    const group = groups.get(key) ?? [];
    group.push(sample);
    groups.set(key, group);
  }
  let best: SearchSample | undefined;
  let bestCount = 0;
  for (const group of groups.values()) {
    const shortest = group.reduce((a, b) => (b.tokens < a.tokens ? b : a));
    if (
      group.length > bestCount ||
      (group.length === bestCount && best !== undefined && shortest.tokens < best.tokens)
    ) {
      best = shortest;
      bestCount = group.length;
    }
  }
  return best as SearchSample;
}
