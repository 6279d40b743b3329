import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataRoot, miniSweAgent, parseJsonOutput, requireData, runReins } from './helpers.js';

const toolTimes = join(dataRoot, 'tool-times');
const perTask = join(toolTimes, 'swe-bench-pro-per-task.json');

interface RecordedRun {
  readonly resolved: boolean;
  readonly model_stats: { readonly instance_cost: number };
  readonly tool_time: { readonly total_seconds: number };
}
type RecordedTask = Readonly<Record<string, RecordedRun | string>>;

let work: string;
let capFile: string;

beforeAll(async () => {
  requireData(miniSweAgent);
  requireData(perTask);
  work = await mkdtemp(join(tmpdir(), 'reins-cli-planning-'));
  capFile = join(work, 'cap.json');
  const percentiles = { p50: 0, p75: 0, p90: 0, p95: 0, p99: 0 };
  await writeFile(
    capFile,
    JSON.stringify({
      format: 'reins.policy',
      version: 1,
      createdAt: '2025-01-01T00:00:00.000Z',
      budgets: {
        turns: {
          default: {
            maxTurns: 46,
            runs: 1,
            turnPercentiles: percentiles,
            costPercentiles: percentiles,
            resolvedLostFraction: 0,
          },
          perModel: {},
        },
      },
    }),
  );
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('reins evaluate --planning', () => {
  it('reports planning, greedy and the strongest simple policy on held-out recorded tasks', async () => {
    const result = parseJsonOutput(
      await runReins([
        'evaluate',
        '--data',
        miniSweAgent,
        '--policy',
        capFile,
        '--planning',
        toolTimes,
        '--json',
      ]),
    );
    const planning = result.planning as {
      data: string;
      tasks: number;
      actions: string[];
      scenarios: {
        capUsd: number;
        deadlineSeconds: number;
        planning: number[];
        strongestSimple: string;
        simple: number[];
        hindsight: number;
        planningMinusGreedy: number[];
      }[];
    };
    const raw = JSON.parse(await readFile(perTask, 'utf8')) as RecordedTask[];
    expect(planning.data).toBe(perTask);
    expect(planning.tasks).toBe(raw.length);
    expect(planning.actions).toEqual(['gpt5', 'claude']);
    expect(planning.scenarios).toHaveLength(15);
    // A fixed policy needs no fitting: its rate is the share of tasks its model solved within
    // both limits, counted here from the raw file.
    const solvedWithin = (model: string, capUsd: number, deadlineSeconds: number) =>
      raw.filter((task) => {
        const run = task[model] as RecordedRun;
        return (
          run.resolved &&
          run.model_stats.instance_cost <= capUsd &&
          run.tool_time.total_seconds <= deadlineSeconds
        );
      }).length / raw.length;
    for (const scenario of planning.scenarios) {
      const [estimate, low, high] = scenario.planning as [number, number, number];
      expect(low).toBeLessThanOrEqual(estimate);
      expect(high).toBeGreaterThanOrEqual(estimate);
      expect(estimate).toBeLessThanOrEqual(scenario.hindsight);
      const fixed = scenario.strongestSimple.startsWith('always:')
        ? scenario.strongestSimple.slice('always:'.length)
        : undefined;
      if (fixed !== undefined)
        expect(scenario.simple[0]).toBeCloseTo(
          solvedWithin(fixed, scenario.capUsd, scenario.deadlineSeconds),
          3,
        );
    }
    // At $1 no Claude run fits the cap: every policy is GPT-5's, and the rate is its count.
    const [dollar] = planning.scenarios;
    expect(dollar?.planning[0]).toBeCloseTo(solvedWithin('gpt5', 1, 60), 3);
    expect(dollar?.planningMinusGreedy).toEqual([0, 0, 0]);
  }, 240_000);

  it('names a missing --planning path before replaying anything', async () => {
    const missing = join(work, 'no-tool-times');
    const result = await runReins([
      'evaluate',
      '--data',
      miniSweAgent,
      '--policy',
      capFile,
      '--planning',
      missing,
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`--planning ${missing} does not exist`);
    expect(result.stderr).toContain('../shared/data/tool-times');
  }, 60_000);
});
