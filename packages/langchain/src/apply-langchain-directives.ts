import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Clock, ControllerEvent, Directive, Interrupt, RunView } from '@reins/core';
import { type LangChainRun, reinsOriginKey } from './langchain-run.js';
import type { ReinsEventEmitter } from './reins-event.js';

/** What applying directives needs besides the run. */
export interface DirectiveContext {
  readonly clock: Clock;
  readonly events: ReinsEventEmitter;
  /** Also reports controller events to LangChain (custom events, the custom stream). */
  readonly report: (run: LangChainRun, event: { type: string }) => void;
  /**
   * Whether `report` would reach anything now: events are built only when something reads them.
   * @defaultValue always
   */
  readonly reporting?: () => boolean;
}

/**
 * The Reins loop's default application of an interruption, when the controller leaves it:
 * `stop` stops the run, a task retraction cancels it, `answer-now` asks for a final answer,
 * anything else is appended as a user message.
 */
export function defaultInterruptionDirectives(interrupt: Interrupt): Directive[] {
  const source = 'loop';
  const kind: string = interrupt.kind;
  if (kind === 'stop') {
    return [
      {
        type: 'stop',
        reason: 'user-stop',
        message: interrupt.text || 'Stopped by the user.',
        source,
      },
    ];
  }
  if (kind === 'answer-now') {
    return [
      {
        type: 'stop',
        reason: 'user-answer-now',
        message: interrupt.text || 'Answer now.',
        finalAnswer: 'force',
        source,
      },
    ];
  }
  if (kind === 'retraction' && interrupt.scope === 'task') {
    return [{ type: 'cancel', reason: interrupt.text || 'The user dropped the task.', source }];
  }
  return [{ type: 'inject', role: 'user', content: interrupt.text, ephemeral: false, source }];
}

/**
 * Applies a controller's directives to a LangChain run, in order, and reports each (as
 * `directive.applied`, or as the named event of an `emit`). Ephemeral messages wait for the
 * next model request; stored messages wait for the next hook that can write the agent's state;
 * the first ending (`stop`, `cancel`, `pause`) wins.
 */
export function applyLangChainDirectives(
  run: LangChainRun,
  directives: readonly Directive[] | undefined,
  context: DirectiveContext,
  interrupt?: Interrupt,
): void {
  if (directives === undefined) return;
  for (const directive of directives) {
    applyDirective(run, directive, interrupt);
    if (directive.type === 'emit') {
      const listening = context.events.listening;
      const reporting = context.reporting?.() ?? true;
      if (!(listening || reporting)) continue;
      const event = toControllerEvent(run, directive.event, context.clock.now());
      if (listening) context.events.emit(event);
      if (reporting) context.report(run, event);
    } else if (context.events.listening) {
      context.events.emit({
        runId: run.runId,
        turn: run.turn,
        at: context.clock.now(),
        type: 'directive.applied',
        directive,
      });
    }
  }
}

/**
 * The event of an `emit` directive: the run's base fields, the payload's fields, then its name
 * as `type`. Built by assignment: an object spread followed by new keys is far slower in V8.
 */
function toControllerEvent(
  run: LangChainRun,
  payload: Extract<Directive, { type: 'emit' }>['event'],
  at: number,
): ControllerEvent {
  const event: Record<string, unknown> = { runId: run.runId, turn: run.turn, at };
  for (const key of Object.keys(payload)) {
    if (key !== 'name') event[key] = (payload as unknown as Record<string, unknown>)[key];
  }
  event.type = payload.name;
  event.controller = true;
  return event as unknown as ControllerEvent;
}

