import type { AgentEvent } from './agent-event.js';
import type { CheckpointWriter } from './checkpoint-writer.js';
import type { Clock } from './clock.js';
import type { ControllerSession } from './controller.js';
import type { StopReason } from './directive.js';
import type { Draft } from './draft.js';
import type { ReinsError } from './errors/reins-error.js';
import type { Interrupt } from './interrupt.js';
import type { Message, ToolCall, ToolResult } from './message.js';
import type { ModelBackend, ModelCallSettings, ModelRequest } from './model-backend.js';
import type { RunView, ToolStats } from './run-view.js';
import type { Tool, ToolSpec } from './tool.js';
import type { ToolSet } from './tool-set.js';
import type { ToolSource } from './tool-source.js';
import type { Usage } from './usage.js';

/** Everything a run uses but does not own: fixed for the run's life. */
export interface LoopDependencies {
  readonly backend: ModelBackend;
  /** The agent's own tools. */
  readonly ownTools: readonly Tool[];
  /** Sources of tools read before every turn. */
  readonly toolSources: readonly ToolSource[];
  readonly controller: ControllerSession;
  readonly controllerName: string;
  readonly clock: Clock;
  readonly generateId: () => string;
  /** Ends every tool-call id of the run: a short hash of the run id. */
  readonly callIdSuffix: string;
  readonly toolTimeoutMs: number;
  readonly parallelToolCalls: boolean;
  readonly modelSettings: ModelCallSettings | undefined;
  /** After an urgent interrupt, how long to wait for more before deciding (0: one macrotask). */
  readonly interruptQuietMs: number;
  readonly checkpoints: CheckpointWriter;
  /** Delivers an event to the run's listeners. */
  readonly emit: (event: AgentEvent) => void;
}

/** How the run is about to end, decided by a directive, an interrupt or an abort. */
export interface Ending {
  /** `done` when a stop says the task is complete (`endAs: 'done'`). */
  readonly status: 'stopped' | 'cancelled' | 'done';
  readonly reason: StopReason;
  readonly message: string;
  readonly forceAnswer: boolean;
  /** Cap on the forced answer's tokens. */
  readonly answerMaxTokens?: number;
}

/** A tool call that passed validation and will run. */
export interface RunnableCall {
  readonly call: ToolCall;
  readonly tool: Tool;
  readonly input: unknown;
  readonly timeoutMs: number;
}

/**
 * The run's working record. It is owned by one machine actor and changed only by the machine's
 * named actions; `messages` is an append-only log (replaced, never edited, on compaction), so
 * checkpoints can share it instead of copying it every turn.
 */
export interface AgentContext {
  readonly deps: LoopDependencies;
  readonly runId: string;
  readonly task: string;
  readonly view: RunView;
  /** The tools of the current turn: the agent's own and its sources' at the turn's start. */
  toolSet: ToolSet;
  messages: Message[];
  historyGeneration: number;
  turn: number;
  /** Whether `turn` has started and its `turn.end` is still to come. */
  turnOpen: boolean;
  usage: Usage;
  usageAtTurnStart: Usage;
  readonly startedAt: number;
  grantedTurns: number;
  intentUpdates: Interrupt[];
  pendingInterrupts: Interrupt[];
  /** Set when an urgent interrupt cut the turn short: the loop gathers more before deciding. */
  gathering: boolean;
  /** Messages appended to the next request only. */
  ephemeral: Message[];
  /** Controller tools offered on the next request. */
  offeredTools: ToolSpec[];
  nextSettings: ModelCallSettings | undefined;
  pauseReason: string | undefined;
  ending: Ending | undefined;
  request: Omit<ModelRequest, 'signal'> | undefined;
  draft: Draft | undefined;
  /** Calls of the current turn that still wait for a result, in the model's order. */
  openCalls: ToolCall[];
  runnableCalls: RunnableCall[];
  /** Results of the current turn's calls, by call id. */
  results: Record<string, ToolResult>;
  toolStats: Record<string, ToolStats>;
  output: string | undefined;
  error: { code: string; message: string } | undefined;
  /** Set when user code the loop calls (a controller hook) threw: the run fails next. */
  failure: ReinsError | undefined;
}

/**
 * A live, read-only view over a context, made once per run: controller hooks read the current
 * values through it without a copy per call.
 */
export function createRunView(context: () => AgentContext, backend: ModelBackend): RunView {
  const model = Object.freeze({
    provider: backend.provider,
    modelId: backend.modelId,
    capabilities: backend.capabilities,
  });
  return Object.freeze({
    get runId() {
      return context().runId;
    },
    get task() {
      return context().task;
    },
    get intentUpdates() {
      return context().intentUpdates;
    },
    get messages() {
      return context().messages;
    },
    get turn() {
      return context().turn;
    },
    get grantedTurns() {
      return context().grantedTurns;
    },
    get usage() {
      return context().usage;
    },
    get startedAt() {
      return context().startedAt;
    },
    get now() {
      return context().deps.clock.now();
    },
    get toolStats() {
      return context().toolStats;
    },
    model,
  });
}
