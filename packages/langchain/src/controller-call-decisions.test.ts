import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { Command } from '@langchain/langgraph';
import { createController } from '@reins/controller';
import type { Controller, Directive, ToolDirective, ToolOutcome } from '@reins/core';
import { createAgent, tool } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { textOf } from './convert-from-langchain-messages.js';
import { reinsMiddleware } from './reins-middleware.js';
import { createEchoTool, createRequestSpy } from './test-agent-parts.test-helpers.js';

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });
const texts = (messages: readonly BaseMessage[]) =>
  messages.map((message) => `${message.getType()}: ${textOf(message.content)}`);

/** createAgent with the echo tool, Reins over `controller`, and a request spy after Reins. */
function echoAgent(model: ReturnType<typeof fakeModel>, controller: Controller) {
  const { echo, calls } = createEchoTool();
  const spy = createRequestSpy();
  const agent = createAgent({
    model,
    tools: [echo],
    middleware: [reinsMiddleware(controller), spy.middleware],
  });
  return { agent, spy, calls };
}

/** A controller that returns `directive` from `beforeModel` at one turn only. */
function beforeModelAt(turn: number, directive: Directive): Controller {
  return {
    name: directive.type,
    open: () => {
      let turns = 0;
      return { beforeModel: () => (++turns === turn ? [directive] : undefined) };
    },
  };
}

/** A controller that answers `beforeTool` with `decide` and records every tool outcome. */
function toolPolicy(decide: (name: string) => ToolDirective[] | undefined) {
  const outcomes: ToolOutcome[] = [];
  const controller: Controller = {
    name: 'policy',
    open: () => ({
      beforeTool: (_view, call) => decide(call.name),
      afterTool: (_view, outcome) => {
        outcomes.push(outcome);
        return undefined;
      },
    }),
  };
  return { controller, outcomes };
}

/** A tool that never answers (a hung command) and one that fails. */
const hung = tool(() => new Promise<string>(() => {}), {
  name: 'hang',
  description: 'Never answers.',
  schema: z.object({}),
});
const failing = tool(
  async () => {
    throw new Error('disk full');
  },
  { name: 'fail', description: 'Fails.', schema: z.object({}) },
);

