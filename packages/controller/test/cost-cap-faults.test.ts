/**
 * The hard cost cap under faults, against a real streaming HTTP server on loopback. The true
 * spend of every cell is computed from what the server actually wrote to the connection (and
 * the prompts it received), with the worst case of a byte-level tokenizer: one token per UTF-8
 * byte. It must never exceed the cap (a server that ignores `max_tokens` may overshoot by one
 * streamed chunk at most), and every reservation must be released when the runs end.
 */
import {
  type AgentOptions,
  type Controller,
  createAgent,
  defineTool,
  type RunHandle,
} from '@reins/core';
import { createOpenAICompatible } from '@reins/openai';
import {
  type ChatCompletionsServer,
  createChatCompletionsServer,
  type ScriptedCompletion,
} from '@reins/openai/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCostBudget } from '../src/cost-budget.js';
import { type CostLedger, createCostLedger } from '../src/cost-ledger.js';
import { createController } from '../src/create-controller.js';
import { MissingPriceError } from '../src/errors/missing-price-error.js';
import { createTurnBudget } from '../src/turn-budget.js';

const model = 'cap-test-1';
const price = { inputPerMillion: 2, outputPerMillion: 8 };
const prices = { [model]: price };
const encoder = new TextEncoder();
const bytes = (text: unknown) => (typeof text === 'string' ? encoder.encode(text).length : 0);

let server: ChatCompletionsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Prompt tokens of a request, one per UTF-8 byte of every message, plus 4 per message. */
function promptTokensOf(body: Record<string, unknown> | undefined): number {
  let tokens = 0;
  for (const message of (body?.messages ?? []) as Record<string, unknown>[]) {
    tokens += 4 + bytes(message.content);
    for (const call of (message.tool_calls ?? []) as { function: Record<string, unknown> }[])
      tokens += bytes(call.function.name) + bytes(call.function.arguments);
  }
  return tokens;
}

/** Completion tokens the server sent: one per UTF-8 byte of every streamed delta. */
function sentTokensOf(sent: readonly Record<string, unknown>[]): number {
  let tokens = 0;
  for (const chunk of sent) {
    const choices = (chunk.choices ?? []) as { delta?: Record<string, unknown> }[];
    const delta = choices[0]?.delta ?? {};
    tokens += bytes(delta.content) + bytes(delta.reasoning_content);
    for (const call of (delta.tool_calls ?? []) as { function?: Record<string, unknown> }[])
      tokens += bytes(call.function?.name) + bytes(call.function?.arguments);
  }
  return tokens;
}

/** What the server's requests truly cost, from what it received and sent. */
function trueSpendUsd(running: ChatCompletionsServer): number {
  let usd = 0;
  for (const request of running.requests) {
    usd += (promptTokensOf(request.body) * price.inputPerMillion) / 1e6;
    usd += (sentTokensOf(request.sent) * price.outputPerMillion) / 1e6;
  }
  return usd;
}

/** The output limit a request asked for, if any. */
function maxTokensOf(body: Record<string, unknown> | undefined): number | undefined {
  const value = body?.max_tokens ?? body?.max_completion_tokens;
  return typeof value === 'number' ? value : undefined;
}

interface Reply {
  /** Answer text, streamed one code point per chunk. */
  readonly text?: string;
  /** A tool call to make. */
  readonly tool?: string;
}

interface ServerBehaviour {
  /** Send a usage chunk at the end. @defaultValue true */
  readonly usage?: boolean;
  /** Stop at `max_tokens` (counted in UTF-8 bytes). @defaultValue true */
  readonly honourMaxTokens?: boolean;
  /** Delay before each chunk. @defaultValue 0 */
  readonly delayMs?: number;
}

/** A scripted completion for `reply`, as a byte-level tokenizer would stream it. */
function completionFor(
  body: Record<string, unknown> | undefined,
  reply: Reply,
  behaviour: ServerBehaviour,
): ScriptedCompletion {
  const limit = behaviour.honourMaxTokens === false ? undefined : maxTokensOf(body);
  const tokens: { token: string; logprob: number }[] = [];
  let output = 0;
  let cut = false;
  for (const character of reply.text ?? '') {
    const size = bytes(character);
    if (limit !== undefined && output + size > limit) {
      cut = true;
      break;
    }
    output += size;
    tokens.push({ token: character, logprob: -0.1 });
  }
  const argumentsText = '{"n":1}';
  const withTool = reply.tool !== undefined && !cut;
  if (withTool) output += bytes(reply.tool) + bytes(argumentsText);
  return {
    tokens,
    ...(withTool ? { toolCalls: [{ name: reply.tool as string, arguments: argumentsText }] } : {}),
    ...(cut ? { finishReason: 'length' } : {}),
    ...(behaviour.usage === false
      ? {}
      : { usage: { promptTokens: promptTokensOf(body), completionTokens: output } }),
    chunkSize: 64,
    ...(behaviour.delayMs === undefined ? {} : { delayMs: behaviour.delayMs }),
  };
}

