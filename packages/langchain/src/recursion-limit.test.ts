import { AIMessage } from '@langchain/core/messages';
import { GraphRecursionError, getConfig, MemorySaver } from '@langchain/langgraph';
import { createController, createTurnBudget } from '@reins/controller';
import { createAgent, createMiddleware } from 'langchain';
import { describe, expect, it } from 'vitest';
import { textOf } from './convert-from-langchain-messages.js';
import { agentStepsOf, recursionLimitForTurns } from './recursion-window.js';
import type { ReinsEvent } from './reins-event.js';
import { reinsMiddleware } from './reins-middleware.js';
import { createEchoTool, ToolHungryModel } from './test-agent-parts.test-helpers.js';

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

const toolHungryModel = (toolTurns: number) => new ToolHungryModel(toolTurns);

/** Records the LangGraph super-step of every model call. */
function createStepSpy() {
  const steps: number[] = [];
  const middleware = createMiddleware({
    name: 'StepSpy',
    wrapModelCall: (request, handler) => {
      steps.push(getConfig().metadata?.langgraph_step as number);
      return handler(request);
    },
  });
  return { middleware, steps };
}

function runWithBudget(limit: number, recursionLimit?: number) {
  const { echo } = createEchoTool();
  const model = toolHungryModel(limit + 20);
  const reins = reinsMiddleware(
    createController({ budget: createTurnBudget({ mode: 'fixed', limit, reminder: false }) }),
  );
  const events: ReinsEvent[] = [];
  reins.on('*', (event) => events.push(event));
  const agent = createAgent({ model, tools: [echo], middleware: [reins] });
  const result = agent.invoke(
    ask('Keep echoing.'),
    recursionLimit === undefined ? {} : { recursionLimit },
  );
  return { model, events, result };
}

