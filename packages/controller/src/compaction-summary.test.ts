import type { Message } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { summariseExtractively } from './compaction.js';

const call = (id: string, name: string, args: string) => ({ id, name, arguments: args });

const ok = (toolCallId: string, output: string): Message => ({
  role: 'tool',
  toolCallId,
  toolName: 'bash',
  result: { status: 'ok', output },
});

describe('summariseExtractively', () => {
  it('lists each action, the first line of its result and each user update, under the intent', () => {
    const messages: Message[] = [
      {
        role: 'assistant',
        content: 'Looking.',
        toolCalls: [call('c1', 'bash', '{"command":"ls"}')],
      },
      ok('c1', 'a.txt\nb.txt'),
      { role: 'user', content: 'Only  the\nREADME, please.' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          call('c2', 'read', '{"path":"README"}'),
          call('c3', 'bash', '{"command":"wc"}'),
        ],
      },
      {
        role: 'tool',
        toolCallId: 'c2',
        toolName: 'read',
        result: { status: 'error', error: { code: 'not-found', message: 'No README.' } },
      },
      {
        role: 'tool',
        toolCallId: 'c3',
        toolName: 'bash',
        result: { status: 'cancelled', reason: 'Interrupted.' },
      },
    ];
    expect(summariseExtractively({ messages, intent: 'Fix the bug.', from: 2 })).toBe(
      [
        'Summary of 2 earlier turns (compacted to save context). Current intent:',
        'Fix the bug.',
        '',
        'What was done:',
        '- bash {"command":"ls"}',
        '  → ok: a.txt',
        // A user update is kept verbatim, whitespace and all.
        '- user: Only  the\nREADME, please.',
        '- read {"path":"README"}',
        '- bash {"command":"wc"}',
        '  → error: Error (not-found): No README.',
        '  → cancelled: Cancelled: Interrupted.',
      ].join('\n'),
    );
  });

  it('counts every assistant message as a turn and has an empty list for no messages', () => {
    expect(summariseExtractively({ messages: [], intent: 'T', from: 2 })).toBe(
      'Summary of 0 earlier turns (compacted to save context). Current intent:\nT\n\nWhat was done:\n',
    );
    const three: Message[] = [1, 2, 3].map((index) => ({
      role: 'assistant',
      content: '',
      toolCalls: [call(`c${index}`, 'step', `${index}`)],
    }));
    expect(summariseExtractively({ messages: three, intent: 'T', from: 2 })).toBe(
      'Summary of 3 earlier turns (compacted to save context). Current intent:\nT\n\nWhat was done:\n- step 1\n- step 2\n- step 3',
    );
  });

  it('folds each run of whitespace in arguments to one space and cuts them at 160 characters', () => {
    const messages: Message[] = [
      {
        role: 'assistant',
        content: '',
        toolCalls: [call('c1', 'bash', '{\n  "command":\t\t"ls   -la"\n}')],
      },
      // 200 characters: 'x' × 150 then 'y' × 50; the preview keeps 150 x and 10 y.
      {
        role: 'assistant',
        content: '',
        toolCalls: [call('c2', 'write', `${'x'.repeat(150)}${'y'.repeat(50)}`)],
      },
    ];
    const lines = summariseExtractively({ messages, intent: 'T', from: 2 }).split('\n').slice(4);
    expect(lines).toEqual([
      '- bash { "command": "ls -la" }',
      `- write ${'x'.repeat(150)}${'y'.repeat(10)}`,
    ]);
  });

  it('quotes what an assistant said only when it called no tool and said something', () => {
    const messages: Message[] = [
      { role: 'assistant', content: 'I think\n\n  the   test is wrong.', toolCalls: [] },
      { role: 'assistant', content: '', toolCalls: [] },
      { role: 'assistant', content: 'Running it.', toolCalls: [call('c1', 'bash', 'pytest')] },
      // 170 characters said: the preview keeps the first 160.
      { role: 'assistant', content: `${'a'.repeat(100)}${'b'.repeat(70)}`, toolCalls: [] },
    ];
    const lines = summariseExtractively({ messages, intent: 'T', from: 2 }).split('\n');
    expect(lines[0]).toBe(
      'Summary of 4 earlier turns (compacted to save context). Current intent:',
    );
    expect(lines.slice(4)).toEqual([
      '- said: I think the test is wrong.',
      '- bash pytest',
      `- said: ${'a'.repeat(100)}${'b'.repeat(60)}`,
    ]);
  });

  it('keeps a result to its first line, cut at 160 characters, and an empty output as empty', () => {
    const messages: Message[] = [
      ok('c1', `${'r'.repeat(160)}s\nsecond line`),
      ok('c2', ''),
      ok('c3', '\nonly on the second line'),
      ok('c4', 'one  line   with spaces'),
    ];
    const lines = summariseExtractively({ messages, intent: 'T', from: 2 }).split('\n').slice(4);
    expect(lines).toEqual([
      `  → ok: ${'r'.repeat(160)}`,
      '  → ok: ',
      '  → ok: ',
      '  → ok: one  line   with spaces',
    ]);
  });

  it('leaves system messages out of the summary', () => {
    const messages: Message[] = [
      { role: 'system', content: 'Be careful.' },
      { role: 'assistant', content: '', toolCalls: [call('c1', 'bash', 'ls')] },
    ];
    expect(summariseExtractively({ messages, intent: 'T', from: 0 })).toBe(
      'Summary of 1 earlier turns (compacted to save context). Current intent:\nT\n\nWhat was done:\n- bash ls',
    );
  });
});
