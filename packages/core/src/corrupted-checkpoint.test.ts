import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunCheckpoint } from './checkpointer.js';
import { checkpointVersion } from './checkpointer.js';
import { createAgent } from './create-agent.js';
import { CheckpointError } from './errors/checkpoint-error.js';
import { createFileCheckpointer } from './file-checkpointer.js';
import type { Message } from './message.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';
import { emptyUsage } from './usage.js';

let root: string;
let directory: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'reins-corrupt-'));
  directory = join(root, 'checkpoints');
  await mkdir(directory);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const messages: Message[] = [
  { role: 'user', content: 'Count.', origin: { kind: 'task' } },
  {
    role: 'assistant',
    content: '',
    toolCalls: [{ id: 'call_1_1_x', name: 'count', arguments: '{}', providerCallId: 'p1' }],
  },
  {
    role: 'tool',
    toolCallId: 'call_1_1_x',
    toolName: 'count',
    result: { status: 'ok', output: '1' },
  },
];

function checkpoint(overrides: Partial<RunCheckpoint> = {}): RunCheckpoint {
  return {
    version: checkpointVersion,
    runId: 'run_1',
    task: 'Count.',
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

const statePath = () => join(directory, 'run_1.json');
const historyPath = () => join(directory, 'run_1.0.jsonl');

/** Saves a good checkpoint, then rewrites one field of its state file. */
async function withState(change: (state: Record<string, unknown>) => void): Promise<void> {
  await createFileCheckpointer({ directory }).save(checkpoint());
  const state = JSON.parse(await readFile(statePath(), 'utf8')) as Record<string, unknown>;
  change(state);
  await writeFile(statePath(), JSON.stringify(state));
}

async function loadError(): Promise<CheckpointError> {
  const error = await createFileCheckpointer({ directory })
    .load('run_1')
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  expect(CheckpointError.isInstance(error), String(error)).toBe(true);
  return error as CheckpointError;
}

describe('loading a damaged checkpoint', () => {
  it.each([
    ['messageCount', -5],
    ['messageCount', 1.5],
    ['turn', 'abc'],
    ['historyGeneration', -1],
    ['status', 'exploded'],
    ['usage', { inputTokens: 'many' }],
    ['toolResults', { call: { status: 'maybe' } }],
    ['intentUpdates', [{ kind: 'addition' }]],
    ['task', 42],
  ])(
    'refuses %s = %j with a CheckpointError naming the file and the field',
    async (field, value) => {
      await withState((state) => {
        state[field] = value;
      });
      const error = await loadError();
      expect(error.file).toBe(statePath());
      expect(error.field?.split('.')[0]).toBe(field);
      expect(error.message).toContain(statePath());
      expect(error.message).toContain(`'${field}`);
    },
  );

  it.each([['../x.jsonl'], ['/etc/passwd'], ['run_1.7.jsonl'], ['other.0.jsonl']])(
    'refuses a messagesFile of %j, and never reads or deletes it',
    async (messagesFile) => {
      const outside = join(root, 'x.jsonl');
      await writeFile(outside, `${JSON.stringify(messages[0])}\n`);
      await withState((state) => {
        state.messagesFile = messagesFile;
      });
      const error = await loadError();
      expect(error.field).toBe('messagesFile');
      expect(error.file).toBe(statePath());
      // A resumed run writes a new generation and drops the old file: not a file named here.
      const agent = createAgent({
        backend: createScriptedBackend({ responses: [{ text: 'Counted.' }] }),
        checkpointer: createFileCheckpointer({ directory }),
      });
      await expect(agent.resume('run_1')).rejects.toMatchObject({ field: 'messagesFile' });
      expect(await readFile(outside, 'utf8')).toBe(`${JSON.stringify(messages[0])}\n`);
    },
  );

  it('refuses a state file that holds another run', async () => {
    await withState((state) => {
      state.runId = 'run_2';
    });
    expect((await loadError()).field).toBe('runId');
  });

  it.each([
    ['a tool line without its fields', '{"role":"tool"}'],
    ['a line that is not a message', '{"role":"robot","content":"hi"}'],
    ['an assistant line with a bad call', '{"role":"assistant","content":"","toolCalls":[{}]}'],
  ])('refuses %s in the history, naming the file and the line', async (_name, line) => {
    await createFileCheckpointer({ directory }).save(checkpoint());
    const lines = (await readFile(historyPath(), 'utf8')).split('\n');
    lines[1] = line;
    await writeFile(historyPath(), lines.join('\n'));
    const error = await loadError();
    expect(error.file).toBe(historyPath());
    expect(error.field).toMatch(/^line 2/);
    expect(error.message).toContain('Line 2');
  });

  it('refuses a damaged line before the last one', async () => {
    await createFileCheckpointer({ directory }).save(checkpoint());
    const lines = (await readFile(historyPath(), 'utf8')).split('\n');
    lines[0] = '{"role":"us';
    await writeFile(historyPath(), lines.join('\n'));
    expect((await loadError()).field).toBe('line 1');
  });

  it('refuses a history shorter than its state counts', async () => {
    await createFileCheckpointer({ directory }).save(checkpoint());
    const lines = (await readFile(historyPath(), 'utf8')).split('\n');
    await writeFile(historyPath(), `${lines.slice(0, 1).join('\n')}\n`);
    expect((await loadError()).message).toContain('truncated');
  });

  it.each([
    ['with its newline kept', '\n'],
    ['cut before its newline', ''],
  ])('drops a torn last line %s and reports it', async (_name, ending) => {
    await createFileCheckpointer({ directory }).save(checkpoint());
    const lines = (await readFile(historyPath(), 'utf8')).split('\n');
    const torn = (lines[2] as string).slice(0, 25);
    await writeFile(historyPath(), `${lines.slice(0, 2).join('\n')}\n${torn}${ending}`);
    const loaded = await createFileCheckpointer({ directory }).load('run_1');
    expect(loaded?.messages).toEqual(messages.slice(0, 2));
    expect(loaded?.messageCount).toBe(2);
    expect(loaded?.tornLine).toEqual({ file: historyPath(), line: 3 });
  });

  it('resumes after a torn last line: the dropped result is made again, under the same call id', async () => {
    await createFileCheckpointer({ directory }).save(checkpoint());
    const lines = (await readFile(historyPath(), 'utf8')).split('\n');
    await writeFile(historyPath(), `${lines.slice(0, 2).join('\n')}\n${lines[2]?.slice(0, 10)}\n`);
    const callIds: string[] = [];
    const count = defineTool({
      name: 'count',
      description: 'Counts.',
      input: z.object({}),
      execute: (_input, { callId }) => {
        callIds.push(callId);
        return '1';
      },
    });
    const agent = createAgent({
      backend: createScriptedBackend({ responses: [{}, { text: 'Counted.' }] }),
      tools: [count],
      checkpointer: createFileCheckpointer({ directory }),
    });
    const result = await (await agent.resume('run_1')).result;
    expect(result.status).toBe('done');
    expect(callIds).toEqual(['call_1_1_x']);
    expect(result.messages.slice(0, 3)).toEqual(messages);
  });
});

describe('what the file checkpointer deletes', () => {
  it('deletes only the files it writes for the run', async () => {
    const checkpointer = createFileCheckpointer({ directory });
    await checkpointer.save(checkpoint());
    const others = ['run_1.notes.jsonl', 'run_1.json.bak', 'run_10.json', 'run_1.0.jsonl.keep'];
    for (const name of others) await writeFile(join(directory, name), 'mine');
    await appendFile(join(directory, 'run_1.0.jsonl.123-4.tmp'), 'left by a crash');
    await checkpointer.delete('run_1');
    expect((await readdir(directory)).sort()).toEqual([...others].sort());
  });
});
