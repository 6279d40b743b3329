import type { AssistantMessage, ToolCall } from './message.js';
import { createOutputMeter, type OutputMeter } from './output-meter.js';
import type { FinishReason, ModelStreamPart, TokenLogprob } from './stream-part.js';
import { addUsage, emptyUsage, type UsagePatch } from './usage.js';

/**
 * The model output being streamed in the current call. The model-call actor writes each part
 * into it as it arrives, so that output cut short by an interrupt is never lost.
 */
export interface Draft {
  text: string;
  reasoning: string;
  refusal: string;
  toolCalls: ToolCall[];
  logprobs: TokenLogprob[];
  usage: UsagePatch;
  finishReason: FinishReason | undefined;
  readonly startedAt: number;
  /** Set for the one extra call made to force a final answer after a stop. */
  readonly forced: boolean;
  /** Output streamed over every attempt, restarted ones included. */
  readonly output: OutputMeter;
  /** Times the backend restarted the stream after output (`restart` parts). */
  restarts: number;
  /** Makes the Reins id of the call at `position` (1-based) in this step. */
  readonly newCallId: (position: number) => string;
}

/** An empty draft for a call starting at `startedAt`, whose tool calls get ids from `newCallId`. */
export function newDraft(
  startedAt: number,
  forced: boolean,
  newCallId: (position: number) => string,
): Draft {
  return {
    text: '',
    reasoning: '',
    refusal: '',
    toolCalls: [],
    logprobs: [],
    usage: {},
    finishReason: undefined,
    startedAt,
    forced,
    output: createOutputMeter(),
    restarts: 0,
    newCallId,
  };
}

/**
 * Adds one stream part to the draft. A `restart` empties it (the new attempt streams the whole
 * answer again), so that history never holds the voided attempt's text; its output stays
 * counted.
 */
export function recordPart(draft: Draft, part: ModelStreamPart): void {
  draft.output.add(part);
  switch (part.type) {
    case 'restart':
      draft.text = '';
      draft.reasoning = '';
      draft.refusal = '';
      draft.toolCalls = [];
      draft.logprobs = [];
      draft.usage = {};
      draft.finishReason = undefined;
      draft.restarts += 1;
      return;
    case 'text-delta':
      draft.text += part.delta;
      return;
    case 'reasoning-delta':
      draft.reasoning += part.delta;
      return;
    case 'refusal-delta':
      draft.refusal += part.delta;
      return;
    case 'tool-call':
      draft.toolCalls.push({
        id: draft.newCallId(draft.toolCalls.length + 1),
        name: part.name,
        arguments: part.arguments,
        providerCallId: part.id,
      });
      return;
    case 'logprobs':
      for (const token of part.tokens) draft.logprobs.push(token);
      return;
    case 'usage':
      draft.usage = { ...draft.usage, ...part.usage };
      return;
    case 'finish':
      draft.finishReason = part.reason;
      return;
    case 'tool-call-delta':
      return;
  }
}

/**
 * The assistant message a draft stands for. An interrupted draft keeps its text and reasoning,
 * marked `interrupted`, and drops its tool calls, which never ran.
 */
export function draftMessage(draft: Draft, interrupted: boolean): AssistantMessage {
  const message: AssistantMessage = {
    role: 'assistant',
    content: draft.text,
    toolCalls: interrupted ? [] : draft.toolCalls,
    usage: addUsage(emptyUsage, draft.usage),
  };
  if (draft.reasoning !== '') message.reasoning = draft.reasoning;
  if (draft.refusal !== '') message.refusal = draft.refusal;
  if (interrupted) message.interrupted = true;
  return message;
}
