import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent } from './create-agent.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';

const step = defineTool({
  name: 'step',
  description: 'Takes a step.',
  input: z.object({}),
  execute: () => new Promise<string>((resolve) => setTimeout(() => resolve('stepped'), 2)),
});

const agent = () =>
  createAgent({
    backend: createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'step', arguments: {} }] }, { text: 'Done.' }],
    }),
    tools: [step],
  });

describe('pause then resume before the pause takes effect', () => {
  it.each([
    ['in the same tick', (then: () => void) => then(), true],
    // A macrotask later, the pause may or may not have taken effect: either way the run ends.
    ['a macrotask later', (then: () => void) => setImmediate(then), false],
  ])('%s: all of 100 concurrent runs end', async (_name, later, cancelled) => {
    const handles = Array.from({ length: 100 }, () => agent().run('Take a step.'));
    const pauses: string[] = [];
    for (const handle of handles) {
      handle.once('tool.start', () => {
        handle.pause();
        later(() => handle.resume());
      });
      handle.on('run.pause', () => pauses.push(handle.runId));
    }
    const results = await Promise.all(handles.map((handle) => handle.result));
    expect(results.every((result) => result.status === 'done')).toBe(true);
    if (cancelled) expect(pauses).toEqual([]);
  });

  it('a resume after the pause took effect resumes the run', async () => {
    const handle = agent().run('Take a step.');
    handle.once('tool.start', () => handle.pause());
    handle.once('run.pause', () => setImmediate(() => handle.resume()));
    expect((await handle.result).status).toBe('done');
  });
});
