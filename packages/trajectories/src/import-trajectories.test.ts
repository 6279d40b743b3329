import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../test/shared-data.js';
import { TrajectoryFormatError } from './errors/trajectory-format-error.js';
import { UnknownTrajectoryFormatError } from './errors/unknown-trajectory-format-error.js';
import { importTrajectoryDirectory, importTrajectoryFile } from './import-trajectories.js';
import { jsonPathAt } from './json-reader.js';
import { type Trajectory, trajectoryCost, trajectorySchema } from './trajectory.js';

const miniDir = () => sharedData('swe-trajectories/mini-swe-agent-gemini-3-pro');
const sweDir = () => sharedData('swe-trajectories/swe-agent-java');

/** The raw files, read independently of the importers. */
async function rawJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}

describe('mini-swe-agent runs with SWE-bench verdicts', () => {
  let runs: Trajectory[] = [];
  beforeAll(async () => {
    const result = await importTrajectoryDirectory(miniDir());
    expect(result.problems).toEqual([]);
    runs = result.trajectories;
  }, 120_000);

  it('imports all 306 runs, each a valid version-1 trajectory', () => {
    expect(runs).toHaveLength(306);
    for (const run of runs) expect(trajectorySchema.safeParse(run).success, run.id).toBe(true);
  });

  it('has one turn per assistant message and per api call, costs summing to model_stats', async () => {
    for (const run of runs) {
      const raw = await rawJson(run.source.file as string);
      const messages = raw.messages as { role: string }[];
      const stats = (raw.info as { model_stats: { instance_cost: number; api_calls: number } })
        .model_stats;
      expect(run.turns.length, run.id).toBe(
        messages.filter((message) => message.role === 'assistant').length,
      );
      expect(run.turns.length, run.id).toBe(stats.api_calls);
      expect(trajectoryCost(run), run.id).toBeCloseTo(stats.instance_cost, 9);
    }
  });

  it('labels each run with its report verdict', async () => {
    for (const run of runs) {
      const report = await rawJson(join(miniDir(), 'reports', `${run.id}.report.json`));
      const entry = (report[run.id] ?? report) as { resolved: boolean };
      expect(run.outcome.resolved, run.id).toBe(entry.resolved);
    }
    const resolved = runs.filter((run) => run.outcome.resolved).length;
    expect(resolved / runs.length).toBeGreaterThan(0.7);
    expect(resolved / runs.length).toBeLessThan(0.8);
  });

  it('reads shell actions, exit codes, reasoning and times', () => {
    const run = runs.find((item) => item.id === 'astropy__astropy-12907') as Trajectory;
    const first = run.turns[0];
    expect(JSON.parse(first?.actions[0]?.arguments ?? '{}')).toEqual({ command: 'ls -R' });
    expect(first?.actions[0]?.result?.exitCode).toBe(0);
    expect(first?.reasoning).toContain('Exploring the Codebase');
    expect(first?.startedAt).toBe(1763510516000);
    expect(first?.usage).toMatchObject({ inputTokens: 1662, outputTokens: 106, costUsd: 0.004596 });
    const failures = runs
      .flatMap((item) => item.turns)
      .flatMap((turn) => turn.actions)
      .filter((action) => (action.result?.exitCode ?? 0) !== 0);
    expect(failures.length).toBeGreaterThan(100);
  });
});

describe('SWE-agent 0.x runs', () => {
  it('imports all 47 runs with harness verdicts, models from folder names, costs equal to model_stats', async () => {
    const { trajectories, problems } = await importTrajectoryDirectory(sweDir());
    expect(problems).toEqual([]);
    expect(trajectories).toHaveLength(47);
    let withVerdict = 0;
    for (const run of trajectories) {
      const raw = await rawJson(run.source.file as string);
      const info = raw.info as { model_stats: { instance_cost: number; tokens_sent: number } };
      expect(run.turns.length, run.id).toBe((raw.trajectory as unknown[]).length);
      expect(trajectoryCost(run), run.id).toBeCloseTo(info.model_stats.instance_cost, 9);
      const sent = run.turns.reduce((sum, turn) => sum + (turn.usage?.inputTokens ?? 0), 0);
      expect(sent, run.id).toBe(info.model_stats.tokens_sent);
      expect(run.source.formatVersion).toBe('swe-agent-0.x');
      expect(run.turns.every((turn) => turn.usageEstimated === true)).toBe(true);
      const log = await readFile(
        join(run.source.file as string, '../../logs', run.id, 'run_instance.log'),
        'utf8',
      ).catch(() => '');
      const verdict = /resolved: (True|False)\s*$/m.exec(
        log
          .split('\n')
          .filter((line) => line.includes('resolved: '))
          .at(-1) ?? '',
      );
      expect(run.outcome.resolved, run.id).toBe(
        verdict === null ? undefined : verdict[1] === 'True',
      );
      if (run.outcome.resolved !== undefined) withVerdict += 1;
    }
    expect(withVerdict).toBeGreaterThan(40);
    expect(trajectories.filter((run) => run.outcome.resolved).length).toBe(4);
    expect(new Set(trajectories.map((run) => run.model?.modelId)).size).toBe(5);
  });
});

