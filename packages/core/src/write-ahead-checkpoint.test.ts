/**
 * The checkpoints a run saves around its tool calls: the step that asks for tools is saved,
 * as running, before any of them starts; a run resumed inside that turn runs only the calls
 * whose results were not saved; and without a checkpointer nothing is built at all.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Checkpointer, RunCheckpoint } from './checkpointer.js';
import type { Controller } from './controller.js';
import { createAgent } from './create-agent.js';
import { createMemoryCheckpointer } from './memory-checkpointer.js';
import type { ToolMessage } from './message.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';

/** A memory checkpointer that also keeps a copy of every checkpoint saved, in order. */
function recordingCheckpointer(): Checkpointer & { readonly saved: RunCheckpoint[] } {
  const memory = createMemoryCheckpointer();
  const saved: RunCheckpoint[] = [];
  return {
    ...memory,
    saved,
    save: async (checkpoint) => {
      saved.push(structuredClone(checkpoint));
      await memory.save(checkpoint);
    },
  };
}

/** Two calls to `count` in one step, then an answer. */
const script = () =>
  createScriptedBackend({
    responses: [
      {
        text: 'Counting.',
        toolCalls: [
          { name: 'count', arguments: { label: 'a' } },
          { name: 'count', arguments: { label: 'b' } },
        ],
      },
      { text: 'Counted.' },
    ],
  });

/** A `count` tool that records its runs; `b` waits for its signal when `holdB` is set. */
function countTool(holdB: boolean) {
  const ran: string[] = [];
  const tool = defineTool({
    name: 'count',
    description: 'Counts.',
    input: z.object({ label: z.string() }),
    execute: ({ label }, { signal }) => {
      ran.push(label);
      if (label !== 'b' || !holdB) return label;
      return new Promise<string>((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason)),
      );
    },
  });
  return { tool, ran };
}

describe('checkpoints around tool calls', () => {
  it('saves the step that asks for tools, as running, before any tool starts', async () => {
    const checkpointer = recordingCheckpointer();
    const { tool } = countTool(false);
    const handle = createAgent({ backend: script(), tools: [tool], checkpointer }).run('Count.');
    let savedAtFirstTool = -1;
    const order: string[] = [];
    handle.on('*', (event) => {
      if (event.type === 'tool.start' && savedAtFirstTool < 0)
        savedAtFirstTool = checkpointer.saved.length;
      if (event.type === 'turn.start' || event.type === 'checkpoint.saved') order.push(event.type);
    });
    expect((await handle.result).status).toBe('done');
    expect(savedAtFirstTool).toBe(1);
    expect(checkpointer.saved[0]).toMatchObject({
      status: 'running',
      turn: 1,
      messageCount: 2,
      toolResults: {},
    });
    expect(checkpointer.saved[0]?.messages[1]).toMatchObject({
      role: 'assistant',
      content: 'Counting.',
    });
    // Nothing is saved before the first turn of a new run.
    expect(order).toEqual(['turn.start', 'checkpoint.saved', 'turn.start']);
  });

  it('resumes inside the turn, running only the calls whose results were not saved', async () => {
    const checkpointer = recordingCheckpointer();
    const first = countTool(true);
    const handle = createAgent({ backend: script(), tools: [first.tool], checkpointer }).run(
      'Count.',
      { runId: 'r1' },
    );
    handle.on('tool.end', (event) => {
      if (event.result.status === 'ok') handle.abort('The process went away.');
    });
    expect((await handle.result).status).toBe('cancelled');
    expect(first.ran).toEqual(['a', 'b']);
    // The checkpoint saved after `a` returned, while `b` still ran.
    const midTurn = checkpointer.saved.find(
      (checkpoint) => Object.keys(checkpoint.toolResults).length === 1,
    );
    expect(midTurn?.status).toBe('running');

    const store = createMemoryCheckpointer();
    await store.save(midTurn as RunCheckpoint);
    const second = countTool(false);
    const resumed = await createAgent({
      backend: script(),
      tools: [second.tool],
      checkpointer: store,
    }).resume('r1');
    const result = await resumed.result;
    expect(result).toMatchObject({ status: 'done', output: 'Counted.' });
    expect(second.ran).toEqual(['b']);
    expect(
      result.messages
        .filter((message): message is ToolMessage => message.role === 'tool')
        .map((message) => message.result),
    ).toEqual([
      { status: 'ok', output: 'a' },
      { status: 'ok', output: 'b' },
    ]);
  });

  it('without a checkpointer, never asks the controller for a snapshot', async () => {
    let snapshots = 0;
    const controller: Controller = {
      name: 'stateful',
      open: () => ({
        snapshot: () => {
          snapshots += 1;
          return { turns: 0 };
        },
      }),
    };
    const { tool } = countTool(false);
    const result = await createAgent({ backend: script(), tools: [tool], controller }).run('Count.')
      .result;
    expect(result.status).toBe('done');
    expect(snapshots).toBe(0);
  });
});
