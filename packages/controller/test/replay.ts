/**
 * Drives a controller session through recorded turns in the loop's hook order, over a live
 * view kept like the loop keeps it. Used by the tests on constructed and on real runs.
 */
import type {
  Controller,
  ControllerEventPayload,
  ControllerSession,
  Directive,
  Interrupt,
  Message,
  RunView,
  ToolDirective,
  Usage,
} from '@reins/core';
import { addUsage, emptyUsage } from '@reins/core';
import type { TurnRecord } from '../src/turn-record.js';

export interface ReplayOptions {
  readonly runId?: string;
  readonly task?: string;
  readonly modelId?: string;
  readonly provider?: string;
  /** Milliseconds each turn takes on the view's clock. */
  readonly msPerTurn?: number;
  /** Restore the session from this snapshot. */
  readonly state?: unknown;
  /** Interruptions applied before a given turn's beforeModel. */
  readonly interrupts?: Readonly<Record<number, Interrupt>>;
}

export interface ReplayStep {
  readonly hook: 'beforeModel' | 'afterModel' | 'beforeTool' | 'afterTool';
  /** `view.turn` when the hook ran. */
  readonly turn: number;
  readonly directive: Directive | ToolDirective;
}

export interface ReplayResult {
  readonly steps: ReplayStep[];
  readonly events: (ControllerEventPayload & { readonly turn: number })[];
  /** The turn (model calls made) at which a stop directive ended the replay. */
  readonly stoppedAt?: number;
  readonly stop?: Extract<Directive, { type: 'stop' }>;
  readonly session: ControllerSession;
  readonly view: MutableView;
}

export interface MutableView extends RunView {
  messages: Message[];
  turn: number;
  grantedTurns: number;
  usage: Usage;
  now: number;
  intentUpdates: Interrupt[];
}

export function createView(options: ReplayOptions = {}): MutableView {
  const task = options.task ?? 'Fix the bug.';
  return {
    runId: options.runId ?? 'run-1',
    task,
    intentUpdates: [],
    messages: [
      { role: 'system', content: 'You are careful.' },
      { role: 'user', content: task, origin: { kind: 'task' } },
    ],
    turn: 0,
    grantedTurns: 0,
    usage: emptyUsage,
    startedAt: 0,
    now: 0,
    toolStats: {},
    model: {
      provider: options.provider ?? 'scripted',
      modelId: options.modelId ?? 'scripted-1',
      capabilities: { toolCalls: true, reasoning: true, logprobs: true },
    },
  };
}

/** Replays `records` through a new session of `controller` (or a given session and view). */
export function replay(
  controller: Controller,
  records: readonly TurnRecord[],
  options: ReplayOptions = {},
  resume?: { session: ControllerSession; view: MutableView },
): ReplayResult {
  const view = resume?.view ?? createView(options);
  const session =
    resume?.session ??
    controller.open({
      runId: view.runId,
      task: view.task,
      ...(options.state === undefined ? {} : { state: options.state }),
    });
  const steps: ReplayStep[] = [];
  const events: (ControllerEventPayload & { turn: number })[] = [];
  let stop: Extract<Directive, { type: 'stop' }> | undefined;
  const apply = (
    hook: ReplayStep['hook'],
    directives: readonly (Directive | ToolDirective)[] | undefined,
  ) => {
    for (const directive of directives ?? []) {
      steps.push({ hook, turn: view.turn, directive });
      if (directive.type === 'emit') events.push({ ...directive.event, turn: view.turn });
      if (directive.type === 'stop') stop ??= directive;
      if (directive.type === 'grant-turns') view.grantedTurns += directive.turns;
      if (directive.type === 'compact') {
        view.messages = [
          ...view.messages.slice(0, directive.from),
          {
            role: 'user',
            content: directive.summary,
            origin: { kind: 'controller', source: directive.source },
          },
          ...view.messages.slice(directive.to),
        ];
      }
    }
  };
  for (const record of records) {
    const interrupt = options.interrupts?.[record.turn];
    if (interrupt !== undefined) {
      view.intentUpdates.push(interrupt);
      apply('beforeModel', session.onInterrupt?.(view, interrupt));
    }
    apply('beforeModel', session.beforeModel?.(view));
    if (stop !== undefined) return { steps, events, stoppedAt: view.turn, stop, session, view };
    view.turn += 1;
    view.now += options.msPerTurn ?? 1000;
    const toolCalls = record.actions.map((action, index) => ({
      id: `call_${record.turn}_${index + 1}`,
      name: action.name,
      arguments: action.arguments,
    }));
    const usage: Usage = {
      ...emptyUsage,
      inputTokens: record.usage?.inputTokens ?? 0,
      outputTokens: record.usage?.outputTokens ?? 0,
    };
    const message: Message = {
      role: 'assistant',
      content: record.text,
      toolCalls,
      ...(record.reasoning === undefined ? {} : { reasoning: record.reasoning }),
      usage,
    };
    view.messages.push(message);
    view.usage = addUsage(view.usage, usage);
    apply(
      'afterModel',
      session.afterModel?.(view, {
        message: message as Extract<Message, { role: 'assistant' }>,
        finishReason:
          (record.finishReason as 'stop' | undefined) ??
          (toolCalls.length > 0 ? 'tool-calls' : 'stop'),
        usage,
        durationMs: 10,
      }),
    );
    toolCalls.forEach((call, index) => {
      const observation = record.observations[index];
      const tool = session.beforeTool?.(view, call) ?? [];
      apply('beforeTool', tool);
      const resolved = tool.find((directive) => directive.type === 'resolve');
      const result =
        resolved !== undefined && resolved.type === 'resolve'
          ? { status: 'ok' as const, output: resolved.output }
          : observation === undefined || observation.status === 'cancelled'
            ? { status: 'cancelled' as const, reason: 'not recorded' }
            : observation.status === 'ok'
              ? { status: 'ok' as const, output: observation.text }
              : {
                  status: 'error' as const,
                  error: { code: 'tool-error', message: observation.text },
                };
      if (result.status !== 'cancelled')
        apply('afterTool', session.afterTool?.(view, { call, result, durationMs: 5 }));
      view.messages.push({ role: 'tool', toolCallId: call.id, toolName: call.name, result });
    });
    if (stop !== undefined) return { steps, events, stoppedAt: view.turn, stop, session, view };
  }
  return { steps, events, session, view };
}

/** A turn with one action and its observation. */
export function actionTurn(
  turn: number,
  command: string,
  output: string,
  status: 'ok' | 'error' = 'ok',
): TurnRecord {
  return {
    turn,
    text: `Running ${command.slice(0, 20)}`,
    actions: [{ name: 'bash', arguments: JSON.stringify({ command }) }],
    observations: [{ name: 'bash', status, text: output }],
  };
}

/** A turn without an action. */
export function silentTurn(turn: number, text = 'Let me think about this some more.'): TurnRecord {
  return { turn, text, actions: [], observations: [] };
}

/** Renumbers records 1..n. */
export function numbered(records: readonly Omit<TurnRecord, 'turn'>[]): TurnRecord[] {
  return records.map((record, index) => ({ ...record, turn: index + 1 }));
}
