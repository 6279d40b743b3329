import type { Evidence } from '@reins/core';

/** Fields every early-exit event carries. */
export interface EarlyExitEventBase {
  /** The reasoning call (or search) the event belongs to. */
  readonly callId: string;
  /** Clock time in milliseconds. */
  readonly at: number;
}

/**
 * Every event of a reasoning call, discriminated on `type` (dotted `noun.verb`).
 *
 * Order per call: `reasoning.start`, then `exit.candidate`* (trial answers of the convergence
 * exit), at most one `exit.triggered` (the stream is aborted there), `answer.forced` when the
 * answer had to be asked for, and exactly one `reasoning.end`. A first-finish search emits
 * `search.start`, one `search.finished` per sample that finished, `search.cancelled` for the
 * losers, then `reasoning.end`.
 */
export type EarlyExitEvent =
  | (EarlyExitEventBase & { readonly type: 'reasoning.start'; readonly maxReasoningTokens: number })
  | (EarlyExitEventBase & {
      readonly type: 'exit.candidate';
      readonly rule: string;
      readonly tokenIndex: number;
      readonly trialAnswer: string;
      readonly confidence: number;
    })
  | (EarlyExitEventBase & {
      readonly type: 'exit.triggered';
      readonly rule: string;
      readonly tokenIndex: number;
      readonly message: string;
      readonly evidence: Evidence;
    })
  | (EarlyExitEventBase & {
      readonly type: 'answer.forced';
      readonly answer: string;
      readonly answerTokens: number;
      /** The answer hit the token cap (the model kept reasoning: leakage). */
      readonly capped: boolean;
    })
  | (EarlyExitEventBase & { readonly type: 'search.start'; readonly samples: number })
  | (EarlyExitEventBase & {
      readonly type: 'search.finished';
      readonly sample: number;
      readonly tokens: number;
      readonly answer: string;
    })
  | (EarlyExitEventBase & {
      readonly type: 'search.cancelled';
      readonly samples: readonly number[];
      readonly tokensSpent: number;
    })
  | (EarlyExitEventBase & {
      readonly type: 'reasoning.end';
      readonly exitReason: string;
      readonly tokensUsed: number;
      readonly tokensAvoided: number;
    });

/** The `type` of every early-exit event. */
export type EarlyExitEventType = EarlyExitEvent['type'];
