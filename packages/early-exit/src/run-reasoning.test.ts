import { InvalidOptionsError, type Message, type ModelStreamPart } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createRacingBackend, type RacingCall, reasoningCall } from '../test/racing-backend.js';
import type { ExitRule, ExitRuleContext } from './exit-rule.js';
import { runReasoning } from './run-reasoning.js';

const messages: Message[] = [{ role: 'user', content: 'What is 6 × 7?' }];
const answerCall = (answer: string): RacingCall => ({
  parts: [
    { type: 'text-delta', delta: `\\boxed{${answer}}` },
    { type: 'finish', reason: 'stop' },
  ],
});

/** A racing backend that says it gives log-probabilities. */
function withLogprobs(calls: readonly RacingCall[]) {
  const backend = createRacingBackend(calls);
  return {
    ...backend,
    stream: backend.stream,
    capabilities: { ...backend.capabilities, logprobs: true },
  };
}

/** A rule that keeps its context and exits at the given reasoning token, if any. */
function recordingRule(exitAt?: number) {
  const seen: { context?: ExitRuleContext } = {};
  const rule: ExitRule = {
    name: 'at-token',
    start(context) {
      seen.context = context;
      return {
        push: (_token, index) =>
          index === exitAt
            ? { rule: 'at-token', message: 'Here.', evidence: { index } }
            : undefined,
      };
    },
  };
  return { rule, seen };
}

describe('runReasoning', () => {
  it.each([0, -5, 2.5])('refuses maxReasoningTokens %s', async (maxReasoningTokens) => {
    const error = await runReasoning({
      backend: createRacingBackend([]),
      messages,
      maxReasoningTokens,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'maxReasoningTokens',
      message: `maxReasoningTokens must be a positive integer; received ${maxReasoningTokens}. Try 4096.`,
    });
  });

  it('asks for top log-probabilities when the backend gives them, with the temperature given', async () => {
    const backend = withLogprobs([{ parts: reasoningCall('six sevens ', '\\boxed{42}') }]);
    await runReasoning({ backend, messages, temperature: 0.6, topLogprobs: 2 });
    expect(backend.requests[0]?.request.settings).toEqual({
      maxTokens: 4096,
      temperature: 0.6,
      logprobs: { topLogprobs: 2 },
    });
    const byDefault = withLogprobs([{ parts: reasoningCall('six sevens ', '\\boxed{42}') }]);
    await runReasoning({ backend: byDefault, messages });
    expect(byDefault.requests[0]?.request.settings).toEqual({
      maxTokens: 4096,
      logprobs: { topLogprobs: 5 },
    });
  });

  it('reports a call cut at the token cap as "length", forcing the answer it lacks', async () => {
    const backend = createRacingBackend([
      { parts: reasoningCall('six sevens ', '', { finish: 'length' }) },
      answerCall('42'),
    ]);
    const result = await runReasoning({ backend, messages, maxAnswerTokens: 9 });
    expect(result).toMatchObject({
      exitReason: 'length',
      answer: '42',
      forced: true,
      tokensAvoided: 0,
    });
    expect(backend.requests[1]?.request.settings).toEqual({ maxTokens: 9, temperature: 0 });
  });

  it("ends its rules' signal when the call ends, and takes a list of rules", async () => {
    const { rule, seen } = recordingRule();
    const backend = createRacingBackend([{ parts: reasoningCall('six sevens ', '\\boxed{42}') }]);
    const result = await runReasoning({ backend, messages, exit: [rule] });
    expect(result.exitReason).toBe('finished');
    expect(seen.context?.signal.aborted).toBe(true);
    expect(seen.context?.signal.reason).toEqual(new Error('The reasoning call ended.'));
  });

  it('asks trial and forced answers with the answer prompt given, trials capped at 30 tokens', async () => {
    const { rule, seen } = recordingRule(2);
    const backend = createRacingBackend([
      { parts: reasoningCall('a b c d e f ', '\\boxed{1}'), turnsPerPart: 3 },
      answerCall('41'),
      answerCall('42'),
    ]);
    const answerPrompt = (reasoning: string) => `Now answer. ${reasoning.trim()}`;
    const running = runReasoning({ backend, messages, exit: rule, answerPrompt });
    await new Promise((resolve) => setImmediate(resolve));
    const trial = await seen.context?.trialAnswer();
    expect(trial).toEqual({ answer: '41', confidence: Number.NaN, tokens: 3 });
    const result = await running;
    expect(result).toMatchObject({ answer: '42', exitReason: 'at-token', forced: true });
    const [, trialCall, forcedCall] = backend.requests;
    expect(trialCall?.request.settings?.maxTokens).toBe(30);
    expect(trialCall?.request.messages.at(-1)).toMatchObject({
      role: 'user',
      content: expect.stringMatching(/^Now answer\. /),
    });
    // The rule fired at "c " when "d " arrived; "d " was read before the stream closed.
    expect(forcedCall?.request.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Now answer. a b c d',
    });
    // The trial's 3 tokens are counted with the reasoning's 4 and the forced answer's 3.
    expect(result.tokensUsed).toBe(10);
  });

  it('aborts the reasoning call with the reason of its signal', async () => {
    const backend = createRacingBackend([{ parts: reasoningCall('a b ', '5'), stallAfter: 1 }]);
    const outer = new AbortController();
    const reason = new Error('user interrupted');
    const running = runReasoning({ backend, messages, signal: outer.signal });
    await new Promise((resolve) => setImmediate(resolve));
    outer.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(backend.requests[0]).toMatchObject({ outcome: 'aborted', abortReason: reason });
  });

  it('aborts the forced answer with the reason of its signal', async () => {
    const { rule } = recordingRule(0);
    const backend = createRacingBackend([
      { parts: reasoningCall('a b c ', '5') },
      { parts: answerCall('42').parts, stallAfter: 0 },
    ]);
    const outer = new AbortController();
    const reason = new Error('user interrupted');
    const running = runReasoning({ backend, messages, exit: rule, signal: outer.signal });
    while (backend.requests.length < 2) await new Promise((resolve) => setImmediate(resolve));
    outer.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(backend.requests[1]).toMatchObject({ outcome: 'aborted', abortReason: reason });
  });

  it('rethrows a failed reasoning call when no rule had decided', async () => {
    const failure = new Error('connection reset');
    const parts: ModelStreamPart[] = [{ type: 'reasoning-delta', delta: 'a ' }];
    const backend = createRacingBackend([{ parts, error: failure }]);
    await expect(runReasoning({ backend, messages })).rejects.toBe(failure);
  });
});
