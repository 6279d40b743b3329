import type { ToolCall, ToolResult, Usage } from '@reins/core';
import { toolResultText } from '@reins/core';
import { digestText, digestTextParts, type TextDigest } from './text-digest.js';

/** A tool call as monitors see it. */
export interface TurnAction {
  readonly name: string;
  /** The raw arguments text the model produced. */
  readonly arguments: string;
}

/** A tool result as monitors see it. */
export interface TurnObservation {
  readonly name: string;
  readonly status: ToolResult['status'];
  /** The text the model reads (`toolResultText`). */
  readonly text: string;
}

/**
 * One completed turn of a run, in the minimal shape every monitor reads: what the model said,
 * which actions it took and what they returned. The controller builds it from the loop's hooks;
 * a trajectory importer can build it from a recorded run and replay it through the monitors.
 */
export interface TurnRecord {
  /** The model call number (1-based). */
  readonly turn: number;
  /** The model's answer text. */
  readonly text: string;
  /** The model's reasoning text, when the backend streams it. */
  readonly reasoning?: string;
  readonly actions: readonly TurnAction[];
  /** One per action, in order (fewer when some were cancelled). */
  readonly observations: readonly TurnObservation[];
  /** Why the model call ended (`'length'` with no action counts as a context-window error). */
  readonly finishReason?: string;
  readonly usage?: Pick<Usage, 'inputTokens' | 'outputTokens'>;
  /** The lowest token log-probabilities of the answer, ascending (at most 8), when known. */
  readonly lowestLogprobs?: readonly number[];
}

/**
 * A turn with its texts digested once, shared by every monitor (no monitor re-reads a text).
 */
export interface ObservedTurn {
  readonly record: TurnRecord;
  /** Digest of the actions, `name arguments` per line. */
  readonly action: TextDigest;
  /** Digest of the observations, one per line. */
  readonly observation: TextDigest;
  /** Digest of the answer text. */
  readonly output: TextDigest;
  /** The first 200 characters of the actions, for evidence and warnings. */
  readonly actionPreview: string;
  readonly hasAction: boolean;
  /** Every observation is an error (and there is at least one). */
  readonly allErrors: boolean;
  readonly errorCount: number;
  /** The call was cut by the context window: `finishReason` `'length'` and no action. */
  readonly contextWindowError: boolean;
}

/** Characters of an action kept in findings and warnings. */
export const actionPreviewLength = 200;

/**
 * Renders a turn's actions as one text, `name arguments` per line.
 * @example
 * ```ts
 * toActionText([{ name: 'bash', arguments: '{"command":"ls"}' }]); // 'bash {"command":"ls"}'
 * ```
 */
export function toActionText(actions: readonly TurnAction[]): string {
  if (actions.length === 1) {
    const only = actions[0] as TurnAction;
    return `${only.name} ${only.arguments}`;
  }
  return actions.map((action) => `${action.name} ${action.arguments}`).join('\n');
}

/**
 * Digests a turn once for all monitors.
 *
 * @param record - the completed turn.
 * @returns the turn with digests of its actions, observations and answer.
 * @example
 * ```ts
 * const observed = toObservedTurn({ turn: 1, text: '', actions: [{ name: 'bash', arguments: 'ls' }],
 *   observations: [{ name: 'bash', status: 'ok', text: 'README.md' }] });
 * observed.hasAction; // true
 * ```
 */
export function toObservedTurn(record: TurnRecord): ObservedTurn {
  // The texts are digested as parts: joining a 2 KB command to its tool's name would copy it.
  const actionParts: string[] = [];
  for (const action of record.actions) {
    if (actionParts.length > 0) actionParts.push('\n');
    actionParts.push(action.name, ' ', action.arguments);
  }
  const observationParts: string[] = [];
  let errorCount = 0;
  for (const observation of record.observations) {
    // One per line; empty texts before the first non-empty one add no line.
    if (observationParts.length > 0) observationParts.push('\n', observation.text);
    else if (observation.text !== '') observationParts.push(observation.text);
    if (observation.status === 'error') errorCount += 1;
  }
  const hasAction = record.actions.length > 0;
  return {
    record,
    action: digestTextParts(actionParts),
    observation: digestTextParts(observationParts),
    output: digestText(record.text),
    actionPreview: previewOf(actionParts),
    hasAction,
    allErrors: record.observations.length > 0 && errorCount === record.observations.length,
    errorCount,
    contextWindowError: !hasAction && record.finishReason === 'length',
  };
}

/** The first {@link actionPreviewLength} characters of the parts' concatenation. */
function previewOf(parts: readonly string[]): string {
  let preview = '';
  for (const part of parts) {
    if (preview.length + part.length >= actionPreviewLength)
      return `${preview}${part.slice(0, actionPreviewLength - preview.length)}`;
    preview += part;
  }
  return preview;
}

/**
 * Converts a loop tool call and its result to the monitor shapes.
 * @example
 * ```ts
 * const { action, observation } = fromToolOutcome(call, { status: 'ok', output: 'done' });
 * ```
 */
export function fromToolOutcome(
  call: ToolCall,
  result: ToolResult,
): { action: TurnAction; observation: TurnObservation } {
  return {
    action: { name: call.name, arguments: call.arguments },
    observation: { name: call.name, status: result.status, text: toolResultText(result) },
  };
}
