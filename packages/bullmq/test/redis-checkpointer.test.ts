import { randomUUID } from 'node:crypto';
import { CheckpointError, createAgent, defineTool } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { createRedisCheckpointer } from '../src/redis-checkpointer.js';

const url = inject('redisUrl');
const redis = new Redis(url);
afterAll(() => redis.quit());

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

const script = [
  { toolCalls: [{ name: 'echo', arguments: { text: 'one' } }] },
  { toolCalls: [{ name: 'echo', arguments: { text: 'two' } }] },
  { text: 'done' },
];

describe('createRedisCheckpointer', () => {
  it('checkpoints a run so that another agent resumes it with the same history', async () => {
    const prefix = `t${randomUUID()}`;
    const checkpointer = createRedisCheckpointer({ connection: redis, prefix });
    const agent = createAgent({
      backend: createScriptedBackend({ responses: script }),
      tools: [echo],
      checkpointer,
    });
    const result = await agent.run('Echo twice.', { runId: 'run-1' }).result;
    expect(result.status).toBe('done');
    const stored = await checkpointer.load('run-1');
    expect(stored?.messages).toEqual(result.messages);
    expect(stored?.result?.status).toBe('done');
    expect(await checkpointer.list()).toEqual(['run-1']);
    const again = await createAgent({
      backend: createScriptedBackend({ responses: script }),
      tools: [echo],
      checkpointer: createRedisCheckpointer({ connection: redis, prefix }),
    }).resume('run-1');
    expect((await again.result).output).toBe('done');
    await checkpointer.delete('run-1');
    expect(await checkpointer.load('run-1')).toBeUndefined();
  });

  it('stores the step that requests tools before any tool starts (write-ahead)', async () => {
    const prefix = `t${randomUUID()}`;
    const checkpointer = createRedisCheckpointer({ connection: redis, prefix });
    const seen: string[][] = [];
    const probe = defineTool({
      name: 'echo',
      description: 'Looks at the stored checkpoint.',
      input: z.object({ text: z.string() }),
      execute: async (_input, context) => {
        const stored = await createRedisCheckpointer({ connection: redis, prefix }).load('wal');
        const last = stored?.messages.at(-1);
        seen.push(last?.role === 'assistant' ? last.toolCalls.map((call) => call.id) : []);
        return context.callId;
      },
    });
    const result = await createAgent({
      backend: createScriptedBackend({ responses: script }),
      tools: [probe],
      checkpointer,
    }).run('Echo twice.', { runId: 'wal' }).result;
    const callIds = result.messages.flatMap((message) =>
      message.role === 'assistant' ? message.toolCalls.map((call) => call.id) : [],
    );
    expect(seen).toEqual(callIds.map((id) => [id]));
  });

  it('refuses a writer that no longer owns the run', async () => {
    const prefix = `t${randomUUID()}`;
    let owner = 'a';
    const checkpointer = createRedisCheckpointer({
      connection: redis,
      prefix,
      ownerOf: () => owner,
    });
    const agent = createAgent({
      backend: createScriptedBackend({ responses: script }),
      tools: [echo],
      checkpointer,
    });
    await redis.hset(`${prefix}:run:{fenced}`, 'owner', 'b');
    const result = await agent.run('Echo twice.', { runId: 'fenced' }).result;
    expect(result.status).toBe('failed');
    expect(result.error?.message).toMatch(/held by another worker \(owner 'b'\)/);
    // Nothing of the refused writer reached Redis, and its tool never ran.
    expect(await redis.hget(`${prefix}:run:{fenced}`, 'state')).toBeNull();
    expect(
      result.messages.some((message) => message.role === 'tool' && message.result.status === 'ok'),
    ).toBe(false);
    owner = 'b';
  });

  it('names the run and the field of a damaged checkpoint', async () => {
    const prefix = `t${randomUUID()}`;
    const checkpointer = createRedisCheckpointer({ connection: redis, prefix });
    await createAgent({
      backend: createScriptedBackend({ responses: script }),
      tools: [echo],
      checkpointer,
    }).run('Echo twice.', { runId: 'damaged' }).result;
    await redis.lset(`${prefix}:run:{damaged}:history`, 1, '{"role":"user"}');
    const error = await createRedisCheckpointer({ connection: redis, prefix })
      .load('damaged')
      .catch((caught: unknown) => caught);
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect((error as CheckpointError).field).toMatch(/^history\[1\]/);
    await expect(checkpointer.load('no such id!')).rejects.toThrow(/letters, digits/);
  });
});
