import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { MemorySaver } from '@langchain/langgraph';
import {
  createController,
  createInterventionPolicy,
  createStuckMonitor,
  createTurnBudget,
} from '@reins/controller';
import type { Controller } from '@reins/core';
import { createAgent, tool } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { textOf } from './convert-from-langchain-messages.js';
import { reinsMiddleware } from './reins-middleware.js';
import type { ReinsThreadState } from './reins-thread-state.js';
import { createEchoTool, ToolHungryModel } from './test-agent-parts.test-helpers.js';

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

/** A tool-hungry model whose `failAt`-th call throws. */
class FailingModel extends ToolHungryModel {
  constructor(private readonly failAt: number) {
    super();
  }
  override async _generate(...args: Parameters<ToolHungryModel['_generate']>) {
    if (this.callCount + 1 === this.failAt) {
      this.callCount += 1;
      throw new Error('Model server unavailable.');
    }
    return super._generate(...args);
  }
}

describe('reinsMiddleware keeps each thread in its own graph state', () => {
  it('keeps each run to its budget when many run at once with a cache of one run', async () => {
    const reins = reinsMiddleware(
      createController({ budget: createTurnBudget({ mode: 'fixed', limit: 2, reminder: false }) }),
      { maxRuns: 1 },
    );
    const models = [1, 2, 3].map(() => new ToolHungryModel());
    const runs = models.map((model, index) =>
      createAgent({
        model,
        tools: [createEchoTool().echo],
        middleware: [reins],
        checkpointer: new MemorySaver(),
      }).invoke(ask(`Task ${index}.`), { configurable: { thread_id: `thread-${index}` } }),
    );

    const results = await Promise.all(runs);

    // Two turns each, then the final answer the budget asks for.
    expect(models.map((model) => model.callCount)).toEqual([3, 3, 3]);
    for (const result of results) {
      expect(textOf(result.messages.at(-1)?.content ?? '')).toBe('Final answer from what I found.');
    }
  });

  it('stores the latest write of parallel tool calls, whatever order LangGraph applies them in', async () => {
    // The first call finishes last: LangGraph applies the step's writes in call order, so the
    // last write applied is the earliest one made.
    const delays: Record<string, number> = { slow: 60, middle: 30, fast: 1 };
    const wait = tool(
      async ({ name }: { name: string }) => {
        await new Promise((resolve) => setTimeout(resolve, delays[name]));
        return `waited ${name}`;
      },
      { name: 'wait', description: 'Waits.', schema: z.object({ name: z.string() }) },
    );
    const model = fakeModel()
      .respondWithTools([
        { name: 'wait', args: { name: 'slow' }, id: 'call_slow' },
        { name: 'wait', args: { name: 'middle' }, id: 'call_middle' },
        { name: 'wait', args: { name: 'fast' }, id: 'call_fast' },
      ])
      .respond(new AIMessage('All done.'));
    const agent = createAgent({
      model,
      tools: [wait],
      middleware: [reinsMiddleware(createController())],
      checkpointer: new MemorySaver(),
    });
    const config = { configurable: { thread_id: 'parallel' } };

    await agent.invoke(ask('Wait three ways.'), config);

    const afterTools: { seq: number; calls: number }[] = [];
    for await (const checkpoint of agent.graph.getStateHistory(config)) {
      const stored = (checkpoint.values as { _reins?: ReinsThreadState })._reins;
      if (checkpoint.next.includes('model_request') && stored?.toolStats.wait !== undefined) {
        afterTools.push({ seq: stored.seq, calls: stored.toolStats.wait.calls });
      }
    }
    expect(afterTools).toHaveLength(1);
    expect(afterTools[0]?.calls).toBe(3);
  });

  it('leaves nothing behind when the model throws: interruptions and the next invocation work', async () => {
    const model = new FailingModel(2);
    const reins = reinsMiddleware(
      createController({ budget: createTurnBudget({ mode: 'fixed', limit: 3, reminder: false }) }),
    );
    const agent = createAgent({
      model,
      tools: [createEchoTool().echo],
      middleware: [reins],
      checkpointer: new MemorySaver(),
    });
    const config = { configurable: { thread_id: 'B' } };

    await expect(agent.invoke(ask('Echo.'), config)).rejects.toThrow('Model server unavailable.');
    expect(() =>
      reins.interrupt({ kind: 'addition', text: 'Be brief.' }, { threadId: 'B' }),
    ).not.toThrow();
    // The failed step wrote nothing: resuming counts the failed call's turn once, not twice.
    const resumed = await agent.invoke(null, config);

    expect(resumed.messages.map((message) => textOf(message.content))).toContain('Be brief.');
    // Turn 1 before the failure, turns 2 and 3 and the final answer after it: the budget holds.
    expect(model.callCount).toBe(5);
    expect(textOf(resumed.messages.at(-1)?.content ?? '')).toBe('Final answer from what I found.');
    // Three turns of the model and its final answer.
    expect(resumed.messages.filter((message) => AIMessage.isInstance(message))).toHaveLength(4);
  });

  it('keeps one run in memory through parallel tool calls of one step: no restore, every call counted', async () => {
    const { echo, calls } = createEchoTool();
    const model = fakeModel()
      .respondWithTools([
        { name: 'echo', args: { text: 'a' } },
        { name: 'echo', args: { text: 'b' } },
        { name: 'echo', args: { text: 'c' } },
      ])
      .respondWithTools([{ name: 'echo', args: { text: 'd' } }])
      .respond(new AIMessage('Echoed four.'));
    const toolCalls: number[] = [];
    const counting: Controller = {
      name: 'counting',
      open: () => ({
        beforeModel(view) {
          toolCalls.push(view.toolStats.echo?.calls ?? 0);
          return undefined;
        },
      }),
    };
    const reins = reinsMiddleware(counting);
    const starts: boolean[] = [];
    reins.on('run.start', (event) => starts.push(event.resumed));
    const agent = createAgent({
      model,
      tools: [echo],
      middleware: [reins],
      checkpointer: new MemorySaver(),
    });

    const result = await agent.invoke(ask('Echo a, b, c, then d.'), {
      configurable: { thread_id: 'parallel' },
    });

    expect(calls).toEqual(['a', 'b', 'c', 'd']);
    // One run, never restored from the state: every parallel call found it in memory.
    expect(starts).toEqual([false]);
    expect(toolCalls).toEqual([0, 3, 4]);
    expect(textOf(result.messages.at(-1)?.content ?? '')).toBe('Echoed four.');
  });

  it('continues a paused run when its thread is invoked again: the budget and the monitors go on', async () => {
    // Every turn repeats the same action and observation: the stuck monitor fires after 4, and
    // its first intervention pauses the run. The turn budget allows 7 turns in all.
    const controller = () =>
      createController({
        budget: createTurnBudget({ mode: 'fixed', limit: 7, reminder: false }),
        monitors: [createStuckMonitor()],
        interventions: createInterventionPolicy({ escalation: { stuck: ['pause', 'warn'] } }),
      });
    const checkpointer = new MemorySaver();
    const config = { configurable: { thread_id: 'paused' } };
    const invoke = async (input: Parameters<ReturnType<typeof createAgent>['invoke']>[0]) => {
      const model = new ToolHungryModel(Number.POSITIVE_INFINITY, () => 'same');
      const reins = reinsMiddleware(controller());
      const events: { type: string; turn: number; runId: string; detail?: unknown }[] = [];
      reins.on('*', (event) => {
        if (['run.start', 'run.stop', 'stuck.detected'].includes(event.type))
          events.push({
            type: event.type,
            turn: event.turn,
            runId: event.runId,
            detail:
              'status' in event ? event.status : 'resumed' in event ? event.resumed : undefined,
          });
      });
      const agent = createAgent({
        model,
        tools: [createEchoTool().echo],
        middleware: [reins],
        checkpointer,
      });
      const result = await agent.invoke(input, config);
      return { model, events, result };
    };

    const first = await invoke(ask('Echo the same thing.'));

    expect(first.model.callCount).toBe(4);
    expect(textOf(first.result.messages.at(-1)?.content ?? '')).toMatch(
      /^Run paused \(interventions\)/,
    );
    expect(first.events.map(({ type, turn, detail }) => [type, turn, detail])).toEqual([
      ['run.start', 0, false],
      ['stuck.detected', 4, undefined],
      ['run.stop', 4, 'paused'],
    ]);

    // A new process's middleware continues the same thread without a new message.
    const second = await invoke({ messages: [] });

    const runId = first.events[0]?.runId;
    expect(second.events[0]).toMatchObject({ type: 'run.start', runId, turn: 4, detail: true });
    // The monitor's window went on: turn 5 is the fifth repeat in a row (a fresh window would
    // need four more turns, past the budget).
    expect(second.events.filter((event) => event.type === 'stuck.detected')[0]).toMatchObject({
      turn: 5,
      runId,
    });
    // The budget went on: turns 5 to 7, then the final answer.
    expect(second.model.callCount).toBe(4);
    expect(textOf(second.result.messages.at(-1)?.content ?? '')).toBe(
      'Final answer from what I found.',
    );
    expect(second.events.at(-1)).toMatchObject({ type: 'run.stop', turn: 7, detail: 'stopped' });
  });
});
