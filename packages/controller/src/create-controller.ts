import type {
  Controller,
  ControllerSession,
  Directive,
  ModelStep,
  RunView,
  ToolDirective,
} from '@reins/core';
import { InvalidOptionsError } from '@reins/core';
import { readState } from './errors/controller-state-error.js';
import { createDefaultHintsPolicy, type HintsPolicy } from './hints-policy.js';
import { openHintsSession } from './hints-session.js';
import { createDefaultInterruptionPolicy, type InterruptionPolicy } from './interruption-policy.js';
import { createInterventionPolicy, type InterventionPolicy } from './intervention-policy.js';
import type { Finding, Monitor, MonitorSession } from './monitor.js';
import {
  fromToolOutcome,
  type TurnAction,
  type TurnObservation,
  type TurnRecord,
  toObservedTurn,
} from './turn-record.js';

/** Options of {@link createController}. */
export interface ControllerOptions {
  /** @defaultValue `'reins'` */
  readonly name?: string;
  /** Budgets (turns, tokens, cost, deadline, or any `Controller`), consulted first, in order. */
  readonly budget?: Controller | readonly Controller[];
  /** Monitors, which see each completed turn once. */
  readonly monitors?: readonly Monitor[];
  /**
   * What to do about the monitors' findings.
   * @defaultValue `createInterventionPolicy()` (warn, compact, stop)
   */
  readonly interventions?: InterventionPolicy;
  /**
   * How interruptions are applied: `createInterruptionPolicy()` frames and merges updates.
   * @defaultValue `createDefaultInterruptionPolicy()` (the loop's default)
   */
  readonly interruptions?: InterruptionPolicy;
  /**
   * Scheduling hints for each call (extension point); `false` for none.
   * @defaultValue `createDefaultHintsPolicy()` (`{ programId: runId, turn, cacheKey: runId }`)
   */
  readonly hints?: HintsPolicy | false;
}

interface PendingTurn {
  turn: number;
  text: string;
  reasoning: string;
  actions: TurnAction[];
  observations: TurnObservation[];
  finishReason: string;
  usage: { inputTokens: number; outputTokens: number };
  lowestLogprobs?: number[];
}

interface ControllerState {
  readonly version: 1;
  readonly budgets: Readonly<Record<string, unknown>>;
  readonly monitors: Readonly<Record<string, unknown>>;
  readonly interventions: unknown;
  readonly pending: PendingTurn | null;
}

function lowest(logprobs: ModelStep['logprobs'], count: number): number[] | undefined {
  if (logprobs === undefined || logprobs.length === 0) return undefined;
  const values: number[] = [];
  for (const token of logprobs) {
    if (values.length < count) {
      values.push(token.logprob);
      values.sort((a, b) => a - b);
    } else if (token.logprob < (values[count - 1] as number)) {
      values[count - 1] = token.logprob;
      values.sort((a, b) => a - b);
    }
  }
  return values;
}

/** The completed turn as monitors read it: empty reasoning and unknown logprobs left out. */
function toTurnRecord(pending: PendingTurn): TurnRecord {
  const record: {
    -readonly [K in keyof TurnRecord]: TurnRecord[K];
  } = {
    turn: pending.turn,
    text: pending.text,
    actions: pending.actions,
    observations: pending.observations,
    finishReason: pending.finishReason,
    usage: pending.usage,
  };
  if (pending.reasoning !== '') record.reasoning = pending.reasoning;
  if (pending.lowestLogprobs !== undefined) record.lowestLogprobs = pending.lowestLogprobs;
  return record;
}

/** Appends a hook's directives, if any, without spreading them into a call's arguments. */
function appendAll<T>(directives: T[], result: readonly T[] | undefined): void {
  if (result === undefined) return;
  for (const directive of result) directives.push(directive);
}

function uniqueNames(field: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new InvalidOptionsError(
        field,
        `Two ${field} are named '${name}'; their saved states would collide. Give each a distinct name option.`,
      );
    }
    seen.add(name);
  }
}

