import type {
  Controller,
  ControllerOpenContext,
  Directive,
  Interrupt,
  ModelCallEnd,
  ModelStep,
  RunView,
  ToolCall,
  ToolOutcome,
} from '@reins/core';
import { emptyUsage, InvalidOptionsError } from '@reins/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thrownAs } from '../../../scripts/thrown-by.js';
import { createView } from '../test/replay.js';
import { createController } from './create-controller.js';
import { ControllerStateError } from './errors/controller-state-error.js';
import type { HintsSession, SessionHintsPolicy } from './hints-session.js';
import type { InterruptionPolicy } from './interruption-policy.js';
import type { InterventionPolicy } from './intervention-policy.js';
import type { Monitor } from './monitor.js';
import { createStuckMonitor } from './stuck-monitor.js';
import { createTurnBudget } from './turn-budget.js';
import type { TurnRecord } from './turn-record.js';

/** What `run` threw, as an InvalidOptionsError (any other outcome fails the test). */
const refusal = (run: () => unknown) => thrownAs(InvalidOptionsError, run);

/** A custom event, tagged with who emitted it and from which hook. */
const tagged = (policy: string, hook: string): Directive => ({
  type: 'emit',
  event: { name: `custom.${hook}`, policy, message: `${policy} in ${hook}`, evidence: {} },
});

/** Interventions that never intervene, so that a hook's directives are the parts' own. */
const noInterventions: InterventionPolicy = {
  name: 'none',
  open: () => ({ decide: () => [], snapshot: () => null }),
};

/** A budget whose every hook answers with one event naming the budget and the hook. */
function talkingBudget(name: string): Controller {
  return {
    name,
    open: () => ({
      beforeModel: () => [tagged(name, 'beforeModel')],
      afterModel: () => [tagged(name, 'afterModel')],
      onModelCallEnd: () => [tagged(name, 'onModelCallEnd')],
      beforeForcedAnswer: () => [tagged(name, 'beforeForcedAnswer')],
      beforeTool: () => [tagged(name, 'beforeTool')],
      afterTool: () => [tagged(name, 'afterTool')],
    }),
  };
}

/** A monitor that records every turn it is handed and reports each as a finding. */
function recordingMonitor(name = 'recorder') {
  const seen: TurnRecord[] = [];
  const monitor: Monitor = {
    name,
    open: () => ({
      observe(turn) {
        seen.push(turn.record);
        return [
          {
            monitor: name,
            category: 'stuck',
            pattern: 'seen',
            event: 'custom.seen',
            message: `Saw turn ${turn.record.turn}.`,
            turn: turn.record.turn,
            evidence: { hasAction: turn.hasAction },
          },
        ];
      },
      snapshot: () => null,
    }),
  };
  return { monitor, seen };
}

const call: ToolCall = { id: 'call_1', name: 'bash', arguments: '{"command":"ls"}' };

function modelStep(
  options: {
    content?: string;
    reasoning?: string;
    toolCalls?: ToolCall[];
    logprobs?: readonly number[];
    inputTokens?: number;
    outputTokens?: number;
  } = {},
): ModelStep {
  const toolCalls = options.toolCalls ?? [];
  return {
    message: {
      role: 'assistant',
      content: options.content ?? '',
      toolCalls,
      ...(options.reasoning === undefined ? {} : { reasoning: options.reasoning }),
    },
    finishReason: toolCalls.length > 0 ? 'tool-calls' : 'stop',
    usage: {
      ...emptyUsage,
      inputTokens: options.inputTokens ?? 0,
      outputTokens: options.outputTokens ?? 0,
      costUsd: 0.5,
    },
    durationMs: 10,
    ...(options.logprobs === undefined
      ? {}
      : {
          logprobs: options.logprobs.map((logprob, index) => ({ token: `t${index}`, logprob })),
        }),
  };
}

const callEnd: ModelCallEnd = {
  outcome: 'completed',
  forced: false,
  reportedUsage: undefined,
  outputBytes: 0,
  restarts: 0,
};

const outcome: ToolOutcome = {
  call,
  result: { status: 'error', error: { code: 'exit-1', message: 'no such file' } },
  durationMs: 5,
};

const interrupt: Interrupt = {
  id: 'i-1',
  kind: 'revision',
  text: 'Use Python 3.12.',
  urgency: 'next-turn',
  receivedAt: 0,
  turn: 1,
};

/** The view at model call `turn`. */
function viewAt(turn: number): RunView {
  const view = createView();
  view.turn = turn;
  return view;
}

