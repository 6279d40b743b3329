import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent, defineTool } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importTrajectoryFile } from './import-trajectories.js';
import { readRunRecords, recordRun } from './run-record.js';
import { trajectorySchema } from './trajectory.js';

let directory = '';
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'reins-records-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const readFileTool = defineTool({
  name: 'read_file',
  description: 'Reads a file.',
  input: z.object({ path: z.string() }),
  execute: ({ path }) => `contents of ${path}`,
});

function runAgent(task: string) {
  const backend = createScriptedBackend({
    responses: [
      {
        toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }],
        usage: { inputTokens: 100, outputTokens: 10, costUsd: 0.01 },
      },
      { text: 'It says hello.', usage: { inputTokens: 150, outputTokens: 5, costUsd: 0.02 } },
    ],
  });
  let id = 0;
  const agent = createAgent({
    backend,
    tools: [readFileTool],
    instructions: 'Be brief.',
    generateId: () => `run-${++id}`,
  });
  return agent.run(task);
}

describe('Reins run records', () => {
  it('records real runs as JSONL lines that read back as trajectories', async () => {
    const file = join(directory, 'history', 'runs.jsonl');
    const first = await recordRun(runAgent('Read a.txt'), {
      file,
      model: { modelId: 'scripted-1' },
      outcome: { resolved: true },
    });
    await recordRun(runAgent('Read a.txt again'), { file });
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    const records = await readRunRecords(file);
    expect(records[0]).toEqual(first);
    expect(records[0]).toMatchObject({
      task: 'Read a.txt',
      system: 'Be brief.',
      outcome: { resolved: true, exitStatus: 'done' },
    });
    expect(records[0]?.turns).toHaveLength(2);
    expect(records[0]?.turns[0]?.actions[0]).toMatchObject({
      name: 'read_file',
      result: { status: 'ok', output: 'contents of a.txt' },
    });
    expect(records[0]?.turns[1]?.usage?.costUsd).toBe(0.02);
    expect(records[0]?.totals?.costUsd).toBeCloseTo(0.03, 12);
    expect(typeof records[0]?.turns[0]?.startedAt).toBe('number');
    expect((await importTrajectoryFile(file)).map((run) => run.task)).toEqual([
      'Read a.txt',
      'Read a.txt again',
    ]);
    for (const record of records) expect(trajectorySchema.safeParse(record).success).toBe(true);
  });

  it('names the line and field of a malformed record', async () => {
    const file = join(directory, 'bad.jsonl');
    const good = await recordRun(runAgent('Read a.txt'));
    await writeFile(
      file,
      `${JSON.stringify(good)}\n${JSON.stringify({ ...good, turns: [{ index: 0 }] })}\n`,
    );
    await expect(readRunRecords(file)).rejects.toMatchObject({
      code: 'trajectory-format',
      file: `${file}:2`,
      path: 'turns[0].index',
    });
  });
});
