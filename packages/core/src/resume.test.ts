import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent } from './create-agent.js';
import { createFileCheckpointer } from './file-checkpointer.js';
import { createMemoryCheckpointer } from './memory-checkpointer.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'reins-resume-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const script = [
  { toolCalls: [{ name: 'count', arguments: { label: 'a' } }] },
  { toolCalls: [{ name: 'count', arguments: { label: 'b' } }] },
  { text: 'Counted.' },
];

describe('agent.resume', () => {
  it('continues a paused-then-abandoned run from its last checkpoint in a fresh agent', async () => {
    const executed: string[] = [];
    const count = defineTool({
      name: 'count',
      description: 'Counts.',
      input: z.object({ label: z.string() }),
      execute: ({ label }) => {
        executed.push(label);
        return label;
      },
    });
    const checkpointer = createFileCheckpointer({ directory });
    const first = createAgent({
      backend: createScriptedBackend({ responses: script }),
      tools: [count],
      checkpointer,
    });
    const handle = first.run('Count twice.', { runId: 'run_resume' });
    handle.once('turn.end', () => handle.pause());
    await new Promise((resolve) => handle.once('run.pause', resolve));
    // The first process "goes away" here; a new agent picks the run up from disk.
    const second = createAgent({
      backend: createScriptedBackend({ responses: script }),
      tools: [count],
      checkpointer: createFileCheckpointer({ directory }),
    });
    const resumed = await second.resume('run_resume');
    const starts: boolean[] = [];
    resumed.on('run.start', (event) => starts.push(event.resumed));
    const result = await resumed.result;
    expect(result.status).toBe('done');
    expect(starts).toEqual([true]);
    expect(executed).toEqual(['a', 'b']);
    expect(result.turns).toBe(3);

    const again = await second.resume('run_resume');
    expect((await again.result).output).toBe('Counted.');
  });

  it('refuses to resume without a checkpointer or an unknown run, naming the fix', async () => {
    const agent = createAgent({ backend: createScriptedBackend({ responses: script }) });
    await expect(agent.resume('x')).rejects.toThrow(/no checkpointer/);
    const withStore = createAgent({
      backend: createScriptedBackend({ responses: script }),
      checkpointer: createMemoryCheckpointer(),
    });
    await expect(withStore.resume('x')).rejects.toThrow(/has no checkpoint/);
  });
});