describe('createController options', () => {
  it("is named 'reins' unless named, and names itself when a saved state cannot be read", () => {
    expect(createController().name).toBe('reins');
    expect(createController({ name: 'ops' }).name).toBe('ops');
    const unreadable = () =>
      createController().open({ runId: 'r', task: 't', state: { version: 9 } });
    expect(unreadable).toThrow(ControllerStateError);
    expect(unreadable).toThrow(
      "The saved state of 'reins' has version 9; this controller reads version 1. Resume the run with the controller configuration and package version that started it, or start a new run.",
    );
  });

  it('refuses a budget without open(), naming its place and the budgets to use', () => {
    const budgetFactories =
      'use createTurnBudget(), createTokenBudget(), createCostBudget(), createDeadlineBudget() or fromHistory().';
    expect(
      refusal(() =>
        createController({
          budget: [createTurnBudget({ mode: 'fixed', limit: 5 }), {} as Controller],
        }),
      ),
    ).toMatchObject({
      field: 'budget[1]',
      message: `budget[1] has no open() method; ${budgetFactories}`,
    });
    // a single budget is the first of one; null has no open() either (and does not crash)
    expect(
      refusal(() => createController({ budget: null as unknown as Controller })),
    ).toMatchObject({
      field: 'budget[0]',
      message: `budget[0] has no open() method; ${budgetFactories}`,
    });
  });

  it('refuses a monitor without open(), naming its place and the monitors to use', () => {
    const monitorFactories =
      'use createStuckMonitor(), createDriftMonitor(), createOverthinkingMonitor() or createFailurePredictor().';
    expect(
      refusal(() =>
        createController({ monitors: [createStuckMonitor(), undefined as unknown as Monitor] }),
      ),
    ).toMatchObject({
      field: 'monitors[1]',
      message: `monitors[1] has no open() method; ${monitorFactories}`,
    });
    expect(
      refusal(() => createController({ monitors: [{ name: 'half' } as unknown as Monitor] })),
    ).toMatchObject({ field: 'monitors[0]' });
  });

  it('refuses two budgets of one name, whose saved states would collide', () => {
    expect(
      refusal(() => createController({ budget: [talkingBudget('turns'), talkingBudget('turns')] })),
    ).toMatchObject({
      field: 'budgets',
      message:
        "Two budgets are named 'turns'; their saved states would collide. Give each a distinct name option.",
    });
  });

  it('refuses interruptions without onInterrupt and hints without hints(), saying what they need', () => {
    expect(
      refusal(() => createController({ interruptions: {} as unknown as InterruptionPolicy })),
    ).toMatchObject({
      field: 'interruptions',
      message:
        'interruptions needs an onInterrupt(view, interrupt) method returning directives or undefined.',
    });
    expect(
      refusal(() =>
        createController({ hints: { hint: () => undefined } as unknown as SessionHintsPolicy }),
      ),
    ).toMatchObject({
      field: 'hints',
      message:
        'hints needs a hints(view) method returning SchedulingHints or undefined, or false for none.',
    });
    expect(() => createController({ hints: false })).not.toThrow();
  });
});

