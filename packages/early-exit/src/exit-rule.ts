import type { Evidence, TokenLogprob } from '@reins/core';
import type { EarlyExitEvent } from './early-exit-event.js';

/** A rule's decision to end reasoning now. */
export interface ExitDecision {
  /** The rule that decided, e.g. `'confidence'`. */
  readonly rule: string;
  /** Human-readable summary. */
  readonly message: string;
  /** The numbers it saw. */
  readonly evidence: Evidence;
}

/** A short answer asked for at a point of the reasoning, with its confidence. */
export interface TrialAnswer {
  /** The extracted answer. */
  readonly answer: string;
  /** exp(mean log-probability) of the answer tokens; `NaN` without log-probabilities. */
  readonly confidence: number;
  /** Tokens the trial answer cost. */
  readonly tokens: number;
}

/** What a rule's watcher may use while it watches one reasoning call. */
export interface ExitRuleContext {
  /** Aborted when the call ends (finished, exited, cancelled). */
  readonly signal: AbortSignal;
  /** The reasoning text so far. */
  reasoning(): string;
  /**
   * Asks the model for a short answer from the reasoning so far (a separate request), e.g.
   * PUMA's trial answers. Its tokens are counted in the call's `tokensUsed`.
   */
  trialAnswer(options?: { readonly maxTokens?: number }): Promise<TrialAnswer>;
  /** Emits an event to the call's listener. */
  emit(event: EarlyExitEvent): void;
  /** The call's id. */
  readonly callId: string;
  /** Clock time in milliseconds. */
  now(): number;
}

/** Watches one reasoning call token by token. */
export interface ExitWatcher {
  /**
   * Sees one reasoning token (`logprob` is `NaN` when the backend gave none).
   * @returns a decision to exit now; a promise of one when the rule needs I/O (an embedding,
   *   a trial answer) while the stream goes on; or `undefined`.
   */
  push(
    token: TokenLogprob,
    index: number,
  ): ExitDecision | PromiseLike<ExitDecision | undefined> | undefined;
}

/**
 * An early-exit rule: a factory of watchers, one per reasoning call. Made by
 * `createConfidenceExit`, `createConvergenceExit`, `createPathDeviationExit`, or by hand.
 *
 * @example
 * ```ts
 * const afterHundred: ExitRule = {
 *   name: 'hundred-tokens',
 *   start: () => ({
 *     push: (_token, index) =>
 *       index >= 99 ? { rule: 'hundred-tokens', message: 'Enough.', evidence: { index } } : undefined,
 *   }),
 * };
 * ```
 */
export interface ExitRule {
  /** The rule's name, reported as `exitReason`. */
  readonly name: string;
  /** Starts watching one call. */
  start(context: ExitRuleContext): ExitWatcher;
}
