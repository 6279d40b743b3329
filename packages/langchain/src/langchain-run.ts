import type { BaseMessage } from '@langchain/core/messages';
import {
  addUsage,
  type Clock,
  type ControllerSession,
  emptyUsage,
  type Interrupt,
  type Message,
  type ModelCallSettings,
  type ModelCapabilities,
  type RunView,
  type StopReason,
  type ToolSpec,
  type ToolStats,
  type Usage,
  type UsagePatch,
} from '@reins/core';
import { fromLangChainMessages } from './convert-from-langchain-messages.js';

/** Where a message the middleware wrote into the agent's state came from (kept in `additional_kwargs`). */
export const reinsOriginKey = 'reins_origin';

/** The model as controllers see it in `view.model`. */
export interface LangChainRunModel {
  readonly provider: string;
  readonly modelId: string;
  readonly capabilities: ModelCapabilities;
}

/** How a run is about to end, decided by a directive or an interruption. */
export interface LangChainRunEnding {
  readonly status: 'stopped' | 'cancelled' | 'paused';
  readonly reason: StopReason;
  readonly message: string;
  readonly source: string;
  readonly forceAnswer: boolean;
  readonly answerMaxTokens?: number;
}

/**
 * One invocation of a LangChain agent as the controller sees it: the controller session, the
 * counters of the run (reset when the next invocation opens a new run) and what the directives
 * left for the next hooks (ephemeral messages, offered tools, settings, an ending).
 */
export interface LangChainRun {
  readonly runId: string;
  readonly threadId: string | undefined;
  readonly task: string;
  /** Id of the human message that opened the run. */
  readonly taskMessageId: string | undefined;
  /** Number of the run's last write into the thread's state. */
  seq: number;
  /** Set once the run has ended. */
  ended: boolean;
  readonly session: ControllerSession;
  readonly view: RunView;
  readonly startedAt: number;
  turn: number;
  grantedTurns: number;
  usage: Usage;
  model: LangChainRunModel;
  readonly intentUpdates: Interrupt[];
  readonly toolStats: Record<string, ToolStats>;
  /** Interruptions received and not yet applied. */
  pendingInterrupts: Interrupt[];
  /** Messages appended to the next model request only. */
  ephemeral: Message[];
  /** Messages to write into the agent's state at the next hook that can. */
  pendingMessages: BaseMessage[];
  /** Controller tools offered on the next model request. */
  offeredTools: ToolSpec[];
  /** Tool names the controller offered during this run (answered through `beforeTool`). */
  readonly controllerToolNames: Set<string>;
  nextSettings: ModelCallSettings | undefined;
  compaction: { from: number; to: number; summary: string } | undefined;
  ending: LangChainRunEnding | undefined;
  lastModelDurationMs: number;
  /** The agent state's messages, as last seen by a hook. */
  stateMessages: readonly BaseMessage[];
  /**
   * A message of the run as Reins sees it (a user message that opened the run as the task),
   * converted once per message object: the view and the hooks share the conversion.
   */
  readonly toReinsMessage: (message: BaseMessage) => Message;
}

/** What {@link createLangChainRun} needs. */
export interface LangChainRunInit {
  readonly runId: string;
  readonly threadId: string | undefined;
  readonly task: string;
  readonly taskMessageId: string | undefined;
  /** The thread's last write number, which the run continues from. */
  readonly seq: number;
  /** When the run started (kept across a restart). */
  readonly startedAt?: number;
  readonly messages: readonly BaseMessage[];
  readonly model: LangChainRunModel;
  readonly clock: Clock;
  readonly open: (runId: string, task: string) => ControllerSession;
}

/**
 * Opens a run: its controller session and a live {@link RunView} over the agent's messages.
 * The view converts LangChain messages to Reins messages once each, on first read: a message
 * already converted is not converted again on later turns, and a message replaced in the
 * history (updated by id, or a rewritten history) is converted anew.
 */
