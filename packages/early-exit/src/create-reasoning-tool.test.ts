import type { ToolExecuteContext } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createRacingBackend, reasoningCall } from '../test/racing-backend.js';
import { createReasoningTool, reasoningToolInputSchema } from './create-reasoning-tool.js';
import type { EarlyExitEvent } from './early-exit-event.js';
import type { ExitRule } from './exit-rule.js';

const question = 'What is 2 + 3?';

/** The context an agent gives a tool call. */
const callContext = (signal = new AbortController().signal): ToolExecuteContext => ({
  signal,
  runId: 'run-1',
  callId: 'call-7',
});

/** A rule that exits at the second reasoning token. */
const afterTwoTokens: ExitRule = {
  name: 'two-tokens',
  start: () => ({
    push: (_token, index) =>
      index === 1 ? { rule: 'two-tokens', message: 'Enough.', evidence: { index } } : undefined,
  }),
};

describe('createReasoningTool', () => {
  it('is a tool named "reason" that asks one non-empty question', () => {
    const tool = createReasoningTool({ backend: createRacingBackend([]) });
    expect(tool.name).toBe('reason');
    expect(tool.description).toBe(
      'Thinks carefully about a hard question (math, logic, planning) and returns the final answer. Ask one self-contained question.',
    );
    expect(tool.input).toBe(reasoningToolInputSchema);
    expect(reasoningToolInputSchema.safeParse({ question: '' }).success).toBe(false);
    expect(reasoningToolInputSchema.safeParse({ question }).success).toBe(true);
    const named = createReasoningTool({
      backend: createRacingBackend([]),
      name: 'think',
      description: 'Thinks.',
    });
    expect([named.name, named.description]).toEqual(['think', 'Thinks.']);
  });

  it('reasons to the end without an exit rule and returns the four result fields', async () => {
    const backend = createRacingBackend([
      { parts: reasoningCall('two and three ', '\\boxed{5}', { outputTokens: 11 }) },
    ]);
    const tool = createReasoningTool({ backend });
    const output = await tool.execute({ question }, callContext());
    expect(output).toEqual({
      answer: '5',
      tokensUsed: 11,
      tokensAvoided: 0,
      exitReason: 'finished',
    });
    expect(backend.requests.map((call) => call.request)).toEqual([
      {
        messages: [{ role: 'user', content: question }],
        tools: [],
        settings: { maxTokens: 4096 },
      },
    ]);
  });

  it('puts its system message first and applies its caps, its rule, clock and listener', async () => {
    const backend = createRacingBackend([
      { parts: reasoningCall('a b c d e ', '\\boxed{9}') },
      {
        parts: [
          { type: 'text-delta', delta: '\\boxed{5}' },
          { type: 'finish', reason: 'stop' },
        ],
      },
    ]);
    const events: EarlyExitEvent[] = [];
    const tool = createReasoningTool({
      backend,
      exit: afterTwoTokens,
      system: 'Be brief.',
      maxReasoningTokens: 100,
      maxAnswerTokens: 12,
      clock: backend.clock,
      onEvent: (event) => events.push(event),
    });
    const output = await tool.execute({ question }, callContext());
    // Three 1-token deltas were read when the rule fired (the third was on its way); the forced
    // answer "\boxed{5}" is 9 characters, 3 tokens.
    expect(output).toEqual({
      answer: '5',
      tokensUsed: 3 + 3,
      tokensAvoided: 100 - 3,
      exitReason: 'two-tokens',
    });
    const [reasoningCallSeen, forcedCallSeen] = backend.requests;
    expect(reasoningCallSeen?.request.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: question },
    ]);
    expect(reasoningCallSeen?.request.settings).toEqual({ maxTokens: 100 });
    expect(reasoningCallSeen?.outcome).toBe('closed');
    expect(forcedCallSeen?.request.settings).toEqual({ maxTokens: 12, temperature: 0 });
    expect(events.map((event) => [event.type, event.callId, event.at])).toEqual([
      ['reasoning.start', 'call-7', 1000],
      ['exit.triggered', 'call-7', 1000],
      ['answer.forced', 'call-7', 1000],
      ['reasoning.end', 'call-7', 1000],
    ]);
  });

  it('takes a list of rules as rules, not as a search', async () => {
    const backend = createRacingBackend([
      { parts: reasoningCall('a b c d e ', '\\boxed{9}') },
      {
        parts: [
          { type: 'text-delta', delta: '\\boxed{5}' },
          { type: 'finish', reason: 'stop' },
        ],
      },
    ]);
    const tool = createReasoningTool({ backend, exit: [afterTwoTokens] });
    expect(await tool.execute({ question }, callContext())).toMatchObject({
      answer: '5',
      exitReason: 'two-tokens',
    });
  });

  it('stops reasoning when the call is cancelled', async () => {
    const backend = createRacingBackend([{ parts: reasoningCall('a b ', '5'), stallAfter: 1 }]);
    const cancel = new AbortController();
    const tool = createReasoningTool({ backend });
    const output = tool.execute({ question }, callContext(cancel.signal));
    await new Promise((resolve) => setImmediate(resolve));
    const reason = new Error('interrupted');
    cancel.abort(reason);
    await expect(output).rejects.toBe(reason);
    expect(backend.requests[0]?.outcome).toBe('aborted');
  });

  it('runs First Finish Search with the strategy it is given', async () => {
    const finishing = (answer: string, outputTokens: number, turnsPerPart: number) => ({
      parts: reasoningCall('so ', `\\boxed{${answer}}`, { outputTokens }),
      turnsPerPart,
    });
    const backend = createRacingBackend([
      finishing('5', 10, 1),
      finishing('5', 20, 2),
      { parts: reasoningCall('hmm ', '6'), stallAfter: 0 },
    ]);
    const events: EarlyExitEvent[] = [];
    const tool = createReasoningTool({
      backend,
      exit: { type: 'first-finish', samples: 3, shortestK: 2, temperature: 0.3 },
      system: 'Be brief.',
      maxReasoningTokens: 50,
      onEvent: (event) => events.push(event),
      clock: backend.clock,
    });
    const output = await tool.execute({ question }, callContext());
    expect(output).toEqual({
      answer: '5',
      tokensUsed: 30,
      tokensAvoided: 10,
      exitReason: 'first-finish',
    });
    expect(backend.requests.map((call) => call.request)).toEqual(
      Array(3).fill({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: question },
        ],
        tools: [],
        settings: { maxTokens: 50, temperature: 0.3 },
      }),
    );
    expect(new Set(events.map((event) => `${event.callId}@${event.at}`))).toEqual(
      new Set(['call-7@1000']),
    );
  });

  it("runs First Finish Search with the search's own defaults when given none", async () => {
    const backend = createRacingBackend([
      { parts: reasoningCall('so ', '\\boxed{5}', { outputTokens: 4 }) },
      ...Array(3).fill({ parts: reasoningCall('hmm ', '6'), stallAfter: 0 }),
    ]);
    const tool = createReasoningTool({ backend, exit: { type: 'first-finish' } });
    expect(await tool.execute({ question }, callContext())).toMatchObject({ answer: '5' });
    expect(backend.requests.map((call) => call.request.settings)).toEqual(
      Array(4).fill({ maxTokens: 4096, temperature: 0.7 }),
    );
  });
});