describe('reinsMiddleware and LangGraph recursionLimit', () => {
  it('costs the same super-steps per turn as createAgent alone', async () => {
    const without = createStepSpy();
    await createAgent({
      model: toolHungryModel(5),
      tools: [createEchoTool().echo],
      middleware: [without.middleware],
    }).invoke(ask('Keep echoing.'));
    const withReins = createStepSpy();
    const reins = reinsMiddleware(createController());
    await createAgent({
      model: toolHungryModel(5),
      tools: [createEchoTool().echo],
      middleware: [reins, withReins.middleware],
    }).invoke(ask('Keep echoing.'));

    expect(without.steps).toEqual([1, 3, 5, 7, 9, 11]);
    expect(withReins.steps).toEqual(without.steps);
  });

  it('lets createAgent alone raise GraphRecursionError at its 13th model call under the default limit', async () => {
    const model = toolHungryModel(40);
    const agent = createAgent({ model, tools: [createEchoTool().echo] });
    await expect(agent.invoke(ask('Keep echoing.'))).rejects.toBeInstanceOf(GraphRecursionError);
    expect(model.callCount).toBe(13);
  });

  it("stops a budget of 8 turns after 8 model calls and the final answer with LangChain's default recursionLimit", async () => {
    const { model, events, result } = runWithBudget(8);
    const final = await result;
    // 8 turns, then the final answer the budget asks for, without tools.
    expect(model.callCount).toBe(9);
    expect(model.toolsSeen.at(-1)).toBe(0);
    expect(textOf(final.messages.at(-1)?.content ?? '')).toBe('Final answer from what I found.');
    expect(events.find((event) => event.type === 'run.stop')).toMatchObject({
      reason: 'turn-budget',
    });
  });

  it("ends a budget of 12 turns at exactly 12 model calls with LangChain's default recursionLimit, the last one the answer", async () => {
    const { model, events, result } = runWithBudget(12);
    const final = await result;
    // createAgent alone completes 12 model calls before GraphRecursionError; Reins makes the
    // 12th, in the last step after which the run can end, a final answer without tools.
    expect(model.callCount).toBe(12);
    expect(model.toolsSeen.at(-1)).toBe(0);
    expect(textOf(final.messages.at(-1)?.content ?? '')).toBe('Final answer from what I found.');
    expect(events.find((event) => event.type === 'run.stop')).toMatchObject({
      reason: 'recursion-limit',
    });
  });

  it('ends each invocation of a checkpointed thread gracefully, the later ones starting at a later super-step', async () => {
    const model = toolHungryModel(100);
    const reins = reinsMiddleware(
      createController({
        budget: createTurnBudget({ mode: 'fixed', limit: 100, reminder: false }),
      }),
    );
    const stops: ReinsEvent[] = [];
    reins.on('run.stop', (event) => stops.push(event));
    const spy = createStepSpy();
    const agent = createAgent({
      model,
      tools: [createEchoTool().echo],
      middleware: [reins, spy.middleware],
      checkpointer: new MemorySaver(),
    });
    const config = { configurable: { thread_id: 'long-thread' } };

    const callsPerInvocation: number[] = [];
    const firstSteps: number[] = [];
    for (const request of ['Keep echoing.', 'Echo some more.', 'And more.']) {
      const before = model.callCount;
      firstSteps.push(spy.steps.length);
      const final = await agent.invoke(ask(request), config);
      callsPerInvocation.push(model.callCount - before);
      expect(textOf(final.messages.at(-1)?.content ?? '')).toBe('Final answer from what I found.');
    }

    // Every invocation has the same 25 super-steps from where its input is written.
    expect(callsPerInvocation).toEqual([12, 12, 12]);
    const startSteps = firstSteps.map((index) => spy.steps[index]);
    expect(startSteps[1]).toBeGreaterThan(24);
    expect(stops.map((event) => event.type === 'run.stop' && event.reason)).toEqual([
      'recursion-limit',
      'recursion-limit',
      'recursion-limit',
    ]);
  });

  for (const limit of [30, 100]) {
    it(`ends a budget of ${limit} turns gracefully at the default recursionLimit, with a final answer and an event naming it`, async () => {
      const { model, events, result } = runWithBudget(limit);
      const final = await result;
      // 11 tool turns and the answer fit in the 24 super-steps after which a run can end.
      expect(model.callCount).toBe(12);
      expect(model.toolsSeen.at(-1)).toBe(0);
      const last = final.messages.at(-1);
      expect(AIMessage.isInstance(last) && (last.tool_calls ?? []).length).toBe(0);
      expect(textOf(last?.content ?? '')).toBe('Final answer from what I found.');
      const stop = events.find((event) => event.type === 'run.stop');
      expect(stop).toMatchObject({ reason: 'recursion-limit', source: 'langgraph' });
      expect(stop?.type === 'run.stop' && stop.message).toMatch(/recursionLimit of 25/);
    });

    it(`stops a budget of ${limit} turns after ${limit} model calls and the final answer with recursionLimit raised to recursionLimitForTurns(${limit})`, async () => {
      const { model, events, result } = runWithBudget(limit, recursionLimitForTurns(limit));
      const final = await result;
      expect(model.callCount).toBe(limit + 1);
      expect(model.toolsSeen.at(-1)).toBe(0);
      expect(textOf(final.messages.at(-1)?.content ?? '')).toBe('Final answer from what I found.');
      expect(events.filter((event) => event.type === 'run.stop')).toHaveLength(1);
    });
  }

  describe('with another middleware whose hooks add graph nodes', () => {
    type Hook = 'beforeAgent' | 'beforeModel' | 'afterModel';
    /** A middleware with hooks that LangGraph runs as nodes of their own, each a super-step. */
    const nodeMiddleware = (hooks: readonly Hook[]) =>
      createMiddleware({
        name: `Nodes_${hooks.join('_')}`,
        ...Object.fromEntries(hooks.map((hook) => [hook, () => undefined])),
      });
    const shapes: readonly (readonly Hook[])[] = [
      ['beforeModel'],
      ['afterModel'],
      ['beforeModel', 'afterModel'],
      ['beforeAgent'],
      ['beforeAgent', 'beforeModel', 'afterModel'],
    ];

    for (const hooks of shapes) {
      for (const recursionLimit of [25, 26, 27]) {
        for (const checkpointed of hooks.includes('beforeAgent') ? [false] : [false, true]) {
          it(`ends gracefully with a ${hooks.join(' and ')} node, recursionLimit ${recursionLimit}${checkpointed ? ', on a checkpointed thread' : ''}, after the most model calls that can end`, async () => {
            const config = {
              recursionLimit,
              ...(checkpointed ? { configurable: { thread_id: 'nodes' } } : {}),
            };
            const spy = createStepSpy();
            await expect(
              createAgent({
                model: toolHungryModel(100),
                tools: [createEchoTool().echo],
                middleware: [nodeMiddleware(hooks), spy.middleware],
                ...(checkpointed ? { checkpointer: new MemorySaver() } : {}),
              }).invoke(ask('Keep echoing.'), config),
            ).rejects.toBeInstanceOf(GraphRecursionError);
            // A run can end once its last node ran by step recursionLimit - 1: the answer's
            // step, then its afterModel node.
            const after = hooks.includes('afterModel') ? 1 : 0;
            const most = spy.steps.filter((step) => step + after <= recursionLimit - 1).length;

            const model = toolHungryModel(100);
            const reins = reinsMiddleware(
              createController({
                budget: createTurnBudget({ mode: 'fixed', limit: 100, reminder: false }),
              }),
            );
            const events: ReinsEvent[] = [];
            reins.on('run.stop', (event) => events.push(event));
            const final = await createAgent({
              model,
              tools: [createEchoTool().echo],
              middleware: [nodeMiddleware(hooks), reins],
              ...(checkpointed ? { checkpointer: new MemorySaver() } : {}),
            }).invoke(ask('Keep echoing.'), config);

            expect(events).toMatchObject([{ reason: 'recursion-limit' }]);
            expect(textOf(final.messages.at(-1)?.content ?? '')).toBe(
              'Final answer from what I found.',
            );
            expect(model.callCount).toBe(most);
          });
        }
      }
    }

    it('stops a budget at exactly its turns with recursionLimitForTurns(turns, agentStepsOf(agent))', async () => {
      const hooks: readonly Hook[] = ['beforeAgent', 'beforeModel', 'afterModel'];
      const model = toolHungryModel(100);
      const reins = reinsMiddleware(
        createController({
          budget: createTurnBudget({ mode: 'fixed', limit: 10, reminder: false }),
        }),
      );
      const events: ReinsEvent[] = [];
      reins.on('run.stop', (event) => events.push(event));
      const agent = createAgent({
        model,
        tools: [createEchoTool().echo],
        middleware: [nodeMiddleware(hooks), reins],
      });
      const steps = agentStepsOf(agent);

      const final = await agent.invoke(ask('Keep echoing.'), {
        recursionLimit: recursionLimitForTurns(10, steps),
      });

      expect(steps).toEqual({ perTurn: 4, beforeFirstModelCall: 2, afterLastModelCall: 1 });
      expect(model.callCount).toBe(11);
      expect(events).toMatchObject([{ reason: 'turn-budget' }]);
      expect(textOf(final.messages.at(-1)?.content ?? '')).toBe('Final answer from what I found.');
      // One turn fewer of room and the run no longer fits: the limit is the smallest.
      const tight = toolHungryModel(100);
      const tightReins = reinsMiddleware(
        createController({
          budget: createTurnBudget({ mode: 'fixed', limit: 10, reminder: false }),
        }),
      );
      const tightEvents: ReinsEvent[] = [];
      tightReins.on('run.stop', (event) => tightEvents.push(event));
      await createAgent({
        model: tight,
        tools: [createEchoTool().echo],
        middleware: [nodeMiddleware(hooks), tightReins],
      }).invoke(ask('Keep echoing.'), { recursionLimit: recursionLimitForTurns(10, steps) - 1 });
      expect(tightEvents).toMatchObject([{ reason: 'recursion-limit' }]);
    });
  });
});