export function createLangChainRun(init: LangChainRunInit): LangChainRun {
  const conversions = new WeakMap<BaseMessage, Message>();
  const convertOnce = (message: BaseMessage): Message => {
    let result = conversions.get(message);
    if (result === undefined) {
      result = toReinsMessage(message, init.task);
      conversions.set(message, result);
    }
    return result;
  };
  const converted: Message[] = [];
  const convertedFrom: BaseMessage[] = [];
  let pendingSeen: readonly BaseMessage[] = [];
  let pendingConverted: Message[] = [];
  const convert = (): readonly Message[] => {
    const source = run.stateMessages;
    // Every place is compared: the reducer keeps message objects, but a message updated by its
    // id is a new object in the same place, and a compaction moves them all.
    for (let index = 0; index < source.length; index++) {
      const message = source[index] as BaseMessage;
      if (convertedFrom[index] === message) continue;
      convertedFrom[index] = message;
      converted[index] = convertOnce(message);
    }
    convertedFrom.length = source.length;
    converted.length = source.length;
    if (run.pendingMessages.length === 0) return converted;
    if (pendingSeen !== run.pendingMessages) {
      pendingSeen = run.pendingMessages;
      pendingConverted = run.pendingMessages.map(convertOnce);
    }
    return converted.concat(pendingConverted);
  };
  const view: RunView = Object.freeze({
    get runId() {
      return run.runId;
    },
    get task() {
      return run.task;
    },
    get intentUpdates() {
      return run.intentUpdates;
    },
    get messages() {
      return convert();
    },
    get turn() {
      return run.turn;
    },
    get grantedTurns() {
      return run.grantedTurns;
    },
    get usage() {
      return run.usage;
    },
    get startedAt() {
      return run.startedAt;
    },
    get now() {
      return init.clock.now();
    },
    get toolStats() {
      return run.toolStats;
    },
    get model() {
      return run.model;
    },
  });
  const run: LangChainRun = {
    runId: init.runId,
    threadId: init.threadId,
    task: init.task,
    taskMessageId: init.taskMessageId,
    seq: init.seq,
    ended: false,
    session: init.open(init.runId, init.task),
    view,
    startedAt: init.startedAt ?? init.clock.now(),
    turn: 0,
    grantedTurns: 0,
    usage: emptyUsage,
    model: init.model,
    intentUpdates: [],
    toolStats: {},
    pendingInterrupts: [],
    ephemeral: [],
    pendingMessages: [],
    offeredTools: [],
    controllerToolNames: new Set(),
    nextSettings: undefined,
    compaction: undefined,
    ending: undefined,
    lastModelDurationMs: 0,
    stateMessages: init.messages,
    toReinsMessage: convertOnce,
  };
  return run;
}

/** Adds a call's usage to the run's total. */
export function addRunUsage(run: LangChainRun, usage: UsagePatch): void {
  run.usage = addUsage(run.usage, usage);
}

/** Records one finished tool call in the run's per-tool statistics. */
export function recordToolStats(
  run: LangChainRun,
  name: string,
  status: 'ok' | 'error' | 'cancelled',
  durationMs: number,
): void {
  const stats = run.toolStats[name] ?? { calls: 0, errors: 0, cancelled: 0, totalMs: 0 };
  run.toolStats[name] = {
    calls: stats.calls + 1,
    errors: stats.errors + (status === 'error' ? 1 : 0),
    cancelled: stats.cancelled + (status === 'cancelled' ? 1 : 0),
    totalMs: stats.totalMs + durationMs,
  };
}

/**
 * The last human message that the controller did not write: the task of a run started with it.
 * Its id tells whether the next invocation of a thread starts a new run.
 */
export function findTaskMessage(messages: readonly BaseMessage[]): BaseMessage | undefined {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as BaseMessage;
    if (message.getType() !== 'human') continue;
    const origin = (message.additional_kwargs as Record<string, unknown> | undefined)?.[
      reinsOriginKey
    ];
    if (origin === undefined) return message;
  }
  return undefined;
}

/** The text of a task message (empty without one). */
export function taskText(message: BaseMessage | undefined): string {
  if (message === undefined) return '';
  const [converted] = fromLangChainMessages([message]);
  return converted?.role === 'user' ? converted.content : '';
}

function toReinsMessage(message: BaseMessage, task: string): Message {
  const [converted] = fromLangChainMessages([message]);
  const result = converted as Message;
  if (result.role !== 'user') return result;
  const origin = (message.additional_kwargs as Record<string, unknown> | undefined)?.[
    reinsOriginKey
  ];
  if (typeof origin === 'object' && origin !== null) {
    return { ...result, origin: origin as Extract<Message, { role: 'user' }>['origin'] };
  }
  return result.content === task ? { ...result, origin: { kind: 'task' } } : result;
}
