import type { TokenLogprob } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createReasoningStreamReader } from './reasoning-stream-reader.js';

const lp = (token: string, p: number): TokenLogprob => ({ token, logprob: Math.log(p) });

describe('createReasoningStreamReader', () => {
  it('passes on the part of a token before </think> as a reasoning token with its log-probability', () => {
    const seen: TokenLogprob[] = [];
    const reader = createReasoningStreamReader({ onReasoningToken: (token) => seen.push(token) });
    reader.push({
      type: 'logprobs',
      tokens: [lp('<think>', 0.9), lp('a', 0.8), lp('b</think>', 0.7), lp('42', 0.6)],
    });
    reader.end();
    expect(seen).toEqual([lp('a', 0.8), lp('b', 0.7)]);
    expect([reader.reasoning, reader.answer]).toEqual(['ab', '42']);
    expect(reader.answerLogprob).toEqual({ sum: Math.log(0.6), count: 1 });
  });

  it('counts an empty answer token that has a log-probability', () => {
    const reader = createReasoningStreamReader();
    reader.push({ type: 'text-delta', delta: '42' });
    reader.push({ type: 'logprobs', tokens: [lp('42', 0.5), lp('', 0.25)] });
    reader.end();
    expect(reader.answerTokens).toBe(2);
    expect(reader.answerLogprob).toEqual({ sum: Math.log(0.5) + Math.log(0.25), count: 2 });
  });

  it('ends a pending delta at any other part, so later log-probabilities are not pinned on it', () => {
    const reader = createReasoningStreamReader();
    reader.push({ type: 'text-delta', delta: 'abc' });
    reader.push({ type: 'refusal-delta', delta: 'no' });
    reader.push({ type: 'logprobs', tokens: [lp('x', 0.5)] });
    reader.end();
    // "abc" as one estimated token, then "x" with its log-probability.
    expect([reader.answer, reader.answerTokens]).toEqual(['abcx', 2]);
  });
});
