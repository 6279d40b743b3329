import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunCheckpoint } from './checkpointer.js';
import { checkpointVersion } from './checkpointer.js';
import { createFileCheckpointer } from './file-checkpointer.js';
import type { Message } from './message.js';
import { emptyUsage } from './usage.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'reins-checkpoints-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function checkpoint(messages: Message[], overrides: Partial<RunCheckpoint> = {}): RunCheckpoint {
  return {
    version: checkpointVersion,
    runId: 'run_1',
    task: 'task',
    status: 'running',
    turn: 1,
    messages,
    messageCount: messages.length,
    historyGeneration: 0,
    usage: emptyUsage,
    startedAt: 0,
    savedAt: 1,
    grantedTurns: 0,
    intentUpdates: [],
    pendingInterrupts: [],
    toolStats: {},
    toolResults: {},
    ...overrides,
  };
}

const user = (content: string): Message => ({ role: 'user', content });

describe('createFileCheckpointer', () => {
  it('appends only new messages and loads exactly messageCount of them', async () => {
    const checkpointer = createFileCheckpointer({ directory });
    const messages = [user('a'), user('b')];
    await checkpointer.save(checkpoint(messages));
    messages.push(user('c'));
    await checkpointer.save(checkpoint(messages, { turn: 2 }));
    messages.push(user('d')); // appended after the save: not part of it
    const loaded = await checkpointer.load('run_1');
    expect(loaded?.messages).toEqual([user('a'), user('b'), user('c')]);
    expect(loaded?.turn).toBe(2);
    const history = await readFile(join(directory, 'run_1.0.jsonl'), 'utf8');
    expect(history.trim().split('\n')).toHaveLength(3);
  });

  it('ignores lines a crash left past the checkpoint, and drops them on the next save', async () => {
    const checkpointer = createFileCheckpointer({ directory });
    await checkpointer.save(checkpoint([user('a')]));
    await appendFile(
      join(directory, 'run_1.0.jsonl'),
      `${JSON.stringify(user('ghost'))}\n{"role":"us`,
    );
    const fresh = createFileCheckpointer({ directory });
    const loaded = await fresh.load('run_1');
    expect(loaded?.messages).toEqual([user('a')]);
    await fresh.save(checkpoint([user('a'), user('b')]));
    expect((await fresh.load('run_1'))?.messages).toEqual([user('a'), user('b')]);
  });

  it('rewrites history under a new generation after compaction', async () => {
    const checkpointer = createFileCheckpointer({ directory });
    await checkpointer.save(checkpoint([user('a'), user('b'), user('c')]));
    await checkpointer.save(checkpoint([user('summary')], { historyGeneration: 1 }));
    expect((await checkpointer.load('run_1'))?.messages).toEqual([user('summary')]);
    expect((await readdir(directory)).sort()).toEqual(['run_1.1.jsonl', 'run_1.json']);
  });

  it('lists and deletes runs', async () => {
    const checkpointer = createFileCheckpointer({ directory });
    await checkpointer.save(checkpoint([user('a')]));
    await checkpointer.save(checkpoint([user('a')], { runId: 'run_2' }));
    expect((await checkpointer.list()).sort()).toEqual(['run_1', 'run_2']);
    await checkpointer.delete('run_1');
    expect(await checkpointer.load('run_1')).toBeUndefined();
    expect(await checkpointer.list()).toEqual(['run_2']);
  });

  it('names the problem when a checkpoint is damaged or its id unusable', async () => {
    const checkpointer = createFileCheckpointer({ directory });
    await writeFile(join(directory, 'bad.json'), '{not json');
    await expect(checkpointer.load('bad')).rejects.toMatchObject({
      code: 'checkpoint',
      message: expect.stringContaining('not valid JSON'),
    });
    await writeFile(join(directory, 'old.json'), JSON.stringify({ version: 99 }));
    await expect(checkpointer.load('old')).rejects.toThrow(/format version 99/);
    await expect(checkpointer.save(checkpoint([], { runId: '../escape' }))).rejects.toThrow(
      /cannot name a checkpoint file/,
    );
  });

  it('says where a checkpoint could not be written or read, keeping the cause', async () => {
    // The state file's name taken by a folder: neither written nor read.
    await mkdir(join(directory, 'run_1.json'));
    const checkpointer = createFileCheckpointer({ directory });
    const saved = await checkpointer
      .save(checkpoint([{ role: 'user', content: 'task' }]))
      .catch((error: unknown) => error);
    expect(saved).toMatchObject({ code: 'checkpoint', runId: 'run_1' });
    const savedMessage = (saved as Error).message;
    expect(
      savedMessage.startsWith(`Could not write the checkpoint of run 'run_1' to ${directory}: `),
    ).toBe(true);
    expect(savedMessage).toContain('EISDIR');
    expect(
      savedMessage.endsWith('. Check that the folder is writable and the disk has room.'),
    ).toBe(true);
    expect((saved as Error).cause).toBeDefined();
    const loaded = await checkpointer.load('run_1').catch((error: unknown) => error);
    expect(loaded).toMatchObject({ code: 'checkpoint', file: join(directory, 'run_1.json') });
    expect((loaded as Error).message).toMatch(
      /^Could not read the checkpoint of run 'run_1': .*EISDIR/,
    );
  });

  it('says which history file is missing when the state names one that is gone', async () => {
    const checkpointer = createFileCheckpointer({ directory });
    await checkpointer.save(checkpoint([{ role: 'user', content: 'task' }]));
    const history = (await readdir(directory)).find((name) => name.endsWith('.jsonl')) as string;
    await rm(join(directory, history));
    const loaded = await checkpointer.load('run_1').catch((error: unknown) => error);
    expect(loaded).toMatchObject({ code: 'checkpoint', file: join(directory, history) });
    const loadedMessage = (loaded as Error).message;
    expect(
      loadedMessage.startsWith(
        `The history file '${join(directory, history)}' of run 'run_1' cannot be read: `,
      ),
    ).toBe(true);
    expect(loadedMessage).toContain('ENOENT');
  });
});
