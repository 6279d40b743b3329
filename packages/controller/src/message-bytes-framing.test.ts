import type { Message } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createMessageBytesCounter, messageBytes } from './message-bytes.js';

describe('messageBytes', () => {
  it('counts the UTF-8 bytes of a text message plus 8 bytes of framing', () => {
    // 'hi': 2 + 8.
    expect(messageBytes({ role: 'user', content: 'hi' })).toBe(10);
    // 'café': c, a, f and the 2-byte é = 5; + 8.
    expect(messageBytes({ role: 'system', content: 'café' })).toBe(13);
    expect(messageBytes({ role: 'user', content: '' })).toBe(8);
  });

  it('counts a tool result as the text a model reads plus 16 bytes', () => {
    const tool = (result: Extract<Message, { role: 'tool' }>['result']): Message => ({
      role: 'tool',
      toolCallId: 'call_1',
      toolName: 'bash',
      result,
    });
    // 'abc': 3 + 16.
    expect(messageBytes(tool({ status: 'ok', output: 'abc' }))).toBe(19);
    // 'Error (x): boom' is 15 bytes; + 16.
    expect(messageBytes(tool({ status: 'error', error: { code: 'x', message: 'boom' } }))).toBe(31);
    // 'Cancelled: €': 11 + the 3-byte € = 14; + 16.
    expect(messageBytes(tool({ status: 'cancelled', reason: '€' }))).toBe(30);
  });

  it('adds an assistant message’s reasoning and each tool call’s name and arguments plus 16', () => {
    // 'ok' 2 + 8, no reasoning, no calls.
    expect(messageBytes({ role: 'assistant', content: 'ok', toolCalls: [] })).toBe(10);
    // 'ok' 2 + 8, reasoning 'why' 3.
    expect(
      messageBytes({ role: 'assistant', content: 'ok', reasoning: 'why', toolCalls: [] }),
    ).toBe(13);
    // '' 0 + 8; 'bash' 4 + '{"c":"ls"}' 10 + 16 = 30; 'read' 4 + 'a.txt' 5 + 16 = 25: 63.
    expect(
      messageBytes({
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'c1', name: 'bash', arguments: '{"c":"ls"}' },
          { id: 'c2', name: 'read', arguments: 'a.txt' },
        ],
      }),
    ).toBe(63);
    // 'go' 2 + 8; reasoning '🙂' 4; 'x' 1 + '' 0 + 16: 31.
    expect(
      messageBytes({
        role: 'assistant',
        content: 'go',
        reasoning: '🙂',
        toolCalls: [{ id: 'c1', name: 'x', arguments: '' }],
      }),
    ).toBe(31);
  });

  it('counts the content only of a message of another role, whatever fields it carries', () => {
    // A user message is never read as an assistant one, even with the same fields.
    const odd = {
      role: 'user',
      content: 'hi',
      reasoning: 'why',
      toolCalls: [],
    } as unknown as Message;
    expect(messageBytes(odd)).toBe(10);
  });
});

/** A user message that counts how often its content is read. */
const counted = (content: string) => {
  const reads = { count: 0 };
  const message = {
    role: 'user',
    get content() {
      reads.count += 1;
      return content;
    },
  } as Message;
  return { message, reads };
};

describe('createMessageBytesCounter', () => {
  it('sums the bytes of the messages from the given index', () => {
    const bytesOf = createMessageBytesCounter();
    // 'a' 9, 'bb' 10, 'ccc' 11.
    const messages: Message[] = [
      { role: 'user', content: 'a' },
      { role: 'user', content: 'bb' },
      { role: 'user', content: 'ccc' },
    ];
    expect(bytesOf(messages, 0)).toBe(30);
    expect(bytesOf(messages, 1)).toBe(21);
    expect(bytesOf(messages, 3)).toBe(0);
    expect(bytesOf(messages, 9)).toBe(0);
    expect(bytesOf([], 0)).toBe(0);
  });

  it('reads each message once while the history only grows', () => {
    const bytesOf = createMessageBytesCounter();
    const first = counted('one');
    const second = counted('two');
    const third = counted('three');
    expect(bytesOf([first.message], 0)).toBe(11);
    expect(bytesOf([first.message, second.message], 0)).toBe(22);
    expect(bytesOf([first.message, second.message], 1)).toBe(11);
    // 11 + 11 + 13.
    expect(bytesOf([first.message, second.message, third.message], 0)).toBe(35);
    expect([first.reads.count, second.reads.count, third.reads.count]).toEqual([1, 1, 1]);
  });

  it('recounts a rewritten history from the first message that changed', () => {
    const bytesOf = createMessageBytesCounter();
    const kept = counted('kept');
    const dropped = counted('dropped');
    const tail = counted('tail');
    const summary = counted('summary');
    expect(bytesOf([kept.message, dropped.message, tail.message], 0)).toBe(12 + 15 + 12);
    // A compaction: the middle message becomes a summary; the tail is the same object.
    expect(bytesOf([kept.message, summary.message, tail.message], 0)).toBe(12 + 15 + 12);
    // Counting the same history again reads nothing.
    expect(bytesOf([kept.message, summary.message, tail.message], 1)).toBe(15 + 12);
    expect([kept.reads.count, dropped.reads.count, summary.reads.count, tail.reads.count]).toEqual([
      1, 1, 1, 2,
    ]);
  });
});
