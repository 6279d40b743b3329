import { Embeddings } from '@langchain/core/embeddings';
import { createAgent, type Message } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { toLangChainTool } from '@reins/langchain';
import { createOpenAICompatible } from '@reins/openai';
import {
  type ChatCompletionsServer,
  createChatCompletionsServer,
  type ScriptedCompletion,
} from '@reins/openai/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  filler,
  hesitantToken,
  isAnswerRequest,
  sureToken,
  thinkStream,
} from '../test/reasoning-traces.js';
import {
  createConvergenceExit,
  createLexicalEmbedding,
  createPathDeviationExit,
  createReasoningTool,
  type EarlyExitEvent,
  fromLangChainEmbeddings,
  runFirstFinishSearch,
  runReasoning,
} from './index.js';

const messages: Message[] = [{ role: 'user', content: 'What is 3 + 4?' }];
let server: ChatCompletionsServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function startServer(
  responses: ScriptedCompletion[],
  answer: ScriptedCompletion = { text: '\\boxed{42}' },
) {
  server = await createChatCompletionsServer({
    responses,
    fallback: (body) => (isAnswerRequest(body) ? answer : { text: 'unexpected request' }),
  });
  const backend = createOpenAICompatible({
    baseURL: server.baseURL,
    apiKey: 'test',
    model: 'reasoner',
    flavor: 'vllm',
    capabilities: { logprobs: true, reasoning: true },
  });
  return { server, backend };
}

const slow = (answer: string): ScriptedCompletion => ({
  reasoning: 'Let me think about this slowly. '.repeat(60),
  text: `\\boxed{${answer}}`,
  chunkSize: 8,
  delayMs: 10,
});
const fast = (answer: string, delayMs = 1): ScriptedCompletion => ({
  reasoning: 'Quick: 3 + 4 = 7.',
  text: `\\boxed{${answer}}`,
  chunkSize: 4,
  delayMs,
});

describe('First Finish Search', () => {
  it('keeps the first sample to finish and closes the others at once', async () => {
    const quick = fast('7');
    const { server, backend } = await startServer([quick, slow('9'), slow('8')]);
    const events: EarlyExitEvent[] = [];
    const result = await runFirstFinishSearch({
      backend,
      messages,
      samples: 3,
      onEvent: (event) => events.push(event),
    });
    expect(result.answer).toBe('7');
    expect(result.samples.map((sample) => sample.status).sort()).toEqual([
      'cancelled',
      'cancelled',
      'finished',
    ]);
    const outcomes = await Promise.all(
      server.requests.map(async (request) => ({
        quick: request.completion === quick,
        outcome: await request.outcome,
      })),
    );
    expect(outcomes.filter((entry) => entry.quick)).toEqual([
      { quick: true, outcome: 'completed' },
    ]);
    expect(outcomes.filter((entry) => !entry.quick).map((entry) => entry.outcome)).toEqual([
      'client-closed',
      'client-closed',
    ]);
    // The losers had streamed only part of their 480-character reasoning.
    const cancelled = result.samples.filter((sample) => sample.status === 'cancelled');
    for (const sample of cancelled) expect(sample.tokens).toBeLessThan(120);
    expect(events.map((event) => event.type)).toEqual([
      'search.start',
      'search.finished',
      'search.cancelled',
      'reasoning.end',
    ]);
  });

  it('votes among the shortest k, ties going to the shorter sample', async () => {
    const { backend } = await startServer([fast('7', 1), fast('7', 3), slow('9'), slow('9')]);
    const result = await runFirstFinishSearch({ backend, messages, samples: 4, shortestK: 2 });
    expect(result.answer).toBe('7');
    expect(result.samples.filter((sample) => sample.status === 'finished')).toHaveLength(2);
    expect(result.samples.filter((sample) => sample.status === 'cancelled')).toHaveLength(2);
    await expect(
      runFirstFinishSearch({ backend, messages, samples: 2, shortestK: 3 }),
    ).rejects.toThrow(/shortestK must be an integer from 1 to samples \(2\); received 3/);
  });
});