describe('what the controller decides about a call, in createAgent', () => {
  it('ends a tool call after the timeout the controller set, as an error it sees as tool-timeout', async () => {
    const { echo } = createEchoTool();
    const { controller, outcomes } = toolPolicy(() => [
      { type: 'timeout', ms: 30, source: 'policy' },
    ]);
    const model = fakeModel()
      .respondWithTools([{ name: 'hang', args: {}, id: 'call_hang' }])
      .respondWithTools([{ name: 'echo', args: { text: 'quick' }, id: 'call_echo' }])
      .respond(new AIMessage('Done.'));
    const agent = createAgent({
      model,
      tools: [hung, echo],
      middleware: [reinsMiddleware(controller)],
    });

    const result = await agent.invoke(ask('Run both.'));

    const timedOut = result.messages.find(
      (message) => ToolMessage.isInstance(message) && message.tool_call_id === 'call_hang',
    ) as ToolMessage;
    expect(timedOut.status).toBe('error');
    expect(timedOut.name).toBe('hang');
    expect(textOf(timedOut.content)).toBe(
      "Tool 'hang' timed out after 30 ms (set by the controller).",
    );
    // A call that answers within its timeout passes through unchanged.
    const quick = result.messages.find(
      (message) => ToolMessage.isInstance(message) && message.tool_call_id === 'call_echo',
    ) as ToolMessage;
    expect(textOf(quick.content)).toBe('echo: quick');
    expect(outcomes.map(({ call, result: outcome }) => [call.name, outcome])).toEqual([
      [
        'hang',
        {
          status: 'error',
          error: {
            code: 'tool-timeout',
            message: "Tool 'hang' timed out after 30 ms (set by the controller).",
          },
        },
      ],
      ['echo', { status: 'ok', output: 'echo: quick' }],
    ]);
    expect(textOf(result.messages.at(-1)?.content ?? '')).toBe('Done.');
  });

  it("lets a tool's own failure end the run as LangChain ends it when a timeout was set, and shows it to the controller", async () => {
    const { controller, outcomes } = toolPolicy(() => [
      { type: 'timeout', ms: 60_000, source: 'policy' },
    ]);
    const model = fakeModel()
      .respondWithTools([{ name: 'fail', args: {}, id: 'call_fail' }])
      .respond(new AIMessage('Gave up.'));
    const agent = createAgent({
      model,
      tools: [failing],
      middleware: [reinsMiddleware(controller)],
    });

    await expect(agent.invoke(ask('Try.'))).rejects.toThrow('disk full');

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.result).toEqual({
      status: 'error',
      error: { code: 'tool-execution', message: 'disk full' },
    });
  });

  it('answers a call to a tool the controller offered but did not answer as tool-unavailable', async () => {
    const offered: Directive = {
      type: 'offer-tools',
      tools: [
        { name: 'ask_budget', description: 'Asks for budget.', inputSchema: { type: 'object' } },
      ],
      source: 'offers',
    };
    const outcomes: ToolOutcome[] = [];
    const controller: Controller = {
      name: 'offers',
      open: () => ({
        beforeModel: () => [offered],
        afterTool: (_view, outcome) => {
          outcomes.push(outcome);
          return undefined;
        },
      }),
    };
    const model = fakeModel()
      .respondWithTools([{ name: 'ask_budget', args: {}, id: 'call_budget' }])
      .respond(new AIMessage('Fine.'));
    const { agent, spy } = echoAgent(model, controller);

    const result = await agent.invoke(ask('Go.'));

    expect(spy.requests[0]?.tools).toEqual(['echo', 'ask_budget']);
    const unanswered = result.messages.find(ToolMessage.isInstance) as ToolMessage;
    const message =
      "Tool 'ask_budget' is offered by the controller and was not answered by it on this turn.";
    expect(unanswered.status).toBe('error');
    expect(textOf(unanswered.content)).toBe(message);
    expect(outcomes[0]?.result).toEqual({
      status: 'error',
      error: { code: 'tool-unavailable', message },
    });
  });
});

describe("the controller's settings for the next model call", () => {
  it('sends its token cap, temperature, tool choice and log-probabilities with the next call only', async () => {
    const settings: Directive = {
      type: 'model-settings',
      settings: {
        maxTokens: 100,
        temperature: 0.2,
        toolChoice: 'none',
        logprobs: { topLogprobs: 3 },
      },
      source: 'tuner',
    };
    const controller = beforeModelAt(1, settings);
    const model = fakeModel()
      .respondWithTools([{ name: 'echo', args: { text: 'one' }, id: 'call_one' }])
      .respond(new AIMessage('Done.'));
    const { agent, spy } = echoAgent(model, controller);

    await agent.invoke(ask('Echo one.'));

    expect(spy.requests[0]?.modelSettings).toMatchObject({
      maxTokens: 100,
      temperature: 0.2,
      logprobs: true,
      topLogprobs: 3,
    });
    expect(spy.requests[0]?.toolChoice).toBe('none');
    expect(spy.requests[1]?.modelSettings).not.toHaveProperty('maxTokens');
    expect(spy.requests[1]?.modelSettings).not.toHaveProperty('logprobs');
    expect(spy.requests[1]?.toolChoice).toBeUndefined();
  });

  it("sends the cache key only when promptCacheKey is on, and the hints' provider extras always", async () => {
    const hints = createController({
      hints: {
        hints: (view) => ({
          programId: view.runId,
          turn: view.turn,
          cacheKey: 'prefix-7',
          extra: { priority: 2 },
        }),
      },
    });
    const settingsOf = async (promptCacheKey: boolean) => {
      const spy = createRequestSpy();
      const agent = createAgent({
        model: fakeModel().respond(new AIMessage('hi')),
        tools: [],
        middleware: [reinsMiddleware(hints, { promptCacheKey }), spy.middleware],
      });
      await agent.invoke(ask('Hello.'));
      return spy.requests[0]?.modelSettings;
    };

    expect(await settingsOf(true)).toMatchObject({ promptCacheKey: 'prefix-7', priority: 2 });
    const without = await settingsOf(false);
    expect(without).toMatchObject({ priority: 2 });
    expect(without).not.toHaveProperty('promptCacheKey');
  });

  it("marks a cache breakpoint with cacheControl 'auto' for an Anthropic model only", async () => {
    const hints = createController({
      hints: { hints: (view) => ({ programId: view.runId, turn: view.turn, ttlMs: 120_000 }) },
    });
    const lastContent = async (provider: string) => {
      const spy = createRequestSpy();
      const agent = createAgent({
        model: fakeModel().respond(new AIMessage('hi')),
        tools: [],
        middleware: [
          reinsMiddleware(hints, { cacheControl: 'auto', model: { provider, modelId: 'm' } }),
          spy.middleware,
        ],
      });
      await agent.invoke(ask('Hello.'));
      return spy.requests[0]?.rawMessages.at(-1)?.content;
    };

    expect(await lastContent('anthropic')).toEqual([
      { type: 'text', text: 'Hello.', cache_control: { type: 'ephemeral', ttl: '5m' } },
    ]);
    expect(await lastContent('openai')).toBe('Hello.');
  });
});

