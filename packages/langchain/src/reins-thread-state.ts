import { type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { withLangGraph } from '@langchain/langgraph/zod';
import type {
  Interrupt,
  Message,
  ModelCallSettings,
  ToolSpec,
  ToolStats,
  Usage,
} from '@reins/core';
import { z } from 'zod';
import { textOf } from './convert-from-langchain-messages.js';
import {
  type LangChainRun,
  type LangChainRunEnding,
  type LangChainRunModel,
  reinsOriginKey,
} from './langchain-run.js';

/** Version of the {@link ReinsThreadState} format. */
export const reinsThreadStateVersion = 1;

/** The key of the controller's state in the agent's graph state (private: not in its input or output). */
export const reinsStateKey = '_reins';

/** A stored message a directive decided and the next decision point writes into the history. */
export interface PendingStoredMessage {
  readonly role: 'user' | 'system';
  readonly content: string;
  readonly origin: unknown;
}

/**
 * The controller's state for one thread, as JSON in the agent's graph state: the run in
 * progress (or the last one), its counters, what its directives left for the next decision
 * point and the controller session's `snapshot()`. The thread's checkpointer saves it with the
 * messages, so a new process resuming the thread continues the same run.
 */
export interface ReinsThreadState {
  readonly version: typeof reinsThreadStateVersion;
  readonly runId: string;
  /** Grows with every write on the thread; the reducer keeps the highest. */
  readonly seq: number;
  /** Id of the human message that opened the run (its text is the task): a new one opens a new run. */
  readonly taskMessageId: string | undefined;
  /** Set once the run has ended (final answer or a controller's ending). */
  readonly ended: boolean;
  readonly turn: number;
  readonly grantedTurns: number;
  readonly usage: Usage;
  readonly startedAt: number;
  readonly model: LangChainRunModel;
  readonly intentUpdates: readonly Interrupt[];
  readonly pendingInterrupts: readonly Interrupt[];
  readonly toolStats: Readonly<Record<string, ToolStats>>;
  readonly ephemeral: readonly Message[];
  readonly pendingMessages: readonly PendingStoredMessage[];
  readonly offeredTools: readonly ToolSpec[];
  readonly controllerToolNames: readonly string[];
  readonly nextSettings?: ModelCallSettings;
  readonly compaction?: { readonly from: number; readonly to: number; readonly summary: string };
  readonly ending?: LangChainRunEnding;
  /** The controller session's `snapshot()`. */
  readonly controllerState?: unknown;
}

/** Keeps the write with the highest `seq` (parallel tool calls of one step each write). */
function keepLatest(
  current: ReinsThreadState | undefined,
  update: ReinsThreadState | undefined,
): ReinsThreadState | undefined {
  if (update === undefined) return current;
  if (current === undefined || update.seq >= current.seq) return update;
  return current;
}

/** The middleware's `stateSchema`: one private key holding {@link ReinsThreadState}. */
export const reinsStateSchema = z.object({
  [reinsStateKey]: withLangGraph(z.custom<ReinsThreadState>().optional(), {
    reducer: { fn: keepLatest },
  }),
});

/** A stored array that is empty: shared, since a stored state never changes. */
const none: readonly never[] = Object.freeze([]);

/** A copy of a run's list to store, or the shared empty one. */
function stored<T>(values: readonly T[]): readonly T[] {
  return values.length === 0 ? none : values.slice();
}

/**
 * The stored form of a {@link ReinsThreadState}: an instance of this class rather than a plain
 * object, because LangGraph copies every plain object of the state it hands to each tool call
 * (`Send`), and passes other objects by reference. Checkpointers store its fields as JSON and
 * give back a plain object with the same fields. Frozen: a stored state never changes. The
 * fields are assigned one by one, in the order of {@link ReinsThreadState}, so that every
 * instance shares one shape; optional fields are present only when set.
 */
class StoredThreadState {
  constructor(run: LangChainRun) {
    const fields = this as unknown as Record<string, unknown>;
    fields.version = reinsThreadStateVersion;
    fields.runId = run.runId;
    fields.seq = run.seq;
    fields.taskMessageId = run.taskMessageId;
    fields.ended = run.ended;
    fields.turn = run.turn;
    fields.grantedTurns = run.grantedTurns;
    fields.usage = run.usage;
    fields.startedAt = run.startedAt;
    fields.model = run.model;
    fields.intentUpdates = stored(run.intentUpdates);
    fields.pendingInterrupts = stored(run.pendingInterrupts);
    fields.toolStats = Object.assign({}, run.toolStats);
    fields.ephemeral = stored(run.ephemeral);
    fields.pendingMessages =
      run.pendingMessages.length === 0 ? none : run.pendingMessages.map(toPendingStoredMessage);
    fields.offeredTools = stored(run.offeredTools);
    fields.controllerToolNames =
      run.controllerToolNames.size === 0 ? none : [...run.controllerToolNames];
    if (run.nextSettings !== undefined) fields.nextSettings = run.nextSettings;
    if (run.compaction !== undefined) fields.compaction = run.compaction;
    if (run.ending !== undefined) fields.ending = run.ending;
    fields.controllerState = run.session.snapshot?.();
    Object.freeze(this);
  }
}

/** The run's state as the thread stores it; `seq` is the run's current write number. */
export function toThreadState(run: LangChainRun): ReinsThreadState {
  return new StoredThreadState(run) as unknown as ReinsThreadState;
}

/** Puts a saved state's counters and pending work back into a freshly opened run. */
export function restoreRunState(run: LangChainRun, saved: ReinsThreadState): void {
  run.seq = saved.seq;
  run.ended = saved.ended;
  run.turn = saved.turn;
  run.grantedTurns = saved.grantedTurns;
  run.usage = saved.usage;
  run.model = saved.model;
  run.intentUpdates.push(...saved.intentUpdates);
  run.pendingInterrupts = [...saved.pendingInterrupts];
  Object.assign(run.toolStats, saved.toolStats);
  run.ephemeral = [...saved.ephemeral];
  run.pendingMessages = saved.pendingMessages.map(fromPendingStoredMessage);
  run.offeredTools = [...saved.offeredTools];
  for (const name of saved.controllerToolNames) run.controllerToolNames.add(name);
  run.nextSettings = saved.nextSettings;
  run.compaction = saved.compaction;
  run.ending = saved.ending;
}

function toPendingStoredMessage(message: BaseMessage): PendingStoredMessage {
  return {
    role: message.getType() === 'system' ? 'system' : 'user',
    content: textOf(message.content),
    origin: (message.additional_kwargs as Record<string, unknown> | undefined)?.[reinsOriginKey],
  };
}

function fromPendingStoredMessage(message: PendingStoredMessage): BaseMessage {
  const fields = {
    content: message.content,
    additional_kwargs: message.origin === undefined ? {} : { [reinsOriginKey]: message.origin },
  };
  return message.role === 'system' ? new SystemMessage(fields) : new HumanMessage(fields);
}
