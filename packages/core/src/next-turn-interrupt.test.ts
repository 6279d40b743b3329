/**
 * An interruption for the next turn waits for the call in flight: the model call streams to its
 * end and a tool call returns its result; only an urgent one cuts them.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Controller } from './controller.js';
import { createAgent } from './create-agent.js';
import type { InterruptInput } from './interrupt.js';
import type { ToolMessage } from './message.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';

/** A tool that answers after `ms`, unless cancelled. */
const slow = defineTool({
  name: 'slow',
  description: 'Takes a while.',
  input: z.object({}),
  execute: (_input, { signal }) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => resolve('finished'), 30);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    }),
});

/** Runs a tool turn and an answer, interrupting as the model call and the tool call start. */
async function interruptedRun(urgency: InterruptInput['urgency']) {
  const backend = createScriptedBackend({
    delayMs: 2,
    responses: [
      { text: 'Let me run the slow tool now.', toolCalls: [{ name: 'slow', arguments: {} }] },
      { text: 'Done.' },
      { text: 'Done again.' },
    ],
  });
  const handle = createAgent({ backend, tools: [slow] }).run('Work.');
  let atModel = false;
  let atTool = false;
  handle.on('*', (event) => {
    if (event.type === 'model.delta' && event.turn === 1 && !atModel) {
      atModel = true;
      handle.interrupt({ kind: 'addition', text: 'Mind the tabs.', urgency });
    }
    if (event.type === 'tool.start' && !atTool) {
      atTool = true;
      handle.interrupt({ kind: 'addition', text: 'And the spaces.', urgency });
    }
  });
  return handle.result;
}

describe('an interruption for the next turn', () => {
  it('lets the model call and the tool call in flight finish', async () => {
    const result = await interruptedRun('next-turn');
    expect(result.status).toBe('done');
    const [assistant] = result.messages.filter((message) => message.role === 'assistant');
    expect(assistant).toMatchObject({ content: 'Let me run the slow tool now.' });
    expect(assistant && 'interrupted' in assistant && assistant.interrupted).toBeFalsy();
    const tool = result.messages.find((message): message is ToolMessage => message.role === 'tool');
    expect(tool?.result).toEqual({ status: 'ok', output: 'finished' });
  });

  it('is unlike an urgent one, which cuts the model call short', async () => {
    const result = await interruptedRun('now');
    const [assistant] = result.messages.filter((message) => message.role === 'assistant');
    expect(assistant && 'interrupted' in assistant && assistant.interrupted).toBe(true);
  });

  it('an urgent one cancels the tool call: counted as cancelled, not shown to afterTool', async () => {
    const afterTool: string[] = [];
    const stats: unknown[] = [];
    const watcher: Controller = {
      name: 'watcher',
      open: () => ({
        afterTool: (_view, outcome) => void afterTool.push(outcome.result.status),
        beforeModel: (view) => void stats.push(structuredClone(view.toolStats)),
      }),
    };
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'slow', arguments: {} }] }, { text: 'Done.' }],
    });
    const handle = createAgent({ backend, tools: [slow], controller: watcher }).run('Work.');
    handle.once('tool.start', () =>
      handle.interrupt({ kind: 'addition', text: 'Stop that.', urgency: 'now' }),
    );
    const result = await handle.result;
    expect(result.status).toBe('done');
    expect(afterTool).toEqual([]);
    expect(stats.at(-1)).toEqual({ slow: { calls: 1, errors: 0, cancelled: 1, totalMs: 0 } });
  });
});
