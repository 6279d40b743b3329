import { getConfig } from '@langchain/langgraph';

/** The config key of the checkpointer LangGraph gives each task (`CONFIG_KEY_CHECKPOINTER`). */
const checkpointerKey = '__pregel_checkpointer';

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
  /**
   * Super-steps between a model call and the end of its step's nodes: other middleware's
   * `afterModel` hooks, each a node of its own (0 before a tool call showed it).
   */
  readonly stepsAfterModel: number;
}

interface InvocationSteps {
  /** Step of the invocation's first model call. */
  readonly firstModelStep: number;
  /** Whether the invocation started a thread afresh (no checkpointer), its input at step -1. */
  readonly fresh: boolean;
  lastModelStep: number | undefined;
  stepsPerTurn: number | undefined;
  stepsAfterModel: number | undefined;
}

/** Per invocation (LangGraph's per-invocation run control object): the steps seen there. */
const invocations = new WeakMap<object, InvocationSteps>();

/**
 * Reads the current super-step and the invocation's `recursionLimit` from LangGraph's config,
 * and learns from the steps of model and tool calls how many nodes other middleware run per
 * turn. For an invocation whose input is written at step `start`, LangGraph raises
 * `GraphRecursionError` once step `start + recursionLimit + 1` has run, whether or not another
 * node would follow: the run can end gracefully up to step `start + recursionLimit`. Without a
 * checkpointer every invocation starts at step -1. With one, the start is placed before the
 * first model call by the nodes that precede a model call each turn (other middleware's
 * `beforeModel` hooks, measured once two turns were seen); other middleware's `beforeAgent`
 * hooks are not seen there (see {@link recursionLimitForTurns}).
 *
 * @param call - whether this is a model call or a tool call.
 * @returns the window, or `undefined` outside a LangGraph run.
 */
export function readRecursionWindow(call: 'model' | 'tool'): RecursionWindow | undefined {
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
    if (call === 'tool') return undefined;
    const checkpointer = (config.configurable as Record<string, unknown> | undefined)?.[
      checkpointerKey
    ];
    seen = {
      firstModelStep: step,
      fresh: checkpointer === undefined || checkpointer === null,
      lastModelStep: undefined,
      stepsPerTurn: undefined,
      stepsAfterModel: undefined,
    };
    if (typeof control === 'object' && control !== null) invocations.set(control, seen);
  }
  if (call === 'model') {
    if (seen.lastModelStep !== undefined && step > seen.lastModelStep) {
      seen.stepsPerTurn = step - seen.lastModelStep;
    }
    seen.lastModelStep = step;
  } else if (seen.stepsAfterModel === undefined && seen.lastModelStep !== undefined) {
    seen.stepsAfterModel = Math.max(0, step - seen.lastModelStep - 1);
  }
  const stepsPerTurn = seen.stepsPerTurn ?? 2;
  const stepsAfterModel = seen.stepsAfterModel ?? 0;
  const stepsBeforeModel =
    seen.stepsPerTurn === undefined ? 0 : Math.max(0, stepsPerTurn - 2 - stepsAfterModel);
  const start = seen.fresh ? -1 : seen.firstModelStep - stepsBeforeModel - 2;
  return { step, lastStep: start + limit, limit, stepsPerTurn, stepsAfterModel };
}

/**
 * Whether a model call at this step that asks for tools leaves room for the next model call
 * and the nodes that follow it (after which the run must be able to end).
 */
export function hasRoomForAnotherTurn(window: RecursionWindow): boolean {
  return window.step + window.stepsPerTurn + window.stepsAfterModel <= window.lastStep;
}

/** Super-steps of an agent around its model calls, as {@link agentStepsOf} counts them. */
export interface AgentSteps {
  /** Super-steps from one model call to the next: 2, plus 1 per `beforeModel` or `afterModel` node. */
  readonly perTurn: number;
  /** Super-steps before the first model call: 1 per `beforeAgent` or `beforeModel` node. */
  readonly beforeFirstModelCall: number;
  /** Super-steps after the last model call: 1 per `afterModel` or `afterAgent` node. */
  readonly afterLastModelCall: number;
}

/**
 * Counts the super-steps a `createAgent` agent spends around its model calls, from the nodes of
 * its graph: each `beforeAgent`, `beforeModel`, `afterModel` or `afterAgent` hook of a
 * middleware is a node of its own, run in a step of its own (Reins adds none).
 *
 * @param agent - the agent `createAgent` returned.
 * @returns the steps per turn, before the first model call and after the last one.
 * @example
 * ```ts
 * const agent = createAgent({ model, tools, middleware: [summarization, reins] });
 * await agent.invoke(input, { recursionLimit: recursionLimitForTurns(30, agentStepsOf(agent)) });
 * ```
 */
export function agentStepsOf(agent: { readonly graph: { readonly nodes: object } }): AgentSteps {
  const count = (suffix: string) =>
    Object.keys(agent.graph.nodes).filter((name) => name.endsWith(suffix)).length;
  const beforeAgent = count('.before_agent');
  const beforeModel = count('.before_model');
  const afterModel = count('.after_model');
  const afterAgent = count('.after_agent');
  return {
    perTurn: 2 + beforeModel + afterModel,
    beforeFirstModelCall: beforeAgent + beforeModel,
    afterLastModelCall: afterModel + afterAgent,
  };
}

/**
 * The `recursionLimit` that lets an agent make `turns` model calls with tools and then one more
 * decision (a final answer or the stop). createAgent's model and tool nodes cost 2 super-steps a
 * turn; each other middleware hook that LangGraph runs as a node costs one more step, per turn
 * (`beforeModel`, `afterModel`) or per invocation (`beforeAgent`, `afterAgent`): pass
 * {@link agentStepsOf}`(agent)` to count them.
 *
 * @param turns - the turn budget.
 * @param steps - the agent's steps ({@link agentStepsOf}), or only its super-steps per turn.
 * @returns the smallest `recursionLimit` for that many turns.
 * @example
 * ```ts
 * await agent.invoke(input, { recursionLimit: recursionLimitForTurns(30) }); // 62
 * await agent.invoke(input, { recursionLimit: recursionLimitForTurns(30, agentStepsOf(agent)) });
 * ```
 */
export function recursionLimitForTurns(turns: number, steps: number | AgentSteps = 2): number {
  if (typeof steps === 'number') return steps * turns + 2;
  return steps.perTurn * turns + steps.beforeFirstModelCall + steps.afterLastModelCall + 2;
}