async function startServer(
  replyTo: (body: Record<string, unknown> | undefined, index: number) => Reply,
  behaviour: ServerBehaviour = {},
): Promise<ChatCompletionsServer> {
  let index = 0;
  server = await createChatCompletionsServer({
    fallback: (body) => completionFor(body, replyTo(body, index++), behaviour),
  });
  return server;
}

const step = defineTool({
  name: 'step',
  description: 'Takes one step.',
  input: z.object({ n: z.number() }),
  execute: () => 'stepped',
});

function agentFor(
  running: ChatCompletionsServer,
  budget: AgentOptions['controller'] extends infer _
    ? Parameters<typeof createController>[0]
    : never,
  tools = [step],
) {
  return createAgent({
    backend: createOpenAICompatible({ baseURL: running.baseURL, apiKey: 'test', model }),
    tools,
    controller: createController({ ...budget, hints: false }),
    interruptQuietMs: 0,
  });
}

function expectWithinCap(running: ChatCompletionsServer, ledger: CostLedger, slackUsd = 0) {
  const spent = trueSpendUsd(running);
  expect(ledger.reservedMicros, 'reservations left after every run ended').toBe(0);
  expect(
    spent,
    `true spend $${spent.toFixed(6)} = ${(spent / ledger.capUsd).toFixed(2)}x the $${ledger.capUsd} cap`,
  ).toBeLessThanOrEqual(ledger.capUsd + slackUsd);
}

const words = 'The quick brown fox jumps over the lazy dog. ';

