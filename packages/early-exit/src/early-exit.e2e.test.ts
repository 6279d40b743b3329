import type { Message, TokenLogprob } from '@reins/core';
import { createOpenAICompatible } from '@reins/openai';
import {
  type ChatCompletionsServer,
  createChatCompletionsServer,
  type ScriptedCompletion,
  type ScriptedToken,
} from '@reins/openai/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  filler,
  hesitantToken,
  isAnswerRequest,
  lastUserText,
  sureToken,
  thinkStream,
  unsureToken,
} from '../test/reasoning-traces.js';
import {
  createConfidenceExit,
  createConvergenceExit,
  createLogisticProbe,
  createPathDeviationExit,
  type EarlyExitEvent,
  runReasoning,
} from './index.js';

const messages: Message[] = [{ role: 'user', content: 'Tom has 6 boxes of 7 apples. How many?' }];
let server: ChatCompletionsServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(main: ScriptedCompletion, answer: ScriptedCompletion) {
  const started = await createChatCompletionsServer({
    responses: [main],
    fallback: (body) => (isAnswerRequest(body) ? answer : { text: 'unexpected request' }),
  });
  server = started;
  const backend = createOpenAICompatible({
    baseURL: started.baseURL,
    apiKey: 'test',
    model: 'reasoner',
    flavor: 'vllm',
    capabilities: { logprobs: true, reasoning: true },
  });
  return { server: started, backend };
}

const late = (count: number) => Array.from({ length: count }, () => sureToken(' LATE'));
const boxed42: ScriptedCompletion = { tokens: thinkStream([], '\\boxed{42}').slice(2) };

describe('path-deviation exit on a live stream', () => {
  const exit = createPathDeviationExit({
    window: 200,
    maxRate: 0.025,
    minTransitions: 5,
    warmupTokens: 200,
  });

  function trace(make: (text: string) => TokenLogprob): TokenLogprob[] {
    const tokens = filler(250, sureToken);
    for (let wave = 0; wave < 6; wave++) tokens.push(make(' Wait'), ...filler(9, sureToken));
    return [...tokens, ...late(200)];
  }

  it('aborts the request at the fifth hesitant transition and forces a capped answer', async () => {
    const { server, backend } = await start(
      { tokens: thinkStream(trace(hesitantToken), '\\boxed{41}'), delayMs: 1 },
      boxed42,
    );
    const events: EarlyExitEvent[] = [];
    const result = await runReasoning({
      backend,
      messages,
      exit,
      maxReasoningTokens: 2000,
      maxAnswerTokens: 16,
      onEvent: (event) => events.push(event),
    });
    const triggered = events.find((event) => event.type === 'exit.triggered');
    // Reasoning token 0 is the first filler; the fifth "Wait" is at 250 + 4 · 10.
    expect(triggered).toMatchObject({ rule: 'path-deviation', tokenIndex: 290 });
    expect(await server.requests[0]?.outcome).toBe('client-closed');
    const forced = server.requests[1];
    expect(forced?.body?.max_tokens).toBe(16);
    expect(lastUserText(forced?.body)).toContain(' Wait');
    expect(lastUserText(forced?.body)).not.toContain('LATE');
    expect(result).toMatchObject({
      answer: '42',
      exitReason: 'path-deviation',
      reasoningTokens: 291,
      tokensUsed: 292,
      tokensAvoided: 2000 - 291,
      forced: true,
    });
    expect(events.map((event) => event.type)).toEqual([
      'reasoning.start',
      'exit.triggered',
      'answer.forced',
      'reasoning.end',
    ]);
  });

  it('lets a confident trace finish and keeps its own answer', async () => {
    const { server, backend } = await start(
      { tokens: thinkStream(trace(sureToken), '\\boxed{41}') },
      boxed42,
    );
    const result = await runReasoning({ backend, messages, exit, maxReasoningTokens: 2000 });
    expect(result).toMatchObject({ answer: '41', exitReason: 'finished', tokensAvoided: 0 });
    expect(await server.requests[0]?.outcome).toBe('completed');
    expect(server.requests).toHaveLength(1);
  });
});

describe('confidence exit on a live stream', () => {
  // The probe trusts the window's mean log-probability; q = 0.2 needs p ≥ 0.8.
  const probe = createLogisticProbe({ weights: [12, 0, 0, 0, 0, 0, 0], bias: 3 });

  it('passes an unsure cue and exits at the first confident one', async () => {
    const trace = [
      ...filler(40, unsureToken),
      sureToken(' Wait'),
      sureToken(','),
      ...filler(40, sureToken),
      sureToken(' Hmm'),
      sureToken('.'),
      ...late(200),
    ];
    const { server, backend } = await start(
      { tokens: thinkStream(trace, '\\boxed{41}'), delayMs: 1 },
      boxed42,
    );
    const result = await runReasoning({
      backend,
      messages,
      exit: createConfidenceExit({ probe, threshold: 0.2, window: 16 }),
    });
    expect(result.exitReason).toBe('confidence');
    expect(result.exit?.evidence.cue).toBe('hmm');
    expect(result.reasoningTokens).toBe(84);
    expect(result.answer).toBe('42');
    expect(await server.requests[0]?.outcome).toBe('client-closed');
  });
});

describe('convergence exit on a live stream', () => {
  const distinct = [
    'First, each box holds 7 apples.',
    'There are 6 boxes on the table.',
    'Multiply boxes by apples per box.',
    'Six times seven is forty-two.',
  ];
  const repeated = 'So the total number of apples is 42.';
  const reasoning = [...distinct, ...Array(8).fill(repeated), ...Array(40).fill('LATE step here.')]
    .map((step) => `${step}\n\n`)
    .join('');
  const sure = (text: string): ScriptedToken => ({ token: text, logprob: Math.log(0.99) });
  const trial: ScriptedCompletion = { tokens: [sure('\\boxed{'), sure('42'), sure('}')] };

  it('exits when consecutive similar steps give the same confident trial answer', async () => {
    const { server, backend } = await start(
      { reasoning, text: '\\boxed{41}', chunkSize: 12, delayMs: 4 },
      trial,
    );
    const events: EarlyExitEvent[] = [];
    const result = await runReasoning({
      backend,
      messages,
      exit: createConvergenceExit({ minSteps: 5 }),
      onEvent: (event) => events.push(event),
    });
    expect(result.exitReason).toBe('convergence');
    expect(result.answer).toBe('42');
    const candidates = events.filter((event) => event.type === 'exit.candidate');
    expect(candidates.length).toBeGreaterThanOrEqual(2);
    expect(candidates[0]).toMatchObject({ trialAnswer: '42' });
    expect(candidates[0]?.type === 'exit.candidate' && candidates[0].confidence).toBeCloseTo(
      0.99,
      6,
    );
    expect(result.reasoning).not.toContain('LATE');
    expect(await server.requests[0]?.outcome).toBe('client-closed');
    // Trial answers are asked for with their own small cap.
    expect(server.requests[1]?.body?.max_tokens).toBe(30);
  });

  it('does not exit on agreeing answers below the confidence bar', async () => {
    const doubtful: ScriptedCompletion = {
      tokens: [sure('\\boxed{'), { token: '42', logprob: Math.log(0.2) }, sure('}')],
    };
    const { backend } = await start(
      { reasoning: reasoning.replace(/LATE step here\.\n\n/g, ''), text: '\\boxed{41}' },
      doubtful,
    );
    const result = await runReasoning({
      backend,
      messages,
      exit: createConvergenceExit({ minSteps: 5 }),
    });
    expect(result).toMatchObject({ exitReason: 'finished', answer: '41' });
  });
});
