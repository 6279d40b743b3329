import { describe, expect, it } from 'vitest';
import { createAgent } from './create-agent.js';
import { createMemoryCheckpointer } from './memory-checkpointer.js';
import { createScriptedBackend } from './testing/scripted-backend.js';

describe('createMemoryCheckpointer', () => {
  it('lists, loads copies of, and deletes the runs it holds', async () => {
    const checkpointer = createMemoryCheckpointer();
    const backend = createScriptedBackend({ responses: [{ text: 'one' }, { text: 'two' }] });
    const agent = createAgent({ backend, checkpointer });
    await agent.run('First.', { runId: 'a' }).result;
    await agent.run('Second.', { runId: 'b' }).result;
    expect(await checkpointer.list()).toEqual(['a', 'b']);
    const loaded = await checkpointer.load('a');
    expect(loaded).toMatchObject({ runId: 'a', task: 'First.', status: 'done' });
    expect(loaded?.messages).toHaveLength(loaded?.messageCount ?? -1);
    // A copy: changing it changes nothing held.
    (loaded?.messages as unknown[]).length = 0;
    expect((await checkpointer.load('a'))?.messages.length).toBeGreaterThan(0);
    await checkpointer.delete('a');
    expect(await checkpointer.list()).toEqual(['b']);
    expect(await checkpointer.load('a')).toBeUndefined();
  });
});