describe('a compaction the controller decides', () => {
  it('rewrites the stored history with the summary in place of the compacted messages, before the next call', async () => {
    const compact: Directive = {
      type: 'compact',
      from: 1,
      to: 5,
      summary: 'Echoed one and two.',
      source: 'compactor',
    };
    const controller = beforeModelAt(3, compact);
    const model = fakeModel()
      .respondWithTools([{ name: 'echo', args: { text: 'one' }, id: 'call_one' }])
      .respondWithTools([{ name: 'echo', args: { text: 'two' }, id: 'call_two' }])
      .respond(new AIMessage('Done.'));
    const { agent, spy } = echoAgent(model, controller);

    const result = await agent.invoke(ask('Echo one, then two.'));

    expect(spy.requests[2]?.messages.map((message) => message.text)).toEqual([
      'Echo one, then two.',
      'Echoed one and two.',
    ]);
    expect(texts(result.messages)).toEqual([
      'human: Echo one, then two.',
      'human: Echoed one and two.',
      'ai: Done.',
    ]);
    expect(result.messages[1]?.additional_kwargs.reins_origin).toEqual({
      kind: 'controller',
      source: 'compaction',
    });
  });
});

describe('what the controller sees of a tool that answers with a Command', () => {
  it("shows the tool message the Command writes for the call, as LangGraph's state gets it", async () => {
    const { controller, outcomes } = toolPolicy(() => undefined);
    const remember = tool(
      async ({ note }: { note: string }, config) => {
        const written = new ToolMessage({
          content: `Noted: ${note}`,
          tool_call_id: (config as { toolCall: { id: string } }).toolCall.id,
          name: 'remember',
        });
        // A Command's update is an object of channels, or a list of channel and value pairs.
        return new Command({
          update: note.startsWith('port') ? { messages: [written] } : [['messages', written]],
        });
      },
      { name: 'remember', description: 'Keeps a note.', schema: z.object({ note: z.string() }) },
    );
    const model = fakeModel()
      .respondWithTools([{ name: 'remember', args: { note: 'port 5433' }, id: 'call_note' }])
      .respondWithTools([{ name: 'remember', args: { note: 'user alice' }, id: 'call_user' }])
      .respond(new AIMessage('Both noted.'));
    const agent = createAgent({
      model,
      tools: [remember],
      middleware: [reinsMiddleware(controller)],
    });

    const result = await agent.invoke(ask('Note the port and the user.'));

    expect(texts(result.messages).filter((text) => text.startsWith('tool'))).toEqual([
      'tool: Noted: port 5433',
      'tool: Noted: user alice',
    ]);
    expect(outcomes.map((outcome) => outcome.result)).toEqual([
      { status: 'ok', output: 'Noted: port 5433' },
      { status: 'ok', output: 'Noted: user alice' },
    ]);
  });
});

