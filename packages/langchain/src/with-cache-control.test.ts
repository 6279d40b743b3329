import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { withCacheControl } from './model-request-changes.js';

const breakpoint = (ttl: '5m' | '1h') => ({ type: 'ephemeral', ttl });

describe('withCacheControl: the last message of a request marked as an Anthropic cache breakpoint', () => {
  it('marks a tool result, the last message after every tool call, and keeps what pairs it with its call', () => {
    const call = new AIMessage({
      content: '',
      tool_calls: [{ name: 'run', args: { command: 'ls' }, id: 'call_1', type: 'tool_call' }],
    });
    const result = new ToolMessage({
      content: 'a.txt',
      tool_call_id: 'call_1',
      name: 'run',
      status: 'error',
      id: 'tool-message-1',
    });

    const marked = withCacheControl([call, result], '1h');

    expect(marked[0]).toBe(call);
    const last = marked[1] as ToolMessage;
    expect(ToolMessage.isInstance(last)).toBe(true);
    expect(last.content).toEqual([
      { type: 'text', text: 'a.txt', cache_control: breakpoint('1h') },
    ]);
    expect([last.tool_call_id, last.name, last.status, last.id]).toEqual([
      'call_1',
      'run',
      'error',
      'tool-message-1',
    ]);
    // The stored message is left as it was.
    expect(result.content).toBe('a.txt');
  });

  it('leaves out of a copied tool message the fields the original did not have', () => {
    const marked = withCacheControl(
      [new ToolMessage({ content: 'ok', tool_call_id: 'call_2' })],
      '5m',
    )[0] as ToolMessage;

    expect(marked.tool_call_id).toBe('call_2');
    expect(marked.name).toBeUndefined();
    expect(marked.id).toBeUndefined();
    expect(marked.content).toEqual([{ type: 'text', text: 'ok', cache_control: breakpoint('5m') }]);
  });

  it('keeps the tool calls and id of an assistant message', () => {
    const answer = new AIMessage({
      content: 'Running it.',
      id: 'ai-1',
      tool_calls: [{ name: 'run', args: {}, id: 'call_3', type: 'tool_call' }],
    });

    const marked = withCacheControl([answer], '1h')[0] as AIMessage;

    expect(AIMessage.isInstance(marked)).toBe(true);
    expect(marked.id).toBe('ai-1');
    expect(marked.tool_calls?.map((call) => call.id)).toEqual(['call_3']);
    expect(marked.content).toEqual([
      { type: 'text', text: 'Running it.', cache_control: breakpoint('1h') },
    ]);
  });

  it('marks a system message as a system message', () => {
    const marked = withCacheControl([new SystemMessage('Be brief.')], '5m')[0] as BaseMessage;

    expect(SystemMessage.isInstance(marked)).toBe(true);
    expect(marked.content).toEqual([
      { type: 'text', text: 'Be brief.', cache_control: breakpoint('5m') },
    ]);
  });

  it('marks only the last block of content given as blocks, and keeps the id of a user message', () => {
    const question = new HumanMessage({
      id: 'human-1',
      content: [
        { type: 'text', text: 'Look at this:' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      ],
    });

    const marked = withCacheControl([question], '1h')[0] as HumanMessage;

    expect(HumanMessage.isInstance(marked)).toBe(true);
    expect(marked.id).toBe('human-1');
    expect(marked.content).toEqual([
      { type: 'text', text: 'Look at this:' },
      {
        type: 'image_url',
        image_url: { url: 'data:image/png;base64,AAAA' },
        cache_control: breakpoint('1h'),
      },
    ]);
  });

  it('returns an empty request as it is', () => {
    const none: BaseMessage[] = [];
    expect(withCacheControl(none, '5m')).toBe(none);
  });
});
