import type { Message, ModelStreamPart } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createRacingBackend, type RacingCall } from '../test/racing-backend.js';
import { defaultForcedAnswerPrompt, forceAnswer } from './force-answer.js';

const messages: Message[] = [{ role: 'user', content: 'What is 6 × 7?' }];
const text = (delta: string): ModelStreamPart => ({ type: 'text-delta', delta });
const finish = (reason: 'stop' | 'length' = 'stop'): ModelStreamPart => ({
  type: 'finish',
  reason,
});

/** A racing backend of one call, optionally one that reports log-probabilities. */
function backendOf(call: RacingCall, logprobs = false) {
  const backend = createRacingBackend([call]);
  return {
    backend: {
      ...backend,
      stream: backend.stream,
      capabilities: { ...backend.capabilities, logprobs },
    },
    requests: backend.requests,
  };
}

describe('forceAnswer', () => {
  it('asks once more with the reasoning so far, at temperature 0, capped at 64 tokens', async () => {
    const { backend, requests } = backendOf({ parts: [text('\\boxed{42}'), finish()] });
    const forced = await forceAnswer({ backend, messages, reasoning: '  6 × 7 = 42.  ' });
    expect(forced).toEqual({
      answer: '42',
      text: '\\boxed{42}',
      tokens: 3,
      confidence: Number.NaN,
      capped: false,
    });
    expect(requests[0]?.request).toEqual({
      messages: [
        ...messages,
        {
          role: 'user',
          content:
            'Your reasoning so far is below. Reasoning time is over: do not reason further and do not explain. Reply with the final answer only, as \\boxed{answer}.\n\n<reasoning>\n6 × 7 = 42.\n</reasoning>',
        },
      ],
      tools: [],
      settings: { maxTokens: 64, temperature: 0 },
    });
    expect(defaultForcedAnswerPrompt(' x ')).toContain('<reasoning>\nx\n</reasoning>');
  });

  it('asks for log-probabilities when the backend gives them, and reports the confidence', async () => {
    const { backend, requests } = backendOf(
      {
        parts: [
          text('42'),
          {
            type: 'logprobs',
            tokens: [
              { token: '4', logprob: Math.log(0.5) },
              { token: '2', logprob: Math.log(0.8) },
            ],
          },
          { type: 'usage', usage: { outputTokens: 7 } },
          finish(),
        ],
      },
      true,
    );
    const forced = await forceAnswer({ backend, messages, reasoning: 'r', maxAnswerTokens: 10 });
    expect(requests[0]?.request.settings).toEqual({
      maxTokens: 10,
      temperature: 0,
      logprobs: { topLogprobs: 0 },
    });
    // exp of the mean log-probability: the geometric mean of 0.5 and 0.8.
    expect(forced.confidence).toBeCloseTo(Math.sqrt(0.4), 12);
    expect(forced.tokens).toBe(7);
  });

  it('uses the prompt and extractor it is given', async () => {
    const { backend, requests } = backendOf({ parts: [text('forty-two'), finish()] });
    const forced = await forceAnswer({
      backend,
      messages,
      reasoning: 'six sevens',
      prompt: (reasoning) => `Answer now: ${reasoning}`,
      extract: (answerText) => answerText.toUpperCase(),
    });
    expect(requests[0]?.request.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Answer now: six sevens',
    });
    expect(forced.answer).toBe('FORTY-TWO');
  });

  it('stops reading at the cap, since leaked reasoning may not count against the server cap', async () => {
    // Four 1-token deltas under a cap of 3: the reader stops once the third is counted.
    const { backend, requests } = backendOf({
      parts: [text('abcd'), text('efgh'), text('ijkl'), text('mnop'), text('qrst'), finish()],
    });
    const forced = await forceAnswer({ backend, messages, reasoning: 'r', maxAnswerTokens: 3 });
    expect(forced).toMatchObject({ capped: true, tokens: 4, text: 'abcdefghijklmnop' });
    expect(requests[0]?.outcome).toBe('closed');
  });

  it('is not capped when the answer ends exactly at the cap, nor one token under it', async () => {
    const atCap = backendOf({ parts: [text('\\boxed{'), text('42}'), finish()] });
    expect(
      await forceAnswer({ ...atCap, messages, reasoning: 'r', maxAnswerTokens: 3 }),
    ).toMatchObject({ capped: false, answer: '42', tokens: 3 });
    const underCap = backendOf({ parts: [text('abcd'), text('efgh'), text('ijkl'), finish()] });
    expect(
      await forceAnswer({ ...underCap, messages, reasoning: 'r', maxAnswerTokens: 4 }),
    ).toMatchObject({ capped: false, tokens: 3 });
  });

  it('reports a server cut at its token cap as capped', async () => {
    const { backend } = backendOf({ parts: [text('\\boxed{4'), finish('length')] });
    expect(await forceAnswer({ backend, messages, reasoning: 'r' })).toMatchObject({
      capped: true,
      answer: '4',
    });
  });

  it('takes a boxed answer from leaked reasoning when the answer text has none', async () => {
    const leaked = backendOf({
      parts: [{ type: 'reasoning-delta', delta: 'so it is \\boxed{42}' }, finish()],
    });
    expect((await forceAnswer({ ...leaked, messages, reasoning: 'r' })).answer).toBe('42');
    const unboxed = backendOf({
      parts: [{ type: 'reasoning-delta', delta: 'so it is 42' }, finish()],
    });
    expect((await forceAnswer({ ...unboxed, messages, reasoning: 'r' })).answer).toBe('');
    const both = backendOf({
      parts: [{ type: 'reasoning-delta', delta: '\\boxed{41}' }, text('\\boxed{42}'), finish()],
    });
    expect((await forceAnswer({ ...both, messages, reasoning: 'r' })).answer).toBe('42');
  });

  it('rethrows a failed call', async () => {
    const failure = new Error('connection reset');
    const { backend } = backendOf({ parts: [text('4')], error: failure });
    await expect(forceAnswer({ backend, messages, reasoning: 'r' })).rejects.toBe(failure);
  });

  it('aborts the call with the reason of its signal, before or during the call', async () => {
    const reason = new Error('interrupted');
    const before = backendOf({ parts: [text('42'), finish()] });
    await expect(
      forceAnswer({ ...before, messages, reasoning: 'r', signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(before.requests[0]).toMatchObject({ outcome: 'aborted', abortReason: reason });

    const during = backendOf({ parts: [text('4'), text('2'), finish()], stallAfter: 1 });
    const outer = new AbortController();
    const forced = forceAnswer({ ...during, messages, reasoning: 'r', signal: outer.signal });
    await new Promise((resolve) => setImmediate(resolve));
    outer.abort(reason);
    await expect(forced).rejects.toBe(reason);
    expect(during.requests[0]).toMatchObject({ outcome: 'aborted', abortReason: reason });
  });
});