describe('a run the controller ends after a model call that called tools', () => {
  /** Stops with a forced final answer after the first model call. */
  const stopAfterFirstCall: Controller = {
    name: 'cap',
    open: () => {
      let calls = 0;
      return {
        afterModel: (): Directive[] | undefined =>
          ++calls === 1
            ? [
                {
                  type: 'stop',
                  reason: 'cost-budget',
                  message: 'The cost cap is reached.',
                  finalAnswer: 'force',
                  answerMaxTokens: 64,
                  source: 'cap',
                },
              ]
            : undefined,
      };
    },
  };

  it('keeps the call and its cancelled tool calls in the history, in order, before the forced answer', async () => {
    // LangChain's fake model answers with the text of the last message it was given.
    const model = fakeModel()
      .respondWithTools([{ name: 'echo', args: { text: 'one' }, id: 'call_one' }])
      .respond(new AIMessage('The answer, from what I know.'));
    const { agent, spy, calls } = echoAgent(model, stopAfterFirstCall);

    const result = await agent.invoke(ask('Echo one.'));

    expect(calls).toEqual([]);
    expect(model.callCount).toBe(2);
    expect(spy.requests[1]?.messages.slice(-3)).toEqual([
      { type: 'ai', text: 'Echo one.' },
      {
        type: 'tool',
        text: 'Cancelled: The run ended before the call finished: The cost cap is reached.',
      },
      {
        type: 'human',
        text: 'The cost cap is reached. Give your final answer now, from what you know, without calling tools.',
      },
    ]);
    expect(spy.requests[1]?.toolChoice).toBeUndefined();
    expect(spy.requests[1]?.modelSettings?.maxTokens).toBe(64);
    expect(spy.requests[0]?.modelSettings?.maxTokens).toBeUndefined();
    expect(texts(result.messages).slice(1)).toEqual([
      'ai: Echo one.',
      'tool: Cancelled: The run ended before the call finished: The cost cap is reached.',
      'ai: The answer, from what I know.',
    ]);
    const [, called, cancelled] = result.messages;
    expect((called as AIMessage).tool_calls?.map((call) => call.id)).toEqual(['call_one']);
    expect((cancelled as ToolMessage).tool_call_id).toBe('call_one');
  });

  it('cancels the calls of a forced answer that still calls tools and ends with the stop message', async () => {
    const model = fakeModel()
      .respondWithTools([{ name: 'echo', args: { text: 'one' }, id: 'call_one' }])
      .respondWithTools([{ name: 'echo', args: { text: 'two' }, id: 'call_two' }])
      .respond(new AIMessage('never reached'));
    const { agent, calls } = echoAgent(model, stopAfterFirstCall);

    const result = await agent.invoke(ask('Echo.'));

    expect(calls).toEqual([]);
    expect(model.callCount).toBe(2);
    // Every tool call is followed by its cancellation, and the stop message ends the run.
    expect(
      result.messages
        .slice(1)
        .map((message) =>
          ToolMessage.isInstance(message)
            ? `tool ${message.tool_call_id} ${message.status}`
            : `ai ${((message as AIMessage).tool_calls ?? []).map((call) => call.id).join(',')}`,
        ),
    ).toEqual(['ai call_one', 'tool call_one error', 'ai call_two', 'tool call_two error', 'ai ']);
    expect(texts(result.messages).at(-1)).toBe(
      'ai: Run stopped (cost-budget): The cost cap is reached.',
    );
    expect(result.messages.at(-1)?.response_metadata.reins_stop).toEqual({
      status: 'stopped',
      reason: 'cost-budget',
      source: 'cap',
    });
  });
});