function applyDirective(run: LangChainRun, directive: Directive, interrupt?: Interrupt): void {
  switch (directive.type) {
    case 'inject': {
      if (directive.ephemeral) {
        run.ephemeral.push(
          directive.role === 'system'
            ? { role: 'system', content: directive.content }
            : {
                role: 'user',
                content: directive.content,
                origin: { kind: 'controller', source: directive.source },
              },
        );
        return;
      }
      const origin =
        interrupt === undefined
          ? { kind: 'controller', source: directive.source }
          : { kind: 'interrupt', interruptId: interrupt.id, interruptKind: interrupt.kind };
      const fields = {
        content: directive.content,
        additional_kwargs: { [reinsOriginKey]: origin },
      };
      run.pendingMessages = [
        ...run.pendingMessages,
        directive.role === 'system' ? new SystemMessage(fields) : new HumanMessage(fields),
      ];
      return;
    }
    case 'stop':
      run.ending ??= {
        status: 'stopped',
        reason: directive.reason,
        message: directive.message,
        source: directive.source,
        forceAnswer: directive.finalAnswer === 'force',
        ...(typeof (directive as { answerMaxTokens?: unknown }).answerMaxTokens === 'number'
          ? { answerMaxTokens: (directive as { answerMaxTokens: number }).answerMaxTokens }
          : {}),
      };
      return;
    case 'cancel':
      run.ending ??= {
        status: 'cancelled',
        reason: 'cancelled',
        message: directive.reason,
        source: directive.source,
        forceAnswer: false,
      };
      return;
    case 'pause':
      run.ending ??= {
        status: 'paused',
        reason: 'paused',
        message: directive.reason,
        source: directive.source,
        forceAnswer: false,
      };
      return;
    case 'grant-turns':
      run.grantedTurns += directive.turns;
      return;
    case 'model-settings':
      run.nextSettings = { ...run.nextSettings, ...directive.settings };
      return;
    case 'offer-tools':
      for (const tool of directive.tools) {
        run.controllerToolNames.add(tool.name);
        if (!run.offeredTools.some((offered) => offered.name === tool.name))
          run.offeredTools.push(tool);
      }
      return;
    case 'compact':
      run.compaction = { from: directive.from, to: directive.to, summary: directive.summary };
      return;
    case 'emit':
      return;
  }
}

/**
 * Applies the interruptions received since the last decision point (through the controller's
 * `onInterrupts`, else `onInterrupt` per interruption, else the loop's default), then, unless
 * the run is ending, asks `beforeModel`. This is the Reins loop's `deciding` step.
 */
export function decideBeforeModel(run: LangChainRun, context: DirectiveContext): void {
  applyPendingInterrupts(run, context);
  if (run.ending === undefined) {
    applyLangChainDirectives(run, run.session.beforeModel?.(run.view), context);
  }
}

/**
 * Applies the interruptions received since the last decision point, through the controller's
 * `onInterrupts`, else `onInterrupt` per interruption, else the loop's default.
 */
export function applyPendingInterrupts(run: LangChainRun, context: DirectiveContext): void {
  const interrupts = run.pendingInterrupts;
  run.pendingInterrupts = [];
  const session = run.session as typeof run.session & {
    onInterrupts?: (
      view: RunView,
      interrupts: readonly Interrupt[],
    ) => readonly Directive[] | undefined;
  };
  if (interrupts.length > 0 && typeof session.onInterrupts === 'function') {
    run.intentUpdates.push(...interrupts);
    const merged = session.onInterrupts(run.view, interrupts);
    for (const interrupt of interrupts) {
      const directives = merged ?? defaultInterruptionDirectives(interrupt);
      applyLangChainDirectives(run, directives, context, interrupt);
      announceApplied(run, context, interrupt, directives);
      if (merged !== undefined) break;
    }
  } else {
    for (const interrupt of interrupts) {
      run.intentUpdates.push(interrupt);
      const directives =
        session.onInterrupt?.(run.view, interrupt) ?? defaultInterruptionDirectives(interrupt);
      applyLangChainDirectives(run, directives, context, interrupt);
      announceApplied(run, context, interrupt, directives);
    }
  }
}

function announceApplied(
  run: LangChainRun,
  context: DirectiveContext,
  interrupt: Interrupt,
  directives: readonly Directive[],
): void {
  context.events.emit({
    runId: run.runId,
    turn: run.turn,
    at: context.clock.now(),
    type: 'interrupt.applied',
    interrupt,
    directives,
  });
}
