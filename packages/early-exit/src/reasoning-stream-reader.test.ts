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

  it('finds <think> after leading whitespace and with reasoning in the same delta', () => {
    const reader = createReasoningStreamReader();
    reader.push({ type: 'text-delta', delta: '\n <think>abc' });
    reader.push({ type: 'text-delta', delta: 'def</think>42' });
    reader.end();
    expect([reader.reasoning, reader.answer]).toEqual(['abcdef', '42']);
  });

  it('waits for the rest of a <think> tag split across deltas', () => {
    const reader = createReasoningStreamReader();
    reader.push({ type: 'text-delta', delta: '<th' });
    reader.push({ type: 'text-delta', delta: 'ink>reasons</think>done' });
    reader.end();
    expect([reader.reasoning, reader.answer]).toEqual(['reasons', 'done']);
  });

  it('reads an empty <think></think> as no reasoning', () => {
    const reader = createReasoningStreamReader();
    reader.push({ type: 'text-delta', delta: '<think></think>42' });
    reader.end();
    expect([reader.reasoning, reader.answer, reader.reasoningTokens]).toEqual(['', '42', 0]);
  });

  it('counts a </think> token of its own as a reasoning token, not an answer token', () => {
    const reader = createReasoningStreamReader();
    reader.push({
      type: 'logprobs',
      tokens: [lp('<think>', 0.9), lp('a', 0.8), lp('</think>', 0.7), lp('42', 0.5)],
    });
    reader.end();
    expect([reader.reasoning, reader.answer]).toEqual(['a', '42']);
    expect([reader.reasoningTokens, reader.answerTokens]).toEqual([2, 1]);
    expect(reader.answerLogprob).toEqual({ sum: Math.log(0.5), count: 1 });
  });

  it('counts a token that ends the reasoning with </think> once, as reasoning', () => {
    const reader = createReasoningStreamReader();
    reader.push({
      type: 'logprobs',
      tokens: [lp('<think>', 0.9), lp('a', 0.8), lp('b</think>', 0.7), lp('42', 0.5)],
    });
    reader.end();
    expect([reader.reasoningTokens, reader.answerTokens]).toEqual([2, 1]);
  });

  it('gives the log-probability of a token split by </think> to its reasoning part only', () => {
    const reader = createReasoningStreamReader();
    reader.push({
      type: 'logprobs',
      tokens: [lp('<think>', 0.9), lp('a', 0.8), lp('b</think>42', 0.7)],
    });
    reader.end();
    expect([reader.reasoning, reader.answer]).toEqual(['ab', '42']);
    // '42' is estimated: ⌈2 / 4⌉ = 1 token, without a log-probability.
    expect([reader.reasoningTokens, reader.answerTokens]).toEqual([2, 1]);
    expect(reader.answerLogprob).toEqual({ sum: 0, count: 0 });
  });

  it('gives the log-probability of a token that starts with </think> to the answer', () => {
    const reader = createReasoningStreamReader();
    reader.push({
      type: 'logprobs',
      tokens: [lp('<think>', 0.9), lp('a', 0.8), lp('</think>42', 0.25)],
    });
    reader.end();
    expect([reader.reasoning, reader.answer]).toEqual(['a', '42']);
    expect([reader.reasoningTokens, reader.answerTokens]).toEqual([1, 1]);
    expect(reader.answerLogprob).toEqual({ sum: Math.log(0.25), count: 1 });
  });

  it('estimates ⌈characters / 4⌉ tokens for deltas without log-probabilities, tags excluded', () => {
    const reader = createReasoningStreamReader();
    for (const delta of ['<think>', 'abcdefgh', '</think>', 'Answer: 5'])
      reader.push({ type: 'text-delta', delta });
    reader.end();
    expect([reader.reasoning, reader.answer]).toEqual(['abcdefgh', 'Answer: 5']);
    // 8 characters → 2 tokens; 9 characters → 3 tokens.
    expect([reader.reasoningTokens, reader.answerTokens]).toEqual([2, 3]);
  });
});
