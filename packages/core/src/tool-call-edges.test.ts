import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Controller } from './controller.js';
import { createAgent } from './create-agent.js';
import type { ToolMessage } from './message.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool, toolOutputText } from './tool.js';

const toolResults = (messages: readonly { role: string }[]) =>
  messages
    .filter((message): message is ToolMessage => message.role === 'tool')
    .map((m) => m.result);

describe('tool calls at their edges', () => {
  it("times a call out after the controller's timeout for it", async () => {
    const hanging = defineTool({
      name: 'hang',
      description: 'Never returns.',
      input: z.object({}),
      execute: (_input, { signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    const limiter: Controller = {
      name: 'limiter',
      open: () => ({ beforeTool: () => [{ type: 'timeout', ms: 20, source: 'limiter' }] }),
    };
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'hang', arguments: {} }] }, { text: 'Gave up.' }],
    });
    const result = await createAgent({ backend, tools: [hanging], controller: limiter }).run('Go.')
      .result;
    expect(toolResults(result.messages)).toEqual([
      { status: 'error', error: expect.objectContaining({ code: 'tool-timeout' }) },
    ]);
  });

  it('names the root of the input when the arguments are not what the schema wants', async () => {
    const text = defineTool({
      name: 'text',
      description: 'Takes a string.',
      input: z.string(),
      execute: (value) => value,
    });
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'text', arguments: { a: 1 } }] }, { text: 'Done.' }],
    });
    const result = await createAgent({ backend, tools: [text] }).run('Go.').result;
    const [first] = toolResults(result.messages);
    expect(first?.status === 'error' && first.error.message).toMatch(
      /^Invalid arguments for tool 'text': \(root\): /,
    );
  });

  it('never runs a tool whose call beforeTool answers or denies', async () => {
    const executed: string[] = [];
    const lookup = defineTool({
      name: 'lookup',
      description: 'Looks a key up.',
      input: z.object({ key: z.string() }),
      execute: ({ key }) => void executed.push(key),
    });
    const gate: Controller = {
      name: 'gate',
      open: () => ({
        beforeTool: (_view, call) =>
          call.arguments.includes('cached')
            ? [{ type: 'resolve', output: 'from the cache', source: 'gate' }]
            : [{ type: 'deny', reason: 'not now', source: 'gate' }],
      }),
    };
    const backend = createScriptedBackend({
      responses: [
        {
          toolCalls: [
            { name: 'lookup', arguments: { key: 'cached' } },
            { name: 'lookup', arguments: { key: 'other' } },
          ],
        },
        { text: 'Done.' },
      ],
    });
    const handle = createAgent({ backend, tools: [lookup], controller: gate }).run('Go.');
    let starts = 0;
    handle.on('tool.start', () => {
      starts += 1;
    });
    const result = await handle.result;
    expect(executed).toEqual([]);
    expect(starts).toBe(2);
    expect(toolResults(result.messages)).toEqual([
      { status: 'ok', output: 'from the cache' },
      { status: 'error', error: expect.objectContaining({ code: 'tool-denied' }) },
    ]);
  });

  it('renders tool outputs as text: strings as they are, nothing as empty, the rest as JSON', () => {
    expect(toolOutputText('plain')).toBe('plain');
    expect(toolOutputText(undefined)).toBe('');
    expect(toolOutputText({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(toolOutputText(null)).toBe('null');
  });

  it('lets a reader leave the event stream early without holding the run', async () => {
    const backend = createScriptedBackend({ responses: [{ text: 'Done.' }] });
    const handle = createAgent({ backend }).run('Go.');
    const iterator = handle.events();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(await iterator.return?.()).toEqual({ value: undefined, done: true });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect((await handle.result).status).toBe('done');
  });
});