describe('reasoning tool', () => {
  const deviating = () => {
    const tokens = filler(250, sureToken);
    for (let wave = 0; wave < 6; wave++)
      tokens.push(hesitantToken(' Wait'), ...filler(9, sureToken));
    return {
      tokens: thinkStream([...tokens, ...filler(100, sureToken)], '\\boxed{1}'),
      delayMs: 1,
    };
  };
  const exit = createPathDeviationExit({ window: 200, maxRate: 0.025, minTransitions: 5 });

  it('answers as a Reins tool inside an agent run', async () => {
    const { backend } = await startServer([deviating()]);
    const reason = createReasoningTool({ backend, exit, maxReasoningTokens: 1000 });
    const planner = createScriptedBackend({
      responses: [
        { toolCalls: [{ name: 'reason', arguments: { question: 'What is 6 × 7?' } }] },
        { text: 'It is 42.' },
      ],
    });
    const agent = createAgent({ backend: planner, tools: [reason] });
    const result = await agent.run('Use the reason tool.').result;
    const toolMessage = result.messages.find((message) => message.role === 'tool');
    expect(toolMessage?.role === 'tool' && toolMessage.result.status).toBe('ok');
    const output =
      toolMessage?.role === 'tool' && toolMessage.result.status === 'ok'
        ? JSON.parse(toolMessage.result.output)
        : undefined;
    expect(output).toEqual({
      answer: '42',
      // 291 reasoning tokens with log-probabilities, and the forced answer's 10 characters of
      // text without them, estimated at one token per 4 characters.
      tokensUsed: 291 + 3,
      tokensAvoided: 1000 - 291,
      exitReason: 'path-deviation',
    });
  });

  it('answers as a LangChain tool, and runs First Finish Search when asked', async () => {
    const { server, backend } = await startServer([deviating()]);
    const events: EarlyExitEvent[] = [];
    const reason = toLangChainTool(
      createReasoningTool({ backend, exit, onEvent: (event) => events.push(event) }),
    );
    const text = await reason.invoke({ question: 'What is 6 × 7?' });
    expect(JSON.parse(String(text))).toMatchObject({ answer: '42', exitReason: 'path-deviation' });
    expect(events.some((event) => event.type === 'exit.triggered')).toBe(true);

    server.enqueue(fast('7'), slow('9'));
    const search = toLangChainTool(
      createReasoningTool({ backend, exit: { type: 'first-finish', samples: 2 } }),
    );
    const searched = JSON.parse(String(await search.invoke({ question: 'What is 3 + 4?' })));
    expect(searched).toMatchObject({ answer: '7', exitReason: 'first-finish' });
  });
});

/** A LangChain `Embeddings` class (here backed by the lexical embedding, no network). */
class LocalEmbeddings extends Embeddings {
  calls = 0;
  readonly #lexical = createLexicalEmbedding({ dimensions: 256 });
  async embedDocuments(documents: string[]): Promise<number[][]> {
    this.calls++;
    return this.#lexical.embed(documents) as number[][];
  }
  async embedQuery(document: string): Promise<number[]> {
    return (await this.embedDocuments([document]))[0] as number[];
  }
}

describe('convergence with a LangChain Embeddings', () => {
  it('uses the embeddings for step similarity', async () => {
    const reasoning = [
      'Three plus four, let me add.',
      'Start from three and count up.',
      'Four more than three is seven.',
      ...Array(8).fill('So the sum is 7.'),
      ...Array(30).fill('LATE extra checking.'),
    ]
      .map((step) => `${step}\n\n`)
      .join('');
    const sure = { token: '7', logprob: Math.log(0.995) };
    const { server, backend } = await startServer(
      [{ reasoning, text: '\\boxed{7}', chunkSize: 10, delayMs: 4 }],
      { tokens: [sure] },
    );
    const embeddings = new LocalEmbeddings({});
    const result = await runReasoning({
      backend,
      messages,
      exit: createConvergenceExit({ embedding: fromLangChainEmbeddings(embeddings), minSteps: 4 }),
    });
    expect(result).toMatchObject({ exitReason: 'convergence', answer: '7' });
    expect(embeddings.calls).toBeGreaterThanOrEqual(5);
    expect(await server.requests[0]?.outcome).toBe('client-closed');
  });
});
