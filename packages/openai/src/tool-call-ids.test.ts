import { createAgent, defineTool } from '@reins/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOpenAICompatible } from './create-openai-compatible.js';
import {
  type ChatCompletionsServer,
  createChatCompletionsServer,
} from './testing/chat-completions-server.js';

let server: ChatCompletionsServer;
beforeAll(async () => {
  server = await createChatCompletionsServer();
});
afterAll(async () => {
  await server.close();
});

describe('tool-call ids from a server that repeats them', () => {
  it('runs each call under its own Reins id and sends the server its own ids back, deduplicated', async () => {
    const charged: string[] = [];
    const charge = defineTool({
      name: 'charge',
      description: 'Charges an amount.',
      input: z.object({ cents: z.number() }),
      execute: ({ cents }, { callId }) => {
        charged.push(callId);
        return `charged ${cents}`;
      },
    });
    server.enqueue(
      { toolCalls: [{ id: 'call_0', name: 'charge', arguments: { cents: 100 } }] },
      { toolCalls: [{ id: 'call_0', name: 'charge', arguments: { cents: 250 } }] },
      { text: 'Charged twice.' },
    );
    const first = server.requests.length;
    const backend = createOpenAICompatible({
      baseURL: server.baseURL,
      apiKey: 'test-key',
      model: 'gpt-4.1-mini',
    });
    const result = await createAgent({ backend, tools: [charge] }).run('Charge 1 and 2.50.').result;
    expect(result.status).toBe('done');
    // Two charges, two keys: an API keyed on callId sees two different charges.
    expect(charged).toHaveLength(2);
    expect(new Set(charged).size).toBe(2);
    const calls = result.messages.flatMap((message) =>
      message.role === 'assistant' ? message.toolCalls : [],
    );
    expect(calls.map((call) => call.id)).toEqual(charged);
    expect(calls.map((call) => call.providerCallId)).toEqual(['call_0', 'call_0']);

    const last = server.requests[first + 2]?.body as {
      messages: { role: string; tool_calls?: { id: string }[]; tool_call_id?: string }[];
    };
    const sentCalls = last.messages.flatMap((message) =>
      (message.tool_calls ?? []).map((call) => call.id),
    );
    const sentResults = last.messages.flatMap((message) =>
      message.tool_call_id === undefined ? [] : [message.tool_call_id],
    );
    // The first call goes back under the server's id; the second, whose id the server already
    // used, under Reins' id; each result under its call's id.
    expect(sentCalls).toEqual(['call_0', calls[1]?.id]);
    expect(sentResults).toEqual(sentCalls);
  });
});