describe('tau-bench conversations', () => {
  it('imports 100 conversations with rewards, tool calls answered and user replies as feedback', async () => {
    const file = join(sharedData('tau-bench'), 'gpt-4o-airline.dev.json');
    const runs = await importTrajectoryFile(file);
    const raw = JSON.parse(await readFile(file, 'utf8')) as {
      reward: number;
      traj: { role: string; tool_calls?: unknown[] }[];
    }[];
    expect(runs).toHaveLength(100);
    runs.forEach((run, index) => {
      const record = raw[index] as (typeof raw)[number];
      expect(run.outcome.reward).toBe(record.reward);
      expect(run.outcome.resolved).toBe(record.reward === 1);
      expect(run.turns.length).toBe(
        record.traj.filter((message) => message.role === 'assistant').length,
      );
      const calls = record.traj.reduce(
        (sum, message) => sum + (message.tool_calls?.length ?? 0),
        0,
      );
      const answered = run.turns
        .flatMap((turn) => turn.actions)
        .filter((action) => action.result !== undefined);
      expect(answered.length).toBe(calls);
    });
    expect(runs.filter((run) => run.outcome.resolved).length).toBe(31);
    expect(runs[0]?.turns[0]?.feedback?.[0]).toBe('Sure, my user ID is mia_li_3668.');
  });
});

describe('malformed and truncated files', () => {
  let directory = '';
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'reins-import-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('names the path inside a truncated file where the text broke off', async () => {
    const source = join(miniDir(), 'trajs', 'astropy__astropy-12907.traj.json');
    const text = await readFile(source, 'utf8');
    const cut = text.indexOf('"usage"', text.indexOf('"role": "assistant"')) + 30;
    const file = join(directory, 'cut.traj.json');
    await writeFile(file, text.slice(0, cut));
    const error = await importTrajectoryFile(file).catch((caught: unknown) => caught);
    expect(TrajectoryFormatError.isInstance(error)).toBe(true);
    const formatError = error as TrajectoryFormatError;
    expect(formatError.file).toBe(file);
    expect(formatError.path).toMatch(/^messages\[2\]\.extra\.response\.usage/);
    expect(formatError.expected).toBe('complete JSON');
    expect(formatError.message).toContain('truncated');
  });

  it('says that a .json file holding no JSON is not JSON, not that it looks truncated', async () => {
    const file = join(directory, 'notes.json');
    await writeFile(file, 'These are my notes, not a trajectory.\n');
    const error = await importTrajectoryFile(file).catch((caught: unknown) => caught);
    expect(TrajectoryFormatError.isInstance(error)).toBe(true);
    const formatError = error as TrajectoryFormatError;
    expect(formatError.expected).toBe('JSON');
    expect(formatError.message).toContain('is not JSON');
    expect(formatError.message).not.toContain('truncated');
  });

  it('names the field and the expected shape of a malformed run', async () => {
    const file = join(directory, 'bad.traj.json');
    await writeFile(
      file,
      JSON.stringify({
        info: {},
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 't' },
          { role: 'assistant', content: 42 },
        ],
      }),
    );
    const error = await importTrajectoryFile(file).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'trajectory-format',
      path: 'messages[2].content',
      expected: 'a string, null or a list of text parts',
    });
    expect((error as Error).message).toContain('the number 42');
  });

  it('imports the good files of a directory and reports every bad one', async () => {
    const folder = join(directory, 'mixed');
    await rm(folder, { recursive: true, force: true });
    const { mkdir, copyFile } = await import('node:fs/promises');
    await mkdir(folder);
    for (const id of ['astropy__astropy-12907', 'astropy__astropy-13033'])
      await copyFile(join(miniDir(), 'trajs', `${id}.traj.json`), join(folder, `${id}.traj.json`));
    await writeFile(join(folder, 'empty.traj.json'), '');
    await writeFile(join(folder, 'other.json'), JSON.stringify({ tasks: [] }));
    await writeFile(
      join(folder, 'broken.traj'),
      JSON.stringify({
        trajectory: [{ action: 'ls', observation: 5, response: 'r' }],
        info: {},
        history: [],
      }),
    );
    const result = await importTrajectoryDirectory(folder);
    expect(result.files).toBe(5);
    expect(result.trajectories.map((run) => run.id)).toEqual([
      'astropy__astropy-12907',
      'astropy__astropy-13033',
    ]);
    expect(result.problems.map((problem) => [problem.file, problem.code, problem.path])).toEqual([
      ['broken.traj', 'trajectory-format', 'trajectory[0].observation'],
      ['empty.traj.json', 'trajectory-format', ''],
      ['other.json', 'unknown-trajectory-format', undefined],
    ]);
  });

  it('rejects a file it cannot recognise with the formats it knows', async () => {
    const file = join(directory, 'numbers.json');
    await writeFile(file, '[1, 2, 3]');
    const error = await importTrajectoryFile(file).catch((caught: unknown) => caught);
    expect(UnknownTrajectoryFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('mini-swe-agent');
  });

  it('finds the JSON path at a position', () => {
    expect(jsonPathAt('{"a":[1,{"b":', 13)).toBe('a[1].b');
    expect(jsonPathAt('{"messages":[{"role":"x"},{"content":"abc', 40)).toBe('messages[1].content');
  });
});