/**
 * Creates a controller composing budgets, monitors, interventions, interruption handling and
 * scheduling hints. Every decision is a directive, and every budget or monitor decision is
 * reported as a dotted event (`budget.reminder`, `stuck.detected`, `intervention.applied`…)
 * carrying its policy and evidence.
 *
 * Per turn: `beforeModel` asks each budget in order, then hands the findings of the last
 * completed turn (each monitor sees it once) to the intervention policy; `afterModel` and
 * `afterTool` record the turn; a turn without tool calls (the final answer) is evaluated at once.
 * `onModelCallEnd` and `beforeForcedAnswer` go to every budget, in order (a cost budget settles
 * and reserves there).
 * `snapshot()` returns every part's state as JSON, and `open({ state })` continues from it.
 *
 * @param options - budget, monitors, interventions, interruptions, hints.
 * @returns a {@link Controller} for `createAgent({ controller })`.
 * @example
 * ```ts
 * const controller = createController({
 *   budget: [createTurnBudget({ mode: 'fixed', limit: 46 }), createCostBudget({ capUsd: 4, prices, maxTokensPerCall: 4096 })],
 *   monitors: [createStuckMonitor(), createDriftMonitor(), createOverthinkingMonitor()],
 * });
 * const agent = createAgent({ backend, tools, controller });
 * ```
 */
