import { type ControllerEvent, createAgent, defineTool, InvalidOptionsError } from '@reins/core';
import { createScriptedBackend, createSimulatedClock } from '@reins/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBudgetDeadlinePlanner } from '../src/budget-deadline-planner.js';
import { createController } from '../src/create-controller.js';
import { createDeadlineBudget } from '../src/deadline-budget.js';
import type { PlanOutcome } from '../src/plan-action.js';

// Past runs, hand-made: 'thorough' always succeeds in 6 turns, $0.5 and 60 s; 'brief' succeeds
// half the time in 4 turns, $0.2 and 20 s.
const history: PlanOutcome[] = [
  { action: 'thorough', costUsd: 0.5, seconds: 60, turns: 6, succeeded: true },
  { action: 'thorough', costUsd: 0.5, seconds: 60, turns: 6, succeeded: true },
  { action: 'brief', costUsd: 0.2, seconds: 20, turns: 4, succeeded: true },
  { action: 'brief', costUsd: 0.2, seconds: 20, turns: 4, succeeded: false },
];
const actions = [
  { name: 'thorough', settings: { maxTokens: 4000 } },
  { name: 'brief', settings: { maxTokens: 500 }, tools: ['run'] },
];

function tools(clock: ReturnType<typeof createSimulatedClock>) {
  const search = defineTool({
    name: 'search',
    description: 'Searches the code (slow).',
    input: z.object({ query: z.string() }),
    execute: ({ query }) => {
      clock.advance(70_000);
      return `found ${query}`;
    },
  });
  const run = defineTool({
    name: 'run',
    description: 'Runs a command.',
    input: z.object({ command: z.string() }),
    execute: ({ command }) => `ran ${command}`,
  });
  return [search, run];
}

const call = (name: string, args: Record<string, string>) => ({
  toolCalls: [{ name, arguments: args }],
  usage: { costUsd: 0.1 },
});

