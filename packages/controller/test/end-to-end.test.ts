import {
  type ControllerEvent,
  createAgent,
  createMemoryCheckpointer,
  defineTool,
  type Message,
  type RunHandle,
} from '@reins/core';
import { createScriptedBackend, type ScriptedResponse } from '@reins/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCostBudget } from '../src/cost-budget.js';
import { createController } from '../src/create-controller.js';
import { createInterventionPolicy } from '../src/intervention-policy.js';
import { createStuckMonitor } from '../src/stuck-monitor.js';
import { createTurnBudget } from '../src/turn-budget.js';

const run = defineTool({
  name: 'run',
  description: 'Runs a command.',
  input: z.object({ command: z.string() }),
  execute: ({ command }) => (command === 'pytest' ? '1 failed in 0.12s' : `ran ${command}`),
});

const act = (command: string): ScriptedResponse => ({
  toolCalls: [{ name: 'run', arguments: { command } }],
});
const lastMessage = (messages: readonly Message[]) => messages.at(-1);
const lastText = (messages: readonly Message[]) => {
  const last = messages.at(-1);
  return last === undefined || last.role === 'tool' ? undefined : last.content;
};

/** Controller events of one name, as the run emits them. */
function controllerEvents(handle: RunHandle, name: string): ControllerEvent[] {
  const events: ControllerEvent[] = [];
  handle.on('*', (event) => {
    if (event.type === name && 'controller' in event) events.push(event);
  });
  return events;
}