export function createController(options: ControllerOptions = {}): Controller {
  const name = options.name ?? 'reins';
  const budgets: readonly Controller[] =
    options.budget === undefined
      ? []
      : Array.isArray(options.budget)
        ? options.budget
        : [options.budget as Controller];
  const monitors = options.monitors ?? [];
  budgets.forEach((budget, index) => {
    if (typeof budget?.open !== 'function') {
      throw new InvalidOptionsError(
        `budget[${index}]`,
        `budget[${index}] has no open() method; use createTurnBudget(), createTokenBudget(), createCostBudget(), createDeadlineBudget() or fromHistory().`,
      );
    }
  });
  monitors.forEach((monitor, index) => {
    if (typeof monitor?.open !== 'function') {
      throw new InvalidOptionsError(
        `monitors[${index}]`,
        `monitors[${index}] has no open() method; use createStuckMonitor(), createDriftMonitor(), createOverthinkingMonitor() or createFailurePredictor().`,
      );
    }
  });
  uniqueNames(
    'budgets',
    budgets.map((budget) => budget.name),
  );
  uniqueNames(
    'monitors',
    monitors.map((monitor) => monitor.name),
  );
  const interventions = options.interventions ?? createInterventionPolicy();
  const interruptions = options.interruptions ?? createDefaultInterruptionPolicy();
  if (typeof interruptions.onInterrupt !== 'function') {
    throw new InvalidOptionsError(
      'interruptions',
      'interruptions needs an onInterrupt(view, interrupt) method returning directives or undefined.',
    );
  }
  const hints = options.hints === false ? undefined : (options.hints ?? createDefaultHintsPolicy());
  if (hints !== undefined && typeof hints.hints !== 'function') {
    throw new InvalidOptionsError(
      'hints',
      'hints needs a hints(view) method returning SchedulingHints or undefined, or false for none.',
    );
  }

  return {
    name,
    open(context): ControllerSession {
      const saved = readState<ControllerState>(name, context.state, 1);
      const budgetSessions = budgets.map((budget) => ({
        name: budget.name,
        session: budget.open({
          runId: context.runId,
          task: context.task,
          ...(context.model === undefined ? {} : { model: context.model }),
          ...(saved?.budgets[budget.name] === undefined
            ? {}
            : { state: saved.budgets[budget.name] }),
        }),
      }));
      const monitorSessions: { name: string; session: MonitorSession }[] = monitors.map(
        (monitor) => ({
          name: monitor.name,
          session: monitor.open({
            runId: context.runId,
            task: context.task,
            ...(saved?.monitors[monitor.name] === undefined
              ? {}
              : { state: saved.monitors[monitor.name] }),
          }),
        }),
      );
      const interventionSession = interventions.open({
        runId: context.runId,
        ...(saved?.interventions === undefined ? {} : { state: saved.interventions }),
      });
      let pending: PendingTurn | undefined = saved?.pending ?? undefined;
      const hintsSession = hints === undefined ? undefined : openHintsSession(hints, context);

      const evaluate = (view: RunView): Directive[] => {
        const findings: Finding[] = [];
        if (pending !== undefined) {
          const record = toTurnRecord(pending);
          pending = undefined;
          if (monitorSessions.length > 0) {
            const observed = toObservedTurn(record);
            for (const monitor of monitorSessions) {
              const found = monitor.session.observe(observed, view);
              if (found !== undefined) findings.push(...found);
            }
          }
        }
        const directives: Directive[] = findings.map((finding) => ({
          type: 'emit',
          event: {
            name: finding.event,
            policy: finding.monitor,
            message: finding.message,
            evidence: { ...finding.evidence, turn: finding.turn },
          },
        }));
        directives.push(...interventionSession.decide(findings, view));
        return directives;
      };

      // One loop per hook (no callback per budget): these run on every model and tool call.
      const sessions = budgetSessions.map(({ session: budget }) => budget);

      const session: ControllerSession = {
        beforeModel(view) {
          const directives: Directive[] = [];
          for (const budget of sessions) appendAll(directives, budget.beforeModel?.(view));
          directives.push(...evaluate(view));
          return directives.length > 0 ? directives : undefined;
        },
        afterModel(view, step) {
          const directives: Directive[] = [];
          for (const budget of sessions) appendAll(directives, budget.afterModel?.(view, step));
          const { message } = step;
          const logprobs = lowest(step.logprobs, 8);
          pending = {
            turn: view.turn,
            text: message.content,
            reasoning: message.reasoning ?? '',
            actions: message.toolCalls.map((call) => ({
              name: call.name,
              arguments: call.arguments,
            })),
            observations: [],
            finishReason: step.finishReason,
            usage: { inputTokens: step.usage.inputTokens, outputTokens: step.usage.outputTokens },
            ...(logprobs === undefined ? {} : { lowestLogprobs: logprobs }),
          };
          if (message.toolCalls.length === 0) directives.push(...evaluate(view));
          const hinted = hintsSession?.afterModel?.(view, step);
          if (hinted !== undefined) directives.push(...hinted);
          return directives.length > 0 ? directives : undefined;
        },
        onModelCallEnd(view, end) {
          const directives: Directive[] = [];
          for (const budget of sessions) appendAll(directives, budget.onModelCallEnd?.(view, end));
          return directives.length > 0 ? directives : undefined;
        },
        beforeForcedAnswer(view) {
          const directives: Directive[] = [];
          for (const budget of sessions) appendAll(directives, budget.beforeForcedAnswer?.(view));
          return directives.length > 0 ? directives : undefined;
        },
        beforeTool(view, call) {
          const directives: ToolDirective[] = [];
          for (const budget of sessions) appendAll(directives, budget.beforeTool?.(view, call));
          return directives.length > 0 ? directives : undefined;
        },
        afterTool(view, outcome) {
          const directives: Directive[] = [];
          for (const budget of sessions) appendAll(directives, budget.afterTool?.(view, outcome));
          pending?.observations.push(fromToolOutcome(outcome.call, outcome.result).observation);
          const hinted = hintsSession?.afterTool?.(view, outcome);
          if (hinted !== undefined) directives.push(...hinted);
          return directives.length > 0 ? directives : undefined;
        },
        onInterrupt: (view, interrupt) => interruptions.onInterrupt(view, interrupt),
        snapshot(): ControllerState {
          const budgetStates: Record<string, unknown> = {};
          for (const { name: key, session: s } of budgetSessions)
            budgetStates[key] = s.snapshot?.();
          const monitorStates: Record<string, unknown> = {};
          for (const { name: key, session: s } of monitorSessions)
            monitorStates[key] = s.snapshot();
          return {
            version: 1,
            budgets: budgetStates,
            monitors: monitorStates,
            interventions: interventionSession.snapshot(),
            pending:
              pending === undefined
                ? null
                : { ...pending, observations: [...pending.observations] },
          };
        },
      };
      if (hintsSession !== undefined) session.hints = (view) => hintsSession.hints(view);
      const { onInterrupts } = interruptions;
      if (onInterrupts !== undefined)
        session.onInterrupts = (view, interrupts) => onInterrupts(view, interrupts);
      return session;
    },
  };
}
