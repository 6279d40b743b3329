import { InvalidOptionsError } from '@reins/core';
import {
  type DurationDistribution,
  fromSortedSamples,
  toMixture,
} from './duration-distribution.js';
import { createPressureAwareTtlRule } from './pressure-aware-ttl-rule.js';
import {
  createToolDurationPredictor,
  type ToolDurationPredictor,
} from './tool-duration-predictor.js';
import type { ServerLoad, TtlDecision, TtlRule } from './ttl-rule.js';

/** Options of {@link createKvPinAdvisor}. */
export interface KvPinAdvisorOptions {
  /** Tool durations over every program (seed it from recorded runs). @defaultValue an empty one */
  readonly predictor?: ToolDurationPredictor;
  /** @defaultValue `createPressureAwareTtlRule()` */
  readonly rule?: TtlRule;
  /**
   * Calls per run of past runs, for the turns expected to remain after turn t:
   * `mean(T − t)` over the runs with `T > t`. @defaultValue none: `expectedTurns − t`
   */
  readonly pastTurnCounts?: readonly number[];
  /** Calls per run when no past counts are given. @defaultValue 36 */
  readonly expectedTurns?: number;
  /**
   * Weight of the shared distribution against this program's own durations of the same tool:
   * with n own samples the pause is a mixture, n / (n + w) own and w / (n + w) shared.
   * @defaultValue 2
   */
  readonly sharedWeight?: number;
}

/** What {@link ProgramPinAdvisor.decide} needs after a response. */
export interface PinAdvice {
  /** The tool the response called, when known; else the pause is predicted from `previousKey`. */
  readonly toolKey?: string;
  /** The tool that ran before this response. */
  readonly previousKey?: string;
  /** Tokens of the program's cached context now. */
  readonly contextTokens: number;
  /** Calls made so far, this one included (1-based). */
  readonly turn: number;
  readonly isLastStep: boolean;
  /** The server's load, when the client can read it. */
  readonly pressure?: ServerLoad;
}

/** One program's pin decisions, from what its client has seen. */
export interface ProgramPinAdvisor {
  /** Records a tool's duration in this program (and in the shared predictor). */
  observeTool(key: string, durationMs: number, previousKey?: string): void;
  /** The pause expected after a response that called `toolKey` (or followed `previousKey`). */
  pauseAfter(toolKey: string | undefined, previousKey?: string): DurationDistribution;
  /** Whether and how long to pin the program's cache now. */
  decide(advice: PinAdvice): TtlDecision;
}

/** Pin decisions per program, sharing one predictor and rule. */
export interface KvPinAdvisor {
  /** Starts one program's advisor. */
  open(): ProgramPinAdvisor;
  /** Calls expected to remain after `turn` calls. */
  remainingTurns(turn: number): number;
}

/**
 * Decides KV-cache pins from what only the client knows: the tool its response just called,
 * that tool's durations in this very program blended with every program's, the turns likely
 * to remain (from past runs' lengths), whether the step is the last, and the server load it
 * reads from the server's metrics. The rule (by default `createPressureAwareTtlRule`) weighs
 * the prefix's recompute cost against the memory it holds under that load.
 * `createKvCacheHintsPolicy({ rule: 'reins' })` and the serving simulator's Reins policy both
 * decide through it.
 *
 * @param options - shared predictor, rule, past run lengths, blending weight.
 * @returns the advisor.
 * @throws {InvalidOptionsError} for a non-positive `expectedTurns`, a negative `sharedWeight`
 * or a past turn count that is not a whole number ≥ 1.
 * @example
 * ```ts
 * const advisor = createKvPinAdvisor({ predictor, pastTurnCounts: [36, 41, 18] });
 * const program = advisor.open();
 * program.decide({ toolKey: 'bash:pytest', contextTokens: 30_000, turn: 4, isLastStep: false,
 *   pressure: { kvUsage: 0.97, waitingRequests: 2 } });
 * ```
 */
export function createKvPinAdvisor(options: KvPinAdvisorOptions = {}): KvPinAdvisor {
  const predictor = options.predictor ?? createToolDurationPredictor();
  const rule = options.rule ?? createPressureAwareTtlRule();
  const expectedTurns = options.expectedTurns ?? 36;
  const sharedWeight = options.sharedWeight ?? 2;
  if (!(expectedTurns > 0)) {
    throw new InvalidOptionsError(
      'expectedTurns',
      `expectedTurns must be > 0; got ${String(expectedTurns)}. Use the median calls of your past runs.`,
    );
  }
  if (!(sharedWeight >= 0) || !Number.isFinite(sharedWeight)) {
    throw new InvalidOptionsError(
      'sharedWeight',
      `sharedWeight must be a finite number ≥ 0; got ${String(sharedWeight)}.`,
    );
  }
  const counts = [...(options.pastTurnCounts ?? [])].sort((a, b) => a - b);
  for (const count of counts) {
    if (!Number.isInteger(count) || count < 1) {
      throw new InvalidOptionsError(
        'pastTurnCounts',
        `pastTurnCounts must hold whole numbers ≥ 1 (calls per past run); got ${String(count)}.`,
      );
    }
  }
  const remainingCache = new Map<number, number>();
  const remainingTurns = (turn: number): number => {
    if (counts.length === 0) return Math.max(1, expectedTurns - turn);
    const cached = remainingCache.get(turn);
    if (cached !== undefined) return cached;
    let sum = 0;
    let longer = 0;
    for (const count of counts) {
      if (count <= turn) continue;
      sum += count - turn;
      longer++;
    }
    // past the longest run seen: at least one more call, as the step is not the last
    const remaining = longer === 0 ? 1 : sum / longer;
    remainingCache.set(turn, remaining);
    return remaining;
  };

  return {
    remainingTurns,
    open() {
      const own = new Map<string, number[]>();
      const pauseAfter = (toolKey: string | undefined, previousKey?: string) => {
        const shared =
          toolKey === undefined
            ? predictor.predictNext(previousKey)
            : predictor.distribution(toolKey);
        const mine = toolKey === undefined ? undefined : own.get(toolKey);
        if (mine === undefined || mine.length === 0) return shared;
        const sorted = [...mine].sort((a, b) => a - b);
        return toMixture([
          { weight: mine.length, distribution: fromSortedSamples(sorted, 'tool') },
          { weight: sharedWeight, distribution: shared },
        ]);
      };
      return {
        observeTool(key, durationMs, previousKey) {
          predictor.observe({
            key,
            durationMs,
            ...(previousKey === undefined ? {} : { previousKey }),
          });
          const list = own.get(key) ?? [];
          list.push(durationMs);
          own.set(key, list);
        },
        pauseAfter,
        decide(advice) {
          return rule.decide({
            pause: pauseAfter(advice.toolKey, advice.previousKey),
            contextTokens: advice.contextTokens,
            isLastStep: advice.isLastStep,
            remainingTurns: advice.isLastStep ? 0 : remainingTurns(advice.turn),
            ...(advice.pressure === undefined ? {} : { pressure: advice.pressure }),
          });
        },
      };
    },
  };
}