describe('controller in the real loop', () => {
  it('tells the model the turns left before every call after a tool result, without storing it', async () => {
    const backend = createScriptedBackend({
      responses: [act('ls'), act('cat a.py'), act('pytest'), { text: 'Fixed.' }],
    });
    const controller = createController({ budget: createTurnBudget({ mode: 'fixed', limit: 5 }) });
    const agent = createAgent({ backend, tools: [run], controller });
    const result = await agent.run('Fix the bug.').result;
    expect(result.status).toBe('done');
    expect(backend.requests).toHaveLength(4);
    backend.requests.forEach((request, index) => {
      const last = lastMessage(request.messages);
      if (index === 0) expect(last?.role).toBe('user');
      else
        expect(last).toMatchObject({
          role: 'user',
          content: `You have ${5 - index} turns left to complete the task.`,
        });
    });
    const stored = result.messages.filter(
      (message) => message.role === 'user' && message.content.includes('turns left'),
    );
    expect(stored).toEqual([]);
    // The cached prefix is intact: each request starts with the whole previous request minus its reminder.
    const second = backend.requests[1]?.messages ?? [];
    const third = backend.requests[2]?.messages ?? [];
    expect(third.slice(0, second.length - 1)).toEqual(second.slice(0, -1));
  });

  it('stops at the limit, after asking for a final answer', async () => {
    const backend = createScriptedBackend({
      responses: Array.from({ length: 10 }, (_, index) => act(`step ${index}`)),
    });
    const agent = createAgent({
      backend,
      tools: [run],
      controller: createController({ budget: createTurnBudget({ mode: 'fixed', limit: 3 }) }),
    });
    const result = await agent.run('Do it.').result;
    // Three turns of work, then the final answer, asked for without tools.
    expect(result).toMatchObject({ status: 'stopped', reason: 'turn-budget', turns: 4 });
    expect(backend.requests[3]?.tools).toEqual([]);
  });

  it('grants the More-with-Less extension once when the initial budget runs out, then stops at the total', async () => {
    const backend = createScriptedBackend({
      responses: Array.from({ length: 20 }, (_, index) => act(`step ${index}`)),
    });
    const controller = createController({
      budget: createTurnBudget({ mode: 'dynamic', initial: 3, extension: 2 }),
    });
    const handle = createAgent({ backend, tools: [run], controller }).run('Do it.');
    const extended = controllerEvents(handle, 'budget.extended');
    const result = await handle.result;
    expect(extended.map((event) => event.turn)).toEqual([3]);
    expect(result).toMatchObject({ status: 'stopped', reason: 'turn-budget', turns: 6 });
    expect(lastText(backend.requests[3]?.messages ?? [])).toBe(
      'You have used up all turns but have not yet completed the task. You are granted an additional 2 turns.',
    );
  });

  it('does not extend a dynamic budget when the task is done, and ends the run done', async () => {
    const backend = createScriptedBackend({
      responses: Array.from({ length: 10 }, (_, index) => act(`step ${index}`)),
    });
    const controller = createController({
      budget: createTurnBudget({
        mode: 'dynamic',
        initial: 3,
        extension: 2,
        isDone: (view) => view.messages.length > 4,
      }),
    });
    const result = await createAgent({ backend, tools: [run], controller }).run('Do it.').result;
    expect(result).toMatchObject({ status: 'done', turns: 4 });
    expect(result.reason).toBeUndefined();
  });

  it('grants a request_extension made after progress and refuses one made while repeating', async () => {
    const ask = {
      toolCalls: [
        { name: 'request_extension', arguments: { turns: 4, reason: 'Tests almost pass.' } },
      ],
    };
    const budget = () =>
      createTurnBudget({ mode: 'fixed', limit: 4, maxTotal: 10, extensionTool: { window: 3 } });
    const progressing = createScriptedBackend({
      responses: [act('ls'), act('cat a.py'), act('pytest'), ask, { text: 'Done.' }],
    });
    const granted = await createAgent({
      backend: progressing,
      tools: [run],
      controller: createController({ budget: budget() }),
    }).run('Fix.').result;
    expect(granted.status).toBe('done');
    expect(progressing.requests[0]?.tools.map((tool) => tool.name)).toEqual([
      'run',
      'request_extension',
    ]);
    const grantedAnswer = granted.messages.find(
      (message) => message.role === 'tool' && message.toolName === 'request_extension',
    );
    expect(grantedAnswer).toMatchObject({
      result: { status: 'ok', output: 'Granted 4 more turns. You now have 4 turns left.' },
    });

    const repeating = createScriptedBackend({
      responses: [act('pytest'), act('pytest'), act('pytest'), ask, { text: 'Done.' }],
    });
    const handle = createAgent({
      backend: repeating,
      tools: [run],
      controller: createController({ budget: budget() }),
    }).run('Fix.');
    const refused = controllerEvents(handle, 'budget.refused');
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'stopped', reason: 'turn-budget', turns: 5 });
    expect(refused).toHaveLength(1);
    expect(refused[0]?.evidence).toMatchObject({ distinctActions: 1, window: 3, requested: 4 });
  });

  it('refuses the model call whose worst case would cross the cost cap', async () => {
    const backend = createScriptedBackend({
      responses: Array.from({ length: 10 }, (_, index) => ({
        ...act(`step ${index}`),
        usage: { inputTokens: 1000, outputTokens: 100 },
      })),
    });
    // $1 per million tokens either way, 2,000 max tokens: every call's worst case is ≥ $0.002.
    const controller = createController({
      budget: createCostBudget({
        capUsd: 0.005,
        prices: { 'scripted-1': { inputPerMillion: 1, outputPerMillion: 1 } },
        maxTokensPerCall: 2000,
      }),
    });
    const handle = createAgent({ backend, tools: [run], controller }).run('Do it.');
    const exhausted = controllerEvents(handle, 'budget.exhausted');
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'stopped', reason: 'cost-budget' });
    expect(backend.requests.every((request) => request.settings?.maxTokens === 2000)).toBe(true);
    // Spent + worst case of every call made stayed under the cap; the refused one would not have.
    const refusal = exhausted[0]?.evidence as {
      spentUsd: number;
      worstCaseUsd: number;
      capUsd: number;
    };
    expect(refusal.spentUsd + refusal.worstCaseUsd).toBeGreaterThan(refusal.capUsd);
    expect(result.usage.inputTokens + result.usage.outputTokens).toBeLessThanOrEqual(5000);
    expect(backend.requests.length).toBe(result.turns);
  });

  it('warns about, then stops, an agent stuck repeating one action', async () => {
    const backend = createScriptedBackend({
      responses: Array.from({ length: 30 }, () => act('pytest')),
    });
    const controller = createController({ monitors: [createStuckMonitor()] });
    const handle = createAgent({ backend, tools: [run], controller }).run('Make the tests pass.');
    const applied = controllerEvents(handle, 'intervention.applied');
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'stopped', reason: 'stuck' });
    expect(applied.map((event) => event.evidence.step)).toEqual(['warn', 'compact', 'stop']);
    const warnings = backend.requests
      .map((request) => lastMessage(request.messages))
      .filter(
        (message) =>
          message?.role === 'user' && message.content.startsWith('You appear to be stuck'),
      );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.role === 'user' && warnings[0].content).toContain('"command":"pytest"');
    expect(
      result.messages.some(
        (message) =>
          message.role === 'user' && message.content.startsWith('You appear to be stuck'),
      ),
    ).toBe(false);
    expect(
      result.messages.some(
        (message) => message.role === 'user' && message.content.startsWith('Summary of'),
      ),
    ).toBe(true);
  });

  it('continues its escalation after the run resumes in a new agent from a checkpoint', async () => {
    const checkpointer = createMemoryCheckpointer();
    const responses = Array.from({ length: 30 }, () => act('pytest'));
    const controller = () =>
      createController({
        monitors: [createStuckMonitor()],
        interventions: createInterventionPolicy({ escalation: { stuck: ['pause', 'stop'] } }),
      });
    const first = createAgent({
      backend: createScriptedBackend({ responses }),
      tools: [run],
      controller: controller(),
      checkpointer,
    });
    const handle = first.run('Make the tests pass.', { runId: 'resumable' });
    const paused = await new Promise<number>((resolve) =>
      handle.on('run.pause', (event) => resolve(event.turn)),
    );
    handle.abort('process restarts');
    await handle.result;
    // The last checkpoint before the abort is the paused one: reload it.
    const saved = await checkpointer.load('resumable');
    expect(saved?.controllerState).toBeDefined();
    const { result: _ended, ...paused_ } = saved as NonNullable<typeof saved>;
    await checkpointer.save({ ...paused_, status: 'paused' });
    const second = createAgent({
      backend: createScriptedBackend({ responses }),
      tools: [run],
      controller: controller(),
      checkpointer,
    });
    const resumed = await second.resume('resumable');
    const result = await resumed.result;
    // Without the restored ladder the resumed run would pause again; with it, it stops.
    expect(result).toMatchObject({ status: 'stopped', reason: 'stuck' });
    expect(result.turns).toBeGreaterThan(paused);
  });
});
