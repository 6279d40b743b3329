import { type Clock, defineTool, type ModelBackend, type Tool } from '@reins/core';
import { z } from 'zod';
import type { EarlyExitEvent } from './early-exit-event.js';
import type { ExitRule } from './exit-rule.js';
import { runFirstFinishSearch } from './first-finish-search.js';
import { type ExitReason, runReasoning } from './run-reasoning.js';

/** First Finish Search as a reasoning tool's strategy; see `runFirstFinishSearch`. */
export interface FirstFinishStrategy {
  readonly type: 'first-finish';
  /** Samples started in parallel. @defaultValue 4 */
  readonly samples?: number;
  /** Majority over the first k to finish. @defaultValue 1 */
  readonly shortestK?: number;
  /** Sampling temperature. @defaultValue 0.7 */
  readonly temperature?: number;
}

/** Options of {@link createReasoningTool}. */
export interface ReasoningToolOptions {
  /** The reasoning model's backend. */
  readonly backend: ModelBackend;
  /** Early-exit rules, or First Finish Search. @defaultValue none: reason to the end */
  readonly exit?: ExitRule | readonly ExitRule[] | FirstFinishStrategy;
  /** The tool's name. @defaultValue `'reason'` */
  readonly name?: string;
  /** What the calling model reads about the tool. */
  readonly description?: string;
  /** A system message for the reasoning model. */
  readonly system?: string;
  /** Cap on reasoning tokens per call. @defaultValue 4096 */
  readonly maxReasoningTokens?: number;
  /** Cap on a forced answer's tokens. @defaultValue 64 */
  readonly maxAnswerTokens?: number;
  /** Receives each event of each call. */
  readonly onEvent?: (event: EarlyExitEvent) => void;
  /** Clock for event times. */
  readonly clock?: Clock;
}

/** The input of a reasoning tool. */
export const reasoningToolInputSchema = z.object({
  question: z.string().min(1).describe('The self-contained question or problem to reason about.'),
});

/** The output of a reasoning tool. */
export interface ReasoningToolResult {
  /** The final answer. */
  readonly answer: string;
  /** Output tokens spent. */
  readonly tokensUsed: number;
  /** Tokens the exit saved (see `ReasoningResult.tokensAvoided`). */
  readonly tokensAvoided: number;
  /** Why reasoning ended. */
  readonly exitReason: ExitReason;
}

/**
 * Packages early-exit reasoning as a tool: the calling agent asks a question, a reasoning
 * model answers it with the exit rules (or First Finish Search) applied, and the tool returns
 * `{ answer, tokensUsed, tokensAvoided, exitReason }`. It is a Reins tool (`createAgent({ tools })`)
 * and, through `toLangChainTool` from `@reins/langchain`, a LangChain tool. The call's signal
 * (interrupt, timeout) aborts the reasoning.
 *
 * @param options - backend, exit, caps, name.
 * @returns the tool.
 * @example
 * ```ts
 * const reason = createReasoningTool({ backend: reasoner, exit: createPathDeviationExit() });
 * const agent = createAgent({ backend: planner, tools: [reason] });
 * const langChainTool = toLangChainTool(reason);
 * ```
 */
export function createReasoningTool(
  options: ReasoningToolOptions,
): Tool<z.infer<typeof reasoningToolInputSchema>, ReasoningToolResult> {
  const exit = options.exit;
  return defineTool({
    name: options.name ?? 'reason',
    description:
      options.description ??
      'Thinks carefully about a hard question (math, logic, planning) and returns the final answer. Ask one self-contained question.',
    input: reasoningToolInputSchema,
    async execute({ question }, context) {
      const messages = [
        ...(options.system === undefined
          ? []
          : [{ role: 'system' as const, content: options.system }]),
        { role: 'user' as const, content: question },
      ];
      const common = {
        backend: options.backend,
        messages,
        signal: context.signal,
        callId: context.callId,
        ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
        ...(options.clock === undefined ? {} : { clock: options.clock }),
      };
      if (isFirstFinish(exit)) {
        const result = await runFirstFinishSearch({
          ...common,
          ...(exit.samples === undefined ? {} : { samples: exit.samples }),
          ...(exit.shortestK === undefined ? {} : { shortestK: exit.shortestK }),
          ...(exit.temperature === undefined ? {} : { temperature: exit.temperature }),
          ...(options.maxReasoningTokens === undefined
            ? {}
            : { maxTokens: options.maxReasoningTokens }),
        });
        return pick(result);
      }
      const result = await runReasoning({
        ...common,
        ...(exit === undefined ? {} : { exit }),
        ...(options.maxReasoningTokens === undefined
          ? {}
          : { maxReasoningTokens: options.maxReasoningTokens }),
        ...(options.maxAnswerTokens === undefined
          ? {}
          : { maxAnswerTokens: options.maxAnswerTokens }),
      });
      return pick(result);
    },
  });
}

function isFirstFinish(exit: ReasoningToolOptions['exit']): exit is FirstFinishStrategy {
  return (
    exit !== undefined &&
    !Array.isArray(exit) &&
    (exit as FirstFinishStrategy).type === 'first-finish'
  );
}

function pick(result: ReasoningToolResult): ReasoningToolResult {
  return {
    answer: result.answer,
    tokensUsed: result.tokensUsed,
    tokensAvoided: result.tokensAvoided,
    exitReason: result.exitReason,
  };
}