describe('createController composition', () => {
  it('opens each budget with the run id, the task and the model when it is known', () => {
    const contexts: ControllerOpenContext[] = [];
    const budget: Controller = {
      name: 'listener',
      open: (context) => {
        contexts.push(context);
        return {};
      },
    };
    const controller = createController({ budget });
    controller.open({
      runId: 'run-7',
      task: 'Fix it.',
      model: { provider: 'scripted', modelId: 'm-1' },
    });
    controller.open({ runId: 'run-8', task: 'Fix that.' });
    expect(contexts).toStrictEqual([
      { runId: 'run-7', task: 'Fix it.', model: { provider: 'scripted', modelId: 'm-1' } },
      { runId: 'run-8', task: 'Fix that.' },
    ]);
  });

  it('asks every budget, in order, on every hook and returns their directives in that order', () => {
    const session = createController({
      budget: [talkingBudget('first'), talkingBudget('second')],
      interventions: noInterventions,
      hints: false,
    }).open({ runId: 'run-1', task: 'Fix the bug.' });
    const view = viewAt(1);
    const both = (hook: string) => [tagged('first', hook), tagged('second', hook)];
    expect(session.beforeModel?.(view)).toEqual(both('beforeModel'));
    expect(session.onModelCallEnd?.(view, callEnd)).toEqual(both('onModelCallEnd'));
    expect(session.afterModel?.(view, modelStep({ toolCalls: [call] }))).toEqual(
      both('afterModel'),
    );
    expect(session.beforeTool?.(view, call)).toEqual(both('beforeTool'));
    expect(session.afterTool?.(view, outcome)).toEqual(both('afterTool'));
    expect(session.beforeForcedAnswer?.(view)).toEqual(both('beforeForcedAnswer'));
  });

  it('returns undefined from every hook when no part has anything to say', () => {
    const silent: Controller = { name: 'silent', open: () => ({}) };
    const session = createController({
      budget: silent,
      interventions: noInterventions,
      hints: false,
    }).open({ runId: 'run-1', task: 'Fix the bug.' });
    const view = viewAt(1);
    // a tool outcome before any model step (a session resumed mid-turn) has no turn to join
    expect(session.afterTool?.(view, outcome)).toBeUndefined();
    expect(session.beforeModel?.(view)).toBeUndefined();
    expect(session.onModelCallEnd?.(view, callEnd)).toBeUndefined();
    expect(session.afterModel?.(view, modelStep({ toolCalls: [call] }))).toBeUndefined();
    expect(session.beforeTool?.(view, call)).toBeUndefined();
    expect(session.afterTool?.(view, outcome)).toBeUndefined();
    expect(session.beforeForcedAnswer?.(view)).toBeUndefined();
    expect(session.afterModel?.(viewAt(2), modelStep({ content: 'Done.' }))).toBeUndefined();
    expect(session.hints).toBeUndefined();
    // a budget session without snapshot() saves nothing, and the snapshot still succeeds
    expect(session.snapshot?.()).toMatchObject({ version: 1, budgets: { silent: undefined } });
  });

  it('hands each completed turn to the monitors once, as its TurnRecord, when the next call is prepared', () => {
    const { monitor, seen } = recordingMonitor();
    const session = createController({
      monitors: [monitor],
      interventions: noInterventions,
      hints: false,
    }).open({ runId: 'run-1', task: 'Fix the bug.' });
    const step = modelStep({
      content: 'Listing.',
      reasoning: 'Where is the file?',
      toolCalls: [call],
      inputTokens: 1_200,
      outputTokens: 34,
    });
    // a turn with a tool call is not complete until its results are in
    expect(session.afterModel?.(viewAt(1), step)).toBeUndefined();
    expect(seen).toEqual([]);
    session.afterTool?.(viewAt(1), outcome);
    const directives = session.beforeModel?.(viewAt(1));
    expect(seen).toStrictEqual([
      {
        turn: 1,
        text: 'Listing.',
        reasoning: 'Where is the file?',
        actions: [{ name: 'bash', arguments: '{"command":"ls"}' }],
        observations: [{ name: 'bash', status: 'error', text: 'Error (exit-1): no such file' }],
        finishReason: 'tool-calls',
        usage: { inputTokens: 1_200, outputTokens: 34 },
      },
    ]);
    expect(directives).toEqual([
      {
        type: 'emit',
        event: {
          name: 'custom.seen',
          policy: 'recorder',
          message: 'Saw turn 1.',
          evidence: { hasAction: true, turn: 1 },
        },
      },
    ]);
    // seen once: the next call's preparation has nothing new
    expect(session.beforeModel?.(viewAt(1))).toBeUndefined();
    expect(seen).toHaveLength(1);
  });

  it('evaluates a final answer (no tool calls) at once, leaving out empty reasoning', () => {
    const { monitor, seen } = recordingMonitor();
    const session = createController({
      monitors: [monitor],
      interventions: noInterventions,
      hints: false,
    }).open({ runId: 'run-1', task: 'Fix the bug.' });
    const directives = session.afterModel?.(
      viewAt(1),
      modelStep({ content: 'Done.', reasoning: '', inputTokens: 7, outputTokens: 2 }),
    );
    expect(directives).toEqual([
      {
        type: 'emit',
        event: {
          name: 'custom.seen',
          policy: 'recorder',
          message: 'Saw turn 1.',
          evidence: { hasAction: false, turn: 1 },
        },
      },
    ]);
    session.afterModel?.(viewAt(2), modelStep({ content: 'Still done.' }));
    expect(seen).toStrictEqual([
      {
        turn: 1,
        text: 'Done.',
        actions: [],
        observations: [],
        finishReason: 'stop',
        usage: { inputTokens: 7, outputTokens: 2 },
      },
      {
        turn: 2,
        text: 'Still done.',
        actions: [],
        observations: [],
        finishReason: 'stop',
        usage: { inputTokens: 0, outputTokens: 0 },
      },
    ]);
  });

  it('gives monitors the eight lowest token log-probabilities, ascending', () => {
    const lowestSeen = (logprobs: readonly number[] | undefined) => {
      const { monitor, seen } = recordingMonitor();
      const session = createController({ monitors: [monitor], hints: false }).open({
        runId: 'run-1',
        task: 'Fix the bug.',
      });
      session.afterModel?.(
        viewAt(1),
        modelStep({ content: 'Done.', ...(logprobs === undefined ? {} : { logprobs }) }),
      );
      return seen[0] as TurnRecord;
    };
    // 14 tokens; sorted: −8, −7, −6, −5, −4, −3, −2.5, −2 | −1, −0.5, −0.3, −0.2, −0.1, −0.05.
    // The later −8, −6 and −2.5 each displace the highest of the eight kept so far.
    const answer = [-0.5, -3, -0.1, -2, -7, -0.2, -1, -4, -0.05, -5, -8, -0.3, -6, -2.5];
    expect(lowestSeen(answer).lowestLogprobs).toStrictEqual([-8, -7, -6, -5, -4, -3, -2.5, -2]);
    // fewer than eight: all of them, ascending
    expect(lowestSeen([-0.25, -1.5, -0.75]).lowestLogprobs).toStrictEqual([-1.5, -0.75, -0.25]);
    // unknown and empty log-probabilities are both left out of the record
    expect('lowestLogprobs' in lowestSeen(undefined)).toBe(false);
    expect('lowestLogprobs' in lowestSeen([])).toBe(false);
  });

  it('keeps the eight lowest of any answer (property)', () => {
    // log-probabilities in thousandths, −20 to 0, with ties
    const logprob = fc.integer({ min: -20_000, max: 0 }).map((milli) => milli / 1000);
    fc.assert(
      fc.property(fc.array(logprob, { minLength: 1, maxLength: 40 }), (logprobs) => {
        const { monitor, seen } = recordingMonitor();
        const session = createController({ monitors: [monitor], hints: false }).open({
          runId: 'run-1',
          task: 'Fix the bug.',
        });
        session.afterModel?.(viewAt(1), modelStep({ content: 'Done.', logprobs }));
        const ascending = [...logprobs].sort((a, b) => a - b);
        expect(seen[0]?.lowestLogprobs).toStrictEqual(ascending.slice(0, 8));
      }),
      { numRuns: 200 },
    );
  });

  it("passes the hints session's own directives on after model and tool calls", () => {
    const hintsSession: HintsSession = {
      hints: (view) => ({ programId: view.runId, turn: view.turn, ttlMs: 1_234 }),
      afterModel: () => [tagged('hinter', 'afterModel')],
      afterTool: () => [tagged('hinter', 'afterTool')],
    };
    const hints: SessionHintsPolicy = { open: () => hintsSession, hints: () => undefined };
    const session = createController({
      budget: talkingBudget('budget'),
      interventions: noInterventions,
      hints,
    }).open({ runId: 'run-1', task: 'Fix the bug.' });
    expect(session.hints?.(viewAt(2))).toEqual({ programId: 'run-1', turn: 2, ttlMs: 1_234 });
    expect(session.afterModel?.(viewAt(2), modelStep({ toolCalls: [call] }))).toEqual([
      tagged('budget', 'afterModel'),
      tagged('hinter', 'afterModel'),
    ]);
    expect(session.afterTool?.(viewAt(2), outcome)).toEqual([
      tagged('budget', 'afterTool'),
      tagged('hinter', 'afterTool'),
    ]);
  });

  it("applies interruptions through the policy's onInterrupt, and offers onInterrupts only when it has one", () => {
    const revised: Directive = {
      type: 'inject',
      role: 'user',
      content: 'Update from the user: Use Python 3.12.',
      ephemeral: false,
      source: 'updates',
    };
    const merged: Directive = { ...revised, content: 'Updates from the user: both.' };
    const single: InterruptionPolicy = { onInterrupt: () => [revised] };
    const session = createController({ interruptions: single }).open({ runId: 'r', task: 't' });
    expect(session.onInterrupt?.(viewAt(1), interrupt)).toEqual([revised]);
    expect(session.onInterrupts).toBeUndefined();

    const seen: (readonly Interrupt[])[] = [];
    const batching: InterruptionPolicy = {
      onInterrupt: () => [revised],
      onInterrupts: (_view, interrupts) => {
        seen.push(interrupts);
        return [merged];
      },
    };
    const batched = createController({ interruptions: batching }).open({ runId: 'r', task: 't' });
    expect(batched.onInterrupts?.(viewAt(1), [interrupt, interrupt])).toEqual([merged]);
    expect(seen).toEqual([[interrupt, interrupt]]);
  });
});
