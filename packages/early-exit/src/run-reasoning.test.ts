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

/** A rule that, at the first token, returns a decision that arrives only when released. */
function decidingLater(name: string) {
  let decide: (() => void) | undefined;
  const rule: ExitRule = {
    name,
    start: () => ({
      push: (_token, index) =>
        index === 0
          ? new Promise((resolve) => {
              decide = () => resolve({ rule: name, message: 'Late.', evidence: {} });
            })
          : undefined,
    }),
  };
  return { rule, release: () => decide?.() };
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

  it('numbers calls without an id', async () => {
    const ids: string[] = [];
    for (let call = 0; call < 2; call++)
      await runReasoning({
        backend: createRacingBackend([{ parts: reasoningCall('a ', '\\boxed{1}') }]),
        messages,
        onEvent: (event) => ids.push(event.callId),
      });
    const numbers = [...new Set(ids)].map((id) => Number(/^reasoning-(\d+)$/.exec(id)?.[1]));
    const [first = 0] = numbers;
    expect(numbers).toEqual([first, first + 1]);
  });

  it('sends no tools, and gives its rules the clock, the reasoning so far and the stop reason', async () => {
    const backend = createRacingBackend([
      { parts: reasoningCall('a b c d e ', '\\boxed{1}') },
      answerCall('42'),
    ]);
    backend.clock.advance(500);
    const pushed: number[] = [];
    let seen: ExitRuleContext | undefined;
    let reasoningAtExit = '';
    const rule: ExitRule = {
      name: 'third',
      start(context) {
        seen = context;
        return {
          push(_token, index) {
            pushed.push(index);
            if (index !== 2) return undefined;
            reasoningAtExit = context.reasoning();
            return { rule: 'third', message: 'Third token.', evidence: { at: context.now() } };
          },
        };
      },
    };
    const result = await runReasoning({ backend, messages, exit: rule, clock: backend.clock });
    expect(backend.requests[0]?.request.tools).toEqual([]);
    // Tokens after the decision (the one still pending) are not shown to the rule.
    expect(pushed).toEqual([0, 1, 2]);
    expect(reasoningAtExit).toBe('a b c ');
    expect(result.exit).toEqual({ rule: 'third', message: 'Third token.', evidence: { at: 1500 } });
    expect(seen?.signal.reason).toEqual(new Error('Early exit: third'));
  });

  it('takes the first decision only, whichever rule makes it', async () => {
    const firing = (name: string, at: number): ExitRule => ({
      name,
      start: () => ({
        push: (_token, index) =>
          index >= at ? { rule: name, message: name, evidence: {} } : undefined,
      }),
    });
    const events: string[] = [];
    const result = await runReasoning({
      backend: createRacingBackend([{ parts: reasoningCall('a b c d ', '1') }, answerCall('2')]),
      messages,
      exit: [firing('late', 2), firing('early', 1)],
      onEvent: (event) => {
        if (event.type === 'exit.triggered') events.push(event.rule);
      },
    });
    expect(result.exitReason).toBe('early');
    expect(events).toEqual(['early']);
  });

  it('applies a decision that arrives later at the token the stream had reached', async () => {
    const { rule, release } = decidingLater('slow');
    const triggered: number[] = [];
    const backend = createRacingBackend([
      { parts: reasoningCall('a b c d e f g h ', '1'), turnsPerPart: 2 },
      answerCall('2'),
    ]);
    const running = runReasoning({
      backend,
      messages,
      exit: rule,
      onEvent: (event) => {
        if (event.type === 'exit.triggered') triggered.push(event.tokenIndex);
      },
    });
    // Let four reasoning tokens be read (index 3 seen), then let the rule decide.
    while ((backend.requests[0]?.sent ?? 0) < 5)
      await new Promise((resolve) => setImmediate(resolve));
    release();
    const result = await running;
    expect(result.exitReason).toBe('slow');
    expect(triggered).toHaveLength(1);
    expect(triggered[0]).toBeGreaterThanOrEqual(3);
  });

  it('ignores a decision that arrives after the call ended', async () => {
    const { rule, release } = decidingLater('too-late');
    const events: string[] = [];
    const result = await runReasoning({
      backend: createRacingBackend([{ parts: reasoningCall('a b ', '\\boxed{7}') }]),
      messages,
      exit: rule,
      onEvent: (event) => events.push(event.type),
    });
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(result).toMatchObject({ exitReason: 'finished', answer: '7' });
    expect(result.exit).toBeUndefined();
    expect(events).toEqual(['reasoning.start', 'reasoning.end']);
  });

  it('asks trial answers with the default prompt and the cap the rule gives', async () => {
    const { rule, seen } = recordingRule();
    const backend = createRacingBackend([
      { parts: reasoningCall('a b c ', '\\boxed{1}'), turnsPerPart: 3 },
      answerCall('41'),
    ]);
    const running = runReasoning({ backend, messages, exit: rule });
    await new Promise((resolve) => setImmediate(resolve));
    await seen.context?.trialAnswer({ maxTokens: 7 });
    await running;
    expect(backend.requests[1]?.request.settings?.maxTokens).toBe(7);
    expect(backend.requests[1]?.request.messages.at(-1)).toMatchObject({
      content: expect.stringMatching(/^Your reasoning so far is below\./),
    });
  });
});
