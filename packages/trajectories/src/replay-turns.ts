import { type AssistantMessage, emptyUsage, type ToolCall, type Usage } from '@reins/core';
import type { Trajectory } from './trajectory.js';

/**
 * The tool that stands for what reached the agent outside a tool call: a recorded turn with no
 * action (a chat reply to a user, a malformed action) is replayed as a call to it, whose result
 * is what the agent was told next. The Reins loop ends a run at a turn without tool calls, so
 * this keeps the recorded run going.
 */
export const replayFeedbackToolName = 'environment';

/** One recorded turn as the loop replays it: the assistant message and each call's output. */
export interface ReplayTurn {
  /** 1-based model call number. */
  readonly index: number;
  readonly message: AssistantMessage;
  /** The recorded output of each tool call, by call id. */
  readonly outputs: ReadonlyMap<string, string>;
  readonly usage: Usage;
  /** When the call was made (milliseconds), when recorded. */
  readonly startedAt?: number;
}

/**
 * Turns a trajectory into the turns a replay plays: tool calls with ids unique in the run and
 * JSON arguments, a call to {@link replayFeedbackToolName} for a turn that answered no action
 * but was not the last, and each call's recorded output.
 * @param trajectory - the recorded run.
 * @returns one replay turn per recorded turn.
 * @example
 * ```ts
 * const turns = toReplayTurns(trajectory);
 * turns[0]?.message.toolCalls; // [{ id: 'call_1', name: 'bash', arguments: '{"command":"ls"}' }]
 * ```
 */
export function toReplayTurns(trajectory: Trajectory): ReplayTurn[] {
  const seen = new Set<string>();
  const last = trajectory.turns.length - 1;
  return trajectory.turns.map((turn, position) => {
    const toolCalls: ToolCall[] = [];
    const outputs = new Map<string, string>();
    turn.actions.forEach((action, actionIndex) => {
      let id = action.id;
      if (seen.has(id)) id = `${action.id}-t${turn.index}-${actionIndex + 1}`;
      seen.add(id);
      toolCalls.push({
        id,
        name: safeToolName(action.name),
        arguments: jsonArguments(action.arguments),
      });
      outputs.set(id, action.result?.output ?? '');
    });
    if (toolCalls.length === 0 && position < last) {
      const id = `feedback-t${turn.index}`;
      seen.add(id);
      toolCalls.push({ id, name: replayFeedbackToolName, arguments: '{}' });
      outputs.set(id, (turn.feedback ?? []).join('\n\n'));
    } else if (turn.feedback !== undefined && toolCalls.length > 0) {
      const lastCall = toolCalls.at(-1) as ToolCall;
      outputs.set(lastCall.id, [outputs.get(lastCall.id) ?? '', ...turn.feedback].join('\n\n'));
    }
    const usage = turn.usage ?? emptyUsage;
    const message: AssistantMessage = { role: 'assistant', content: turn.text, toolCalls, usage };
    if (turn.reasoning !== undefined) message.reasoning = turn.reasoning;
    return {
      index: turn.index,
      message,
      outputs,
      usage,
      ...(turn.startedAt === undefined ? {} : { startedAt: turn.startedAt }),
    };
  });
}

/** Tool names the loop accepts: letters, digits, `_` and `-`, at most 64 characters. */
export function safeToolName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned === '' ? 'tool' : cleaned;
}

function jsonArguments(text: string): string {
  if (text.trim() === '') return '{}';
  try {
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify({ raw: text });
  }
}
