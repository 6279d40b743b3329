import {
  defineTool,
  type Message,
  type ModelBackend,
  type ModelStreamPart,
  ReinsError,
  type Tool,
} from '@reins/core';
import { z } from 'zod';
import { type ReplayTurn, replayFeedbackToolName, toReplayTurns } from './replay-turns.js';
import type { Trajectory } from './trajectory.js';

/** Settings of {@link createReplayBackend}. */
export interface ReplayBackendSettings {
  /** The recorded run to play. */
  readonly trajectory: Trajectory;
  /**
   * Called when a model call starts, with the recorded start time of that turn (milliseconds),
   * so a simulated clock can follow the recording.
   */
  readonly onTurnStart?: (turn: { readonly index: number; readonly startedAt?: number }) => void;
}

/** A replay backend, with the tools whose results come from the recording. */
export interface ReplayBackend extends ModelBackend {
  /** The tools to pass to `createAgent({ tools })`: each answers with the recorded output. */
  readonly tools: readonly Tool<never, unknown>[];
  /** The recorded turns, as replayed. */
  readonly turns: readonly ReplayTurn[];
}

/**
 * A {@link ModelBackend} that plays a recorded run's model turns through the real Reins loop:
 * each call streams the recorded reasoning, text, tool calls and usage (cost included), and the
 * backend's `tools` answer each call with its recorded observation. Budgets and monitors
 * therefore see exactly what the agent saw.
 *
 * Which turn answers a request is decided by the request itself (the turn after the one whose
 * tool calls it answered last), so a replayed run can be resumed from a checkpoint, and a
 * compacted history, which holds fewer assistant messages, goes on from the right turn. After the last
 * recorded turn the backend answers with an empty final message (no usage), which ends the run.
 * A forced final answer (`toolChoice: 'none'`) is answered with an empty message as well: the
 * recording holds no such answer.
 *
 * @param settings - the trajectory, and a hook to move a simulated clock.
 * @returns the backend, with `tools` for `createAgent`.
 * @example
 * ```ts
 * const backend = createReplayBackend({ trajectory });
 * const agent = createAgent({ backend, tools: backend.tools, controller });
 * const result = await agent.run(trajectory.task).result;
 * ```
 */
export function createReplayBackend(settings: ReplayBackendSettings): ReplayBackend {
  const { trajectory } = settings;
  const turns = toReplayTurns(trajectory);
  const outputs = new Map<string, string>();
  const turnOfCall = new Map<string, number>();
  const names = new Set<string>();
  for (const [index, turn] of turns.entries()) {
    for (const call of turn.message.toolCalls) {
      names.add(call.name);
      turnOfCall.set(call.id, index);
      outputs.set(call.id, turn.outputs.get(call.id) ?? '');
    }
  }
  const tools = [...names].map((name) =>
    defineTool({
      name,
      description:
        name === replayFeedbackToolName
          ? 'What reached the agent outside a tool call (a user reply, a format error), replayed from the recording.'
          : `Replays the recorded results of '${name}'.`,
      input: z.any(),
      execute: (_input, context) => {
        // Calls are recorded under the ids the replay backend streamed: the server's ids.
        const output = outputs.get(context.providerCallId ?? context.callId);
        if (output === undefined) {
          throw new ReinsError(
            'replay-missing-result',
            `The recording of '${trajectory.id}' has no result for tool call '${context.callId}'. Replay only the calls the replay backend produced.`,
          );
        }
        return output;
      },
    }),
  );
  return {
    specificationVersion: 'v1',
    provider: trajectory.model?.provider ?? 'replay',
    modelId: trajectory.model?.modelId ?? 'replay',
    capabilities: { toolCalls: true, reasoning: true, logprobs: false },
    tools: tools as unknown as readonly Tool<never, unknown>[],
    turns,
    async *stream(request) {
      const index = nextTurnIndex(request.messages, turnOfCall);
      const forced = request.settings?.toolChoice === 'none' && request.tools.length === 0;
      const turn = forced ? undefined : turns[index];
      settings.onTurnStart?.({
        index: index + 1,
        ...(turn?.startedAt === undefined ? {} : { startedAt: turn.startedAt }),
      });
      if (request.signal.aborted) return;
      if (turn === undefined) {
        yield { type: 'finish', reason: 'stop' } satisfies ModelStreamPart;
        return;
      }
      const { message } = turn;
      if (message.reasoning !== undefined && message.reasoning !== '')
        yield { type: 'reasoning-delta', delta: message.reasoning };
      if (message.content !== '') yield { type: 'text-delta', delta: message.content };
      for (const call of message.toolCalls) {
        yield { type: 'tool-call', id: call.id, name: call.name, arguments: call.arguments };
      }
      yield { type: 'usage', usage: turn.usage };
      yield { type: 'finish', reason: message.toolCalls.length > 0 ? 'tool-calls' : 'stop' };
    },
  };
}

/**
 * The recorded turn that answers a request: the one after the turn of the last recorded tool
 * call in the request's history. A history with no recorded call left (nothing done yet, or all
 * of it compacted away) falls back to counting its completed assistant messages.
 */
function nextTurnIndex(
  messages: readonly Message[],
  turnOfCall: ReadonlyMap<string, number>,
): number {
  for (let position = messages.length - 1; position >= 0; position -= 1) {
    const message = messages[position] as Message;
    if (message.role !== 'assistant' || message.interrupted === true) continue;
    for (const call of message.toolCalls) {
      const turn = turnOfCall.get(call.providerCallId ?? call.id);
      if (turn !== undefined) return turn + 1;
    }
  }
  return messages.filter((message) => message.role === 'assistant' && message.interrupted !== true)
    .length;
}
