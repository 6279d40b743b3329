import type { Message, ToolCall, Usage } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { readFeatureTurns } from './run-features.js';

const call = (id: string, command: string): ToolCall => ({
  id,
  name: 'bash',
  arguments: JSON.stringify({ command }),
});
const usage: Usage = {
  inputTokens: 1200,
  cachedInputTokens: 0,
  outputTokens: 40,
  reasoningTokens: 0,
  costUsd: 0.002,
};
const ls = call('c1', 'ls');
const cat = call('c2', 'cat setup.py');
const pytest = call('c3', 'pytest');

/** A run: the task, a turn of two calls (one failed), a turn without calls, a cancelled call. */
const run: Message[] = [
  { role: 'system', content: 'You are a coding agent.' },
  { role: 'user', content: 'Fix the failing test.', origin: { kind: 'task' } },
  { role: 'assistant', content: 'Looking around.', toolCalls: [ls, cat], usage },
  { role: 'tool', toolCallId: 'c1', toolName: 'bash', result: { status: 'ok', output: 'src\n' } },
  {
    role: 'tool',
    toolCallId: 'c2',
    toolName: 'bash',
    result: { status: 'error', error: { code: 'ENOENT', message: 'no setup.py' } },
  },
  { role: 'assistant', content: 'I will run the tests.', toolCalls: [] },
  { role: 'user', content: 'Only the unit tests, please.' },
  { role: 'assistant', content: 'Running them.', toolCalls: [pytest] },
  {
    role: 'tool',
    toolCallId: 'c3',
    toolName: 'bash',
    result: { status: 'cancelled', reason: 'interrupted' },
  },
];

/** The turns of `run`, as the extractor reads them. */
const expected = [
  {
    text: 'Looking around.',
    toolCalls: [ls, cat],
    outputs: ['src\n', 'Error: no setup.py'],
    usage,
  },
  { text: 'I will run the tests.', toolCalls: [], outputs: [] },
  { text: 'Running them.', toolCalls: [pytest], outputs: ['Cancelled: interrupted'] },
];

describe('reading the turns of a run for the feature extractor', () => {
  it('reads each assistant message with the results of its calls, as text, in order', () => {
    // No usage recorded is no usage field, not an undefined one.
    expect(readFeatureTurns(run, 0)).toStrictEqual({ turns: expected, next: run.length });
  });

  it('skips the messages before `from` and the messages that are not turns', () => {
    expect(readFeatureTurns(run, 5)).toStrictEqual({
      turns: expected.slice(1),
      next: run.length,
    });
    expect(readFeatureTurns(run, run.length)).toStrictEqual({ turns: [], next: run.length });
    expect(readFeatureTurns(run.slice(0, 2), 0)).toStrictEqual({ turns: [], next: 2 });
  });

  it('stops before a turn whose calls have not all returned, and reads it once they have', () => {
    // Index 2 is the two-call turn; with one result so far it is not complete.
    const partial = run.slice(0, 4);
    expect(readFeatureTurns(partial, 0)).toStrictEqual({ turns: [], next: 2 });
    // Calls still running: the turn waits, the cursor stays on it.
    expect(readFeatureTurns(run.slice(0, 3), 0)).toStrictEqual({ turns: [], next: 2 });
    const first = readFeatureTurns(run.slice(0, 7), 0);
    expect(first).toStrictEqual({ turns: expected.slice(0, 2), next: 7 });
    const second = readFeatureTurns(run.slice(0, 8), first.next);
    expect(second).toStrictEqual({ turns: [], next: 7 });
    const third = readFeatureTurns(run, second.next);
    expect(third).toStrictEqual({ turns: expected.slice(2), next: run.length });
  });
});
