import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { tool } from '@langchain/core/tools';
import { defineTool, type Message, toToolSpec } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromLangChainMessages } from './convert-from-langchain-messages.js';
import { toLangChainMessages } from './convert-to-langchain-messages.js';
import { fromLangChainTool } from './from-langchain-tool.js';
import { toLangChainTool } from './to-langchain-tool.js';

const context = { signal: new AbortController().signal, runId: 'r', callId: 'c' };

describe('tools in both directions', () => {
  it('toLangChainTool keeps name, description and schema, and runs the Reins tool', async () => {
    let seenSignal: AbortSignal | undefined;
    const add = defineTool({
      name: 'add',
      description: 'Adds two numbers.',
      input: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }, { signal }) => {
        seenSignal = signal;
        return { sum: a + b };
      },
    });
    const converted = toLangChainTool(add);
    expect(converted.name).toBe('add');
    expect(converted.description).toBe('Adds two numbers.');
    const controller = new AbortController();
    expect(await converted.invoke({ a: 2, b: 3 }, { signal: controller.signal })).toBe('{"sum":5}');
    expect(seenSignal).toBeDefined();
    await expect(converted.invoke({ a: 'x', b: 3 } as never)).rejects.toThrow();
  });

  it('fromLangChainTool keeps a zod 4 schema and runs the LangChain tool', async () => {
    const search = tool(async ({ query }: { query: string }) => `results for ${query}`, {
      name: 'search',
      description: 'Searches.',
      schema: z.object({ query: z.string() }),
    });
    const converted = fromLangChainTool(search);
    expect(toToolSpec(converted).inputSchema).toMatchObject({
      type: 'object',
      required: ['query'],
    });
    expect(converted.input.safeParse({ query: 1 }).success).toBe(false);
    expect(await converted.execute({ query: 'reins' }, context)).toBe('results for reins');
  });

  it('fromLangChainTool converts a JSON-schema tool so that Reins validates its arguments', async () => {
    const lookup = tool(async (input: { id: number }) => ({ id: input.id, found: true }), {
      name: 'lookup',
      description: 'Looks up a record.',
      schema: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
    });
    const converted = fromLangChainTool(lookup);
    expect(converted.input.safeParse({ id: 3 }).success).toBe(true);
    expect(converted.input.safeParse({}).success).toBe(false);
    expect(await converted.execute({ id: 3 }, context)).toBe('{"id":3,"found":true}');
  });

  it('toLangChainTool gives a JSON-Schema tool (an MCP server tool) its own schema, and validates with the Reins schema', async () => {
    const jsonSchema = {
      type: 'object',
      properties: { path: { type: 'string', description: 'The file.' } },
      required: ['path'],
    };
    const read = defineTool({
      name: 'read_text_file',
      description: 'Reads a file.',
      input: z.record(z.string(), z.unknown()).refine((value) => typeof value.path === 'string', {
        path: ['path'],
        message: 'required property is missing',
      }),
      inputJsonSchema: jsonSchema,
      execute: (value) => `read ${String(value.path)}`,
    });
    const converted = toLangChainTool(read);
    expect(converted.schema).toEqual(jsonSchema);
    expect(await converted.invoke({ path: 'a.txt' })).toBe('read a.txt');
    expect(toToolSpec(fromLangChainTool(converted)).inputSchema).toEqual(jsonSchema);
  });

  it('a round trip keeps the JSON Schema the model sees', () => {
    const original = defineTool({
      name: 'edit',
      description: 'Edits a file.',
      input: z.object({ path: z.string(), line: z.number().int().optional() }),
      execute: () => 'ok',
    });
    expect(toToolSpec(fromLangChainTool(toLangChainTool(original)))).toEqual(toToolSpec(original));
  });
});

describe('messages in both directions on recorded tau-bench conversations', () => {
  it('converts every conversation to LangChain and back without loss', async () => {
    const repoRoot = path.resolve(import.meta.dirname, '../../..');
    const file = path.resolve(repoRoot, '../shared/data/tau-bench/gpt-4o-airline.dev.json');
    const text = await readFile(file, 'utf8').catch(() => {
      throw new Error(
        `Recorded data is missing: ${file}. Put the shared data next to the repository (../shared/data).`,
      );
    });
    const runs = JSON.parse(text) as {
      traj: {
        role: string;
        content: string | null;
        tool_calls?: { id: string; function: { name: string; arguments: string } }[] | null;
        tool_call_id?: string;
        name?: string;
      }[];
    }[];
    let checked = 0;
    for (const run of runs) {
      const messages: Message[] = run.traj.map((message): Message => {
        switch (message.role) {
          case 'system':
            return { role: 'system', content: message.content ?? '' };
          case 'user':
            return { role: 'user', content: message.content ?? '' };
          case 'assistant':
            return {
              role: 'assistant',
              content: message.content ?? '',
              toolCalls: (message.tool_calls ?? []).map((call) => ({
                id: call.id,
                name: call.function.name,
                arguments: JSON.stringify(JSON.parse(call.function.arguments)),
              })),
            };
          default:
            return {
              role: 'tool',
              toolCallId: message.tool_call_id ?? '',
              toolName: message.name ?? '',
              result: { status: 'ok', output: message.content ?? '' },
            };
        }
      });
      expect(fromLangChainMessages(toLangChainMessages(messages))).toEqual(messages);
      checked += messages.length;
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