describe('the cost cap under faults (true spend from what the server sent)', () => {
  it('holds when the server reports no usage', async () => {
    const running = await startServer(() => ({ text: words.repeat(4), tool: 'step' }), {
      usage: false,
    });
    const ledger = createCostLedger({ capUsd: 0.02 });
    const agent = agentFor(running, {
      budget: [
        createTurnBudget({ mode: 'fixed', limit: 300 }),
        createCostBudget({ ledger, prices, maxTokensPerCall: 400, bytesPerToken: 1 }),
      ],
    });
    await agent.run('Take steps.').result;
    expectWithinCap(running, ledger);
  });

  it('holds through 200 urgent interrupts that abort calls mid-stream', async () => {
    const running = await startServer(() => ({ text: words.repeat(10) }), { delayMs: 1 });
    const ledger = createCostLedger({ capUsd: 3 });
    const agent = agentFor(running, {
      budget: [createCostBudget({ ledger, prices, maxTokensPerCall: 2000, bytesPerToken: 1 })],
    });
    const handle = agent.run('Write a report.');
    let interrupts = 0;
    let deltas = 0;
    handle.on('model.start', () => {
      deltas = 0;
    });
    handle.on('model.delta', () => {
      if (++deltas === 3 && interrupts < 200) {
        interrupts++;
        handle.interrupt({ kind: 'revision', text: `Update ${interrupts}.`, urgency: 'now' });
      }
    });
    const result = await handle.result;
    expect(interrupts).toBe(200);
    expect(result.status).toBe('done');
    expectWithinCap(running, ledger);
  });

  it('holds when runs sharing a ledger are aborted mid-stream, and releases their reservations', async () => {
    const running = await startServer(() => ({ text: words.repeat(40) }), { delayMs: 1 });
    const ledger = createCostLedger({ capUsd: 0.01 });
    const agent = agentFor(running, {
      budget: [createCostBudget({ ledger, prices, maxTokensPerCall: 600, bytesPerToken: 1 })],
    });
    for (let run = 0; run < 40; run++) {
      const handle = agent.run(`Task ${run}.`);
      let deltas = 0;
      handle.on('model.delta', () => {
        if (++deltas === 20) handle.abort('enough');
      });
      const result = await handle.result;
      if (result.status === 'stopped') break;
    }
    expectWithinCap(running, ledger);
  });

  it('holds for forced final answers (a turn budget, a stop after a tool)', async () => {
    const running = await startServer((body) =>
      JSON.stringify(body?.messages).includes('final answer')
        ? { text: words.repeat(400) }
        : { text: 'ok', tool: 'step' },
    );
    const ledger = createCostLedger({ capUsd: 0.02 });
    const cost = createCostBudget({ ledger, prices, maxTokensPerCall: 200, bytesPerToken: 1 });
    const turns = createTurnBudget({ mode: 'fixed', limit: 3, finalAnswer: 'force' });
    await agentFor(running, { budget: [turns, cost] }).run('Take three steps.').result;
    // A budget that decides after a tool, so no model call is prepared when the run stops.
    const stopAfterTool: Controller = {
      name: 'stop-after-tool',
      open: () => ({
        afterTool: () => [
          {
            type: 'stop',
            reason: 'enough',
            message: 'Enough steps.',
            finalAnswer: 'force',
            source: 'stop-after-tool',
          },
        ],
      }),
    };
    await agentFor(running, { budget: [cost, stopAfterTool] }).run('Take a step.').result;
    expectWithinCap(running, ledger);
  });

  it('holds (within one streamed chunk) when the server ignores max_tokens', async () => {
    const running = await startServer(() => ({ text: words.repeat(100), tool: 'step' }), {
      honourMaxTokens: false,
      delayMs: 1,
    });
    const ledger = createCostLedger({ capUsd: 0.005 });
    const agent = agentFor(running, {
      budget: [createCostBudget({ ledger, prices, maxTokensPerCall: 300, bytesPerToken: 1 })],
    });
    await agent.run('Take steps.').result;
    // One streamed chunk here is one code point: at most 4 bytes, 4 tokens.
    expectWithinCap(running, ledger, (4 * price.outputPerMillion) / 1e6);
  });

  it('holds for CJK and emoji output and tool results', async () => {
    const cjk = '这是一个很长的中文回答，包含许多汉字。😀🚀';
    const running = await startServer(() => ({ text: cjk.repeat(4), tool: 'step' }));
    const ledger = createCostLedger({ capUsd: 0.1 });
    const lookUp = defineTool({
      name: 'step',
      description: 'Looks something up.',
      input: z.object({ n: z.number() }),
      execute: () => '结果：'.concat(cjk.repeat(1500)),
    });
    const agent = agentFor(
      running,
      {
        budget: [
          createTurnBudget({ mode: 'fixed', limit: 300 }),
          createCostBudget({ ledger, prices, maxTokensPerCall: 400, bytesPerToken: 1 }),
        ],
      },
      [lookUp],
    );
    await agent.run('查一下。').result;
    expectWithinCap(running, ledger);
  });

  it('holds for 20 concurrent runs on one ledger, some stopped by another budget', async () => {
    const running = await startServer(() => ({ text: words.repeat(2), tool: 'step' }), {
      delayMs: 1,
    });
    const ledger = createCostLedger({ capUsd: 0.05 });
    const handles: RunHandle[] = [];
    for (let run = 0; run < 20; run++) {
      const agent = agentFor(running, {
        budget: [
          createTurnBudget({ mode: 'fixed', limit: run % 2 === 0 ? 3 : 200 }),
          createCostBudget({ ledger, prices, maxTokensPerCall: 400, bytesPerToken: 1 }),
        ],
      });
      handles.push(agent.run(`Task ${run}.`));
    }
    await Promise.all(handles.map((handle) => handle.result));
    expectWithinCap(running, ledger);
  });

  it('refuses to start a run of a model without a price, naming the model and the fix', async () => {
    const running = await startServer(() => ({ text: 'Hello.' }));
    const ledger = createCostLedger({ capUsd: 1 });
    const agent = agentFor(running, {
      budget: [
        createCostBudget({ ledger, prices: { 'other-model': price }, maxTokensPerCall: 100 }),
      ],
    });
    let thrown: unknown;
    try {
      agent.run('Hello?');
    } catch (error) {
      thrown = error;
    }
    expect(MissingPriceError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(
      /no price for model 'cap-test-1'.*createCostBudget\(\{ prices: \{ 'cap-test-1'/,
    );
    expect(running.requests).toHaveLength(0);
    expectWithinCap(running, ledger);
  });
});
