import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent } from './create-agent.js';
import type { Message } from './message.js';
import { providerCallIds } from './provider-call-ids.js';
import { createScriptedBackend, type ScriptedResponse } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';

const charge = (seen: string[]) =>
  defineTool({
    name: 'charge',
    description: 'Charges an item.',
    input: z.object({ item: z.string() }),
    execute: ({ item }, { callId }) => {
      seen.push(callId);
      return item;
    },
  });

describe('tool-call ids', () => {
  it('are made by Reins, unique in the run, when the server repeats its ids every turn', async () => {
    const seen: string[] = [];
    const backend = createScriptedBackend({
      responses: [1, 2, 3]
        .map(
          (turn): ScriptedResponse => ({
            toolCalls: ['a', 'b'].map((letter) => ({
              id: 'call_1_0',
              name: 'charge',
              arguments: { item: `${turn}${letter}` },
            })),
          }),
        )
        .concat([{ text: 'Done.', toolCalls: [] }]),
    });
    const result = await createAgent({ backend, tools: [charge(seen)] }).run('Charge.').result;
    expect(result.status).toBe('done');
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    const calls = result.messages.flatMap((message) =>
      message.role === 'assistant' ? message.toolCalls : [],
    );
    expect(calls.map((call) => call.id)).toEqual(seen);
    expect(calls.every((call) => call.providerCallId === 'call_1_0')).toBe(true);
    // The turn and position lead each id; tool results carry it.
    expect(calls[2]?.id).toMatch(/^call_2_1_/);
    const results = result.messages.flatMap((message) =>
      message.role === 'tool' ? [message.toolCallId] : [],
    );
    expect(results).toEqual(seen);
  });

  it('go back to the server as its own ids, except an id it already used', () => {
    const call = (id: string, providerCallId?: string) => ({
      id,
      name: 'f',
      arguments: '{}',
      ...(providerCallId === undefined ? {} : { providerCallId }),
    });
    const messages: Message[] = [
      { role: 'assistant', content: '', toolCalls: [call('r1', 'p1'), call('r2', 'p1')] },
      { role: 'assistant', content: '', toolCalls: [call('r3', 'p2'), call('r4')] },
      { role: 'assistant', content: '', toolCalls: [call('r5', 'p2'), call('r6', 'r4')] },
    ];
    expect([...providerCallIds(messages)]).toEqual([
      ['r1', 'p1'],
      ['r2', 'r2'],
      ['r3', 'p2'],
      ['r4', 'r4'],
      ['r5', 'r5'],
      // The server's id equals a Reins id already sent: Reins' own id is sent instead.
      ['r6', 'r6'],
    ]);
  });
});