describe('createBudgetDeadlinePlanner in the Reins loop', () => {
  it('chooses by the chance of finishing in time and budget, and re-plans once time is spent', async () => {
    const clock = createSimulatedClock();
    const backend = createScriptedBackend({
      clock,
      responses: [
        call('search', { query: 'parser' }),
        call('search', { query: 'lexer' }),
        call('run', { command: 'pytest' }),
        { text: 'Fixed.', usage: { costUsd: 0.1 } },
      ],
    });
    const planner = createBudgetDeadlinePlanner({
      capUsd: 1,
      deadlineMs: 100_000,
      actions,
      history,
    });
    const agent = createAgent({
      backend,
      clock,
      tools: tools(clock),
      controller: createController({ budget: [planner] }),
    });
    const handle = agent.run('Fix the parser.');
    const chosen: ControllerEvent[] = [];
    handle.on('*', (event) => {
      if (event.type === 'plan.chosen' && 'controller' in event) chosen.push(event);
    });
    const result = await handle.result;

    expect(result.status).toBe('done');
    // At the start: thorough succeeds within $1 and 100 s always, brief half the time.
    // After the 70 s search (1 turn done): thorough's rest (5/6 × 60 s = 50 s) ends at 120 s,
    // brief's (3/4 × 20 s = 15 s) at 85 s, so brief is chosen, and its settings follow. After
    // 3 turns thorough's rest (3/6 × 60 s = 30 s) ends at 100 s again, within the deadline.
    expect(backend.requests.map((request) => request.settings?.maxTokens)).toEqual([
      4000, 500, 500, 4000,
    ]);
    expect(chosen.map((event) => event.evidence)).toEqual([
      expect.objectContaining({
        action: 'thorough',
        previous: null,
        'pOnTime.thorough': 1,
        'pOnTime.brief': expect.closeTo(0.5, 1),
      }),
      expect.objectContaining({
        action: 'brief',
        previous: 'thorough',
        elapsedSeconds: 70,
        spentUsd: 0.1,
        turnsDone: 1,
        'pOnTime.thorough': 0,
        'pOnTime.brief': expect.closeTo(0.5, 1),
      }),
      expect.objectContaining({
        action: 'thorough',
        previous: 'brief',
        turnsDone: 3,
        'pOnTime.thorough': 1,
        spentUsd: 0.30000000000000004,
      }),
    ]);
    // The hidden tool is refused with the tools left; the model is told of them once.
    const toolMessages = result.messages.filter((message) => message.role === 'tool');
    expect(toolMessages.map((message) => message.result.status)).toEqual(['ok', 'error', 'ok']);
    expect(JSON.stringify(toolMessages[1])).toContain(
      "the plan 'brief' leaves only these tools: run.",
    );
    const notices = result.messages.filter(
      (message) => message.role === 'user' && message.content.includes('use only these tools: run'),
    );
    expect(notices).toHaveLength(1);
  });

  it('resumes with its plan from a snapshot', () => {
    const planner = createBudgetDeadlinePlanner({
      capUsd: 1,
      deadlineMs: 100_000,
      actions,
      history,
    });
    const view = {
      runId: 'r',
      task: 't',
      intentUpdates: [],
      messages: [],
      turn: 1,
      grantedTurns: 0,
      usage: {
        inputTokens: 0,
        cachedInputTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
        costUsd: 0.1,
      },
      startedAt: 0,
      now: 70_000,
      toolStats: {},
      model: {
        provider: 'p',
        modelId: 'm',
        capabilities: { toolCalls: true, reasoning: false, logprobs: false },
      },
    };
    const first = planner.open({ runId: 'r', task: 't' });
    first.beforeModel?.(view);
    const saved = first.snapshot?.();
    expect(saved).toEqual({ version: 1, action: 'brief', plannedAtTurn: 1 });
    const resumed = planner.open({ runId: 'r', task: 't', state: saved });
    expect(resumed.beforeModel?.({ ...view, turn: 1 })).toEqual([
      { type: 'model-settings', settings: { maxTokens: 500 }, source: 'planner' },
    ]);
    expect(resumed.beforeTool?.(view, { id: 'c', name: 'search', arguments: '{}' })).toHaveLength(
      1,
    );
  });

  it('plans reproducibly from its seed', () => {
    const view = {
      runId: 'r',
      task: 't',
      intentUpdates: [],
      messages: [],
      turn: 0,
      grantedTurns: 0,
      usage: {
        inputTokens: 0,
        cachedInputTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
        costUsd: 0,
      },
      startedAt: 0,
      now: 0,
      toolStats: {},
      model: {
        provider: 'p',
        modelId: 'm',
        capabilities: { toolCalls: true, reasoning: false, logprobs: false },
      },
    };
    const briefChance = (seed: number) => {
      const directives = createBudgetDeadlinePlanner({
        capUsd: 1,
        deadlineMs: 100_000,
        actions,
        history,
        seed,
      })
        .open({ runId: 'r', task: 't' })
        .beforeModel?.(view);
      const event = directives?.find((directive) => directive.type === 'emit');
      return event?.type === 'emit' ? event.event.evidence['pOnTime.brief'] : undefined;
    };
    // 1000 draws from createRandom(1 + 0) between brief's two past runs: 506 hit the successful one.
    expect(briefChance(1)).toBe(0.506);
    expect(briefChance(1)).toBe(0.506);
    expect(briefChance(2)).not.toBe(0.506);
  });

  it('works beside the deadline budget that enforces the limit', async () => {
    const clock = createSimulatedClock();
    const backend = createScriptedBackend({
      clock,
      responses: [call('search', { query: 'a' }), call('search', { query: 'b' }), { text: 'late' }],
    });
    const agent = createAgent({
      backend,
      clock,
      tools: tools(clock),
      controller: createController({
        budget: [
          createBudgetDeadlinePlanner({ capUsd: 1, deadlineMs: 100_000, actions, history }),
          createDeadlineBudget({ deadlineMs: 100_000, finalAnswer: 'none' }),
        ],
      }),
    });
    const result = await agent.run('Fix it.').result;
    // Second search denied (plan: brief), no time spent; the run ends by the model's answer.
    expect(result.status).toBe('done');
    expect(backend.requests).toHaveLength(3);
  });

  it('names the bad option and the fix', () => {
    const bad = (options: Partial<Parameters<typeof createBudgetDeadlinePlanner>[0]>) => {
      try {
        createBudgetDeadlinePlanner({ capUsd: 1, deadlineMs: 1000, actions, history, ...options });
      } catch (error) {
        expect(InvalidOptionsError.isInstance(error)).toBe(true);
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(bad({ capUsd: -2 })).toContain('capUsd is -2');
    expect(bad({ deadlineMs: 0 })).toContain('deadlineMs is 0');
    expect(bad({ actions: [] })).toContain('at least one action');
    expect(bad({ actions: [{ name: 'a' }, { name: 'a' }] })).toContain('"a" is empty or repeated');
    expect(bad({ history: [{ ...history[0], action: 'other' } as PlanOutcome] })).toContain(
      'history[0] names action "other", which is not one of the actions (thorough, brief)',
    );
    expect(bad({ history: [{ ...history[0], turns: 0 } as PlanOutcome] })).toContain('turns 0');
    expect(bad({ history: history.slice(0, 2) })).toContain("No past run used action 'brief'");
    expect(bad({ samples: 0.5 })).toContain('samples is 0.5');
  });
});
