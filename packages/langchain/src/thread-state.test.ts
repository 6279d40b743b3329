import { AIMessage } from '@langchain/core/messages';
import { MemorySaver } from '@langchain/langgraph';
import { createController, createTurnBudget } from '@reins/controller';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import { textOf } from './convert-from-langchain-messages.js';
import { reinsMiddleware } from './reins-middleware.js';
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
});
