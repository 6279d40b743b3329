import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent } from './create-agent.js';
import { InvalidOptionsError } from './errors/invalid-options-error.js';
import type { ToolMessage } from './message.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool, type Tool, toToolSpec } from './tool.js';
import type { ToolSource } from './tool-source.js';

const echo = (name: string) =>
  defineTool({
    name,
    description: `Echoes as ${name}.`,
    input: z.object({ text: z.string() }),
    execute: ({ text }) => `${name}:${text}`,
  });

/** A source whose list the test changes by hand. */
function mutableSource(
  initial: readonly Tool[],
): ToolSource & { set(tools: readonly Tool[]): void } {
  let tools = initial;
  return {
    name: 'mutable',
    currentTools: () => tools,
    set(next) {
      tools = next;
    },
  };
}

describe('tool sources', () => {
  it('offers a changed list from the next turn on, and runs calls against the turn that offered them', async () => {
    const source = mutableSource([echo('first')]);
    const backend = createScriptedBackend({
      responses: [
        // Turn 1 calls a tool that only turn 2 will offer: unknown in turn 1.
        {
          toolCalls: [
            { name: 'first', arguments: { text: 'a' } },
            { name: 'second', arguments: { text: 'b' } },
          ],
        },
        { toolCalls: [{ name: 'second', arguments: { text: 'c' } }] },
        { text: 'done' },
      ],
    });
    const agent = createAgent({ backend, tools: [echo('own')], toolSources: [source] });
    const handle = agent.run('go');
    handle.on('tool.end', (event) => {
      if (event.call.name === 'second') return;
      source.set([echo('first'), echo('second')]);
    });
    const result = await handle.result;
    expect(result.status).toBe('done');
    expect(backend.requests.map((request) => request.tools.map((tool) => tool.name))).toEqual([
      ['own', 'first'],
      ['own', 'first', 'second'],
      ['own', 'first', 'second'],
    ]);
    const tools = result.messages.filter(
      (message): message is ToolMessage => message.role === 'tool',
    );
    expect(tools.map((message) => message.result.status)).toEqual(['ok', 'error', 'ok']);
    expect(tools[1]?.result).toMatchObject({ status: 'error', error: { code: 'unknown-tool' } });
    expect(tools[2]?.result).toEqual({ status: 'ok', output: 'second:c' });
  });

  it('fails the run with a typed error naming both origins when a source adds a name already taken', async () => {
    const source = mutableSource([echo('own')]);
    const backend = createScriptedBackend({ responses: [{ text: 'never' }] });
    const result = await createAgent({ backend, tools: [echo('own')], toolSources: [source] }).run(
      'go',
    ).result;
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('invalid-options');
    expect(result.error?.message).toContain("tool source 'mutable'");
    expect(result.error?.message).toContain('unique name');
    expect(backend.requests).toHaveLength(0);
  });

  it('fails the run when a source starts returning an invalid tool mid-run, before the next model call', async () => {
    const source = mutableSource([echo('first')]);
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'first', arguments: { text: 'a' } }] }, { text: 'never' }],
    });
    const handle = createAgent({ backend, toolSources: [source] }).run('go');
    handle.on('tool.end', () => source.set([{ ...echo('x'), name: 'bad name' }]));
    const result = await handle.result;
    expect(result.status).toBe('failed');
    expect(result.error?.message).toContain('"bad name" is invalid');
    expect(backend.requests).toHaveLength(1);
  });

  it('fails the run with an internal error when a source throws while listing its tools', async () => {
    let offline = false;
    const source: ToolSource = {
      name: 'registry',
      currentTools: () => {
        if (offline) throw new Error('registry offline');
        return [echo('first')];
      },
    };
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'first', arguments: { text: 'a' } }] }, { text: 'never' }],
    });
    const handle = createAgent({ backend, toolSources: [source] }).run('go');
    handle.on('tool.end', () => {
      offline = true;
    });
    const result = await handle.result;
    expect(result.status).toBe('failed');
    expect(result.error).toEqual({
      name: 'ReinsError',
      code: 'internal',
      message: 'A tool source failed to list its tools: registry offline',
    });
    expect(backend.requests).toHaveLength(1);
  });

  it('rejects a source without currentTools at creation', () => {
    const backend = createScriptedBackend({ responses: [] });
    expect(() =>
      createAgent({ backend, toolSources: [{ name: 'x' } as unknown as ToolSource] }),
    ).toThrow(InvalidOptionsError);
  });

  it("sends a tool's own JSON Schema to the model when it has one", () => {
    const schema = { type: 'object', properties: { path: { type: 'string', minLength: 1 } } };
    const tool = defineTool({
      ...echo('json'),
      inputJsonSchema: { $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema },
    });
    expect(toToolSpec(tool).inputSchema).toEqual(schema);
  });
});
