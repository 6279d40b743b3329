import { getConfig } from '@langchain/langgraph';

/** LangGraph's `recursionLimit` when the invocation does not set one. */
export const defaultRecursionLimit = 25;

/** Where the current super-step stands against the invocation's `recursionLimit`. */
export interface RecursionWindow {
  /** The current super-step (`langgraph_step`). */
  readonly step: number;
  /**
   * The last super-step after which the invocation can still end: LangGraph raises
   * `GraphRecursionError` after the step that follows it, even when no node would run next.
   */
  readonly lastStep: number;
  /** The invocation's `recursionLimit`. */
  readonly limit: number;
  /** Super-steps one turn (model call to model call) took in this invocation, 2 before known. */
  readonly stepsPerTurn: number;
}

interface InvocationSteps {
  readonly firstStep: number;
  lastModelStep: number | undefined;
  stepsPerTurn: number;
}

/** Per invocation (LangGraph's per-invocation run control object): the steps seen there. */
const invocations = new WeakMap<object, InvocationSteps>();

/**
 * Reads the current super-step and the invocation's `recursionLimit` from LangGraph's config.
 * For an invocation whose input is written at step `start`, LangGraph raises
 * `GraphRecursionError` once step `start + recursionLimit + 1` has run, whether or not another
 * node would follow; createAgent's first node runs at `start + 2`. An invocation first seen at
 * step `s` can therefore end gracefully up to step `s + recursionLimit - 2` (one or two steps
 * fewer than LangGraph allows when the invocation resumes a thread, never more).
 *
 * @param atModelCall - whether this is a model call (turns are measured between model calls).
 * @returns the window, or `undefined` outside a LangGraph run.
 */
export function readRecursionWindow(atModelCall: boolean): RecursionWindow | undefined {
  let config: ReturnType<typeof getConfig> | undefined;
  try {
    config = getConfig();
  } catch {
    return undefined;
  }
  const step = (config?.metadata as Record<string, unknown> | undefined)?.langgraph_step;
  if (config === undefined || typeof step !== 'number') return undefined;
  const limit = config.recursionLimit ?? defaultRecursionLimit;
  const control = (config as { control?: unknown }).control;
  let seen = typeof control === 'object' && control !== null ? invocations.get(control) : undefined;
  if (seen === undefined) {
    seen = { firstStep: step, lastModelStep: undefined, stepsPerTurn: 2 };
    if (typeof control === 'object' && control !== null) invocations.set(control, seen);
  }
  if (atModelCall) {
    if (seen.lastModelStep !== undefined && step > seen.lastModelStep) {
      seen.stepsPerTurn = step - seen.lastModelStep;
    }
    seen.lastModelStep = step;
  }
  return { step, lastStep: seen.firstStep + limit - 2, limit, stepsPerTurn: seen.stepsPerTurn };
}

/** Whether a model call at this step that asks for tools leaves room for the next model call. */
export function hasRoomForAnotherTurn(window: RecursionWindow): boolean {
  return window.step + window.stepsPerTurn <= window.lastStep;
}

/**
 * The `recursionLimit` that lets an agent make `turns` model calls with tools and then one more
 * decision (a final answer or the stop), when each turn costs `stepsPerTurn` super-steps:
 * createAgent's model and tool nodes cost 2; each other middleware hook that adds a node per
 * turn (`beforeModel`, `afterModel`) adds 1.
 *
 * @param turns - the turn budget.
 * @param stepsPerTurn - super-steps per turn.
 * @returns the smallest `recursionLimit` for that many turns.
 * @example
 * ```ts
 * await agent.invoke(input, { recursionLimit: recursionLimitForTurns(30) }); // 62
 * ```
 */
export function recursionLimitForTurns(turns: number, stepsPerTurn = 2): number {
  return stepsPerTurn * turns + 2;
}
