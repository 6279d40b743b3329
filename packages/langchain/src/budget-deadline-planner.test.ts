import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { createBudgetDeadlinePlanner, createController, type PlanOutcome } from '@reins/controller';
import { createSimulatedClock } from '@reins/core/testing';
import { createAgent, tool } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { textOf } from './convert-from-langchain-messages.js';
import type { ReinsEvent } from './reins-event.js';
import { reinsMiddleware } from './reins-middleware.js';
import { createRequestSpy } from './test-agent-parts.test-helpers.js';

// The same hand-made history and actions as the Reins loop's test of the planner.
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

/** An AI message calling one tool, billed 1000 output tokens ($0.1 at $100 per million). */
const calling = (name: string, args: Record<string, string>, id: string) => {
  const message = new AIMessage({
    content: '',
    tool_calls: [{ name, args, id, type: 'tool_call' }],
  });
  // Assigned after construction: this LangChain version types the constructor's field as undefined.
  return Object.assign(message, {
    usage_metadata: { input_tokens: 0, output_tokens: 1000, total_tokens: 1000 },
  });
};

describe('createBudgetDeadlinePlanner in LangChain createAgent', () => {
  it('chooses, re-plans once time is spent, and hides the tools the plan leaves out', async () => {
    const clock = createSimulatedClock();
    const searched: string[] = [];
    const search = tool(
      async ({ query }: { query: string }) => {
        searched.push(query);
        clock.advance(70_000);
        return `found ${query}`;
      },
      {
        name: 'search',
        description: 'Searches the code (slow).',
        schema: z.object({ query: z.string() }),
      },
    );
    const run = tool(async ({ command }: { command: string }) => `ran ${command}`, {
      name: 'run',
      description: 'Runs a command.',
      schema: z.object({ command: z.string() }),
    });
    const model = fakeModel()
      .respond(calling('search', { query: 'parser' }, 'call_1'))
      .respond(calling('search', { query: 'lexer' }, 'call_2'))
      .respond(calling('run', { command: 'pytest' }, 'call_3'))
      .respond(new AIMessage('Fixed.'));
    const planner = createBudgetDeadlinePlanner({
      capUsd: 1,
      deadlineMs: 100_000,
      actions,
      history,
    });
    const reins = reinsMiddleware(createController({ budget: [planner] }), {
      clock,
      cost: (usage) => ((usage.outputTokens ?? 0) * 100) / 1e6,
    });
    const events: ReinsEvent[] = [];
    reins.on('*', (event) => events.push(event));
    const spy = createRequestSpy();
    const agent = createAgent({ model, tools: [search, run], middleware: [reins, spy.middleware] });

    const result = await agent.invoke({ messages: [{ role: 'user', content: 'Fix the parser.' }] });

    // As in the Reins loop: thorough first; brief after the 70 s search; thorough again at 3 turns.
    expect(spy.requests.map((request) => request.modelSettings?.maxTokens)).toEqual([
      4000, 500, 500, 4000,
    ]);
    const chosen = events.filter((event) => event.type === 'plan.chosen');
    expect(chosen.map((event) => ('evidence' in event ? event.evidence : undefined))).toEqual([
      expect.objectContaining({ action: 'thorough', previous: null, 'pOnTime.thorough': 1 }),
      expect.objectContaining({
        action: 'brief',
        previous: 'thorough',
        elapsedSeconds: 70,
        spentUsd: 0.1,
        turnsDone: 1,
        'pOnTime.thorough': 0,
        'pOnTime.brief': expect.closeTo(0.5, 1),
      }),
      expect.objectContaining({ action: 'thorough', previous: 'brief', turnsDone: 3 }),
    ]);
    // The second search never ran: the plan denied it, naming the tools left.
    expect(searched).toEqual(['parser']);
    const texts = (result.messages as BaseMessage[]).map(
      (message) => `${message.getType()}: ${textOf(message.content)}`,
    );
    expect(
      texts.some((text) => text.includes("the plan 'brief' leaves only these tools: run.")),
    ).toBe(true);
    expect(texts.filter((text) => text.includes('use only these tools: run'))).toHaveLength(1);
    expect(texts.at(-1)).toBe('ai: Fixed.');
  });
});
