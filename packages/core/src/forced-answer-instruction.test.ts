/**
 * The instruction of the forced answer after an `answer-now` interruption: it closes reasoning
 * the interruption cut short (and says nothing of reasoning otherwise), and asks for the answer
 * alone within the cap, which also caps the request's `maxTokens` unless the agent's own is
 * lower.
 */
import { describe, expect, it } from 'vitest';
import { callByCallBackend } from '../test/call-by-call-backend.js';
import type { AgentEventOf } from './agent-event.js';
import { createAgent } from './create-agent.js';
import type { ModelCallSettings } from './model-backend.js';
import type { ModelStreamPart } from './stream-part.js';

/**
 * Runs a task whose first model call streams `cut` and then hangs until an `answer-now`
 * interruption, sent as that part arrives, cuts it; the forced answer is "It is 42.".
 */
async function answerNowDuring(
  cut: ModelStreamPart,
  modelSettings: ModelCallSettings,
  answerMaxTokens?: number,
) {
  const backend = callByCallBackend([
    { parts: [cut], stall: true },
    {
      parts: [
        { type: 'text-delta', delta: 'It is 42.' },
        { type: 'finish', reason: 'stop' },
      ],
    },
  ]);
  const handle = createAgent({ backend, modelSettings, instructions: 'Be brief.' }).run(
    'What is six times seven?',
  );
  const starts: AgentEventOf<'model.start'>[] = [];
  handle.on('model.start', (event) => starts.push(event));
  handle.once('model.delta', () =>
    handle.interrupt({
      kind: 'answer-now',
      ...(answerMaxTokens === undefined ? {} : { answerMaxTokens }),
    }),
  );
  const result = await handle.result;
  expect(result).toMatchObject({ status: 'stopped', output: 'It is 42.' });
  expect(backend.requests).toHaveLength(2);
  return { forced: backend.requests[1], starts };
}

describe('the instruction of an answer asked for now', () => {
  it('closes the reasoning the interruption cut short, and asks for the answer alone', async () => {
    const { forced, starts } = await answerNowDuring(
      { type: 'reasoning-delta', delta: 'Six times seven is' },
      { maxTokens: 4096, temperature: 0.3 },
      32,
    );
    expect(forced?.messages.at(-2)).toMatchObject({
      role: 'assistant',
      content: '',
      reasoning: 'Six times seven is',
      interrupted: true,
    });
    expect(forced?.messages.at(-1)).toEqual({
      role: 'user',
      content:
        'The user asked for the answer now. Your reasoning above was cut short on purpose and is now closed: do not continue it. Give your final answer now, from what you know, without calling tools. Reply with the answer only, in at most 32 tokens: no reasoning, no explanation.',
      origin: { kind: 'controller', source: 'loop' },
    });
    const settings = { maxTokens: 32, temperature: 0.3, toolChoice: 'none' };
    expect(forced?.tools).toEqual([]);
    expect(forced?.settings).toEqual(settings);
    expect(starts.at(-1)).toMatchObject({ turn: 2, toolNames: [], settings });
    expect(starts.at(-1)?.messageCount).toBe(forced?.messages.length);
  });

  it('says nothing of reasoning when the cut call was writing its answer', async () => {
    const { forced } = await answerNowDuring(
      { type: 'text-delta', delta: 'It is' },
      { maxTokens: 20 },
    );
    expect(forced?.messages.at(-2)).toMatchObject({
      role: 'assistant',
      content: 'It is',
      interrupted: true,
    });
    expect(forced?.messages.at(-1)).toMatchObject({
      content:
        'The user asked for the answer now. Give your final answer now, from what you know, without calling tools. Reply with the answer only, in at most 512 tokens: no reasoning, no explanation.',
    });
    // The agent's own maxTokens is lower than the cap: it stands.
    expect(forced?.settings).toEqual({ maxTokens: 20, toolChoice: 'none' });
  });
});
