import type { AgentContext } from './agent-context.js';
import { checkpointVersion, type RunCheckpoint } from './checkpointer.js';

/** The checkpoint of the run as it stands. */
export function toCheckpoint(
  context: AgentContext,
  status: RunCheckpoint['status'],
): RunCheckpoint {
  return {
    version: checkpointVersion,
    runId: context.runId,
    task: context.task,
    status,
    turn: context.turn,
    messages: context.messages,
    messageCount: context.messages.length,
    historyGeneration: context.historyGeneration,
    usage: context.usage,
    startedAt: context.startedAt,
    savedAt: context.deps.clock.now(),
    grantedTurns: context.grantedTurns,
    intentUpdates: context.intentUpdates,
    pendingInterrupts: context.pendingInterrupts,
    toolStats: context.toolStats,
    toolResults: { ...context.results },
    controllerState: context.deps.controller.snapshot?.(),
  };
}
