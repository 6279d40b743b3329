import type { RunResult } from '@reins/core';

/**
 * How a run ended, as the BullMQ job returns it: the run's result without its history (which
 * stays in the checkpoint).
 */
export type RunSummary = Omit<RunResult, 'messages'>;

/** The summary of a result. */
export function toRunSummary(result: RunResult | Omit<RunResult, 'messages'>): RunSummary {
  const { messages: _messages, ...summary } = result as RunResult;
  return summary;
}
