import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  miniSweAgent,
  parseJsonOutput,
  repoRoot,
  requireData,
  runReins,
  sweAgentJava,
  tauBench,
} from './helpers.js';

interface RawRun {
  readonly id: string;
  readonly resolved: boolean;
  readonly costs: number[];
  readonly instanceCost: number;
}

/** Reads the mini-swe-agent runs straight from the files, without the importers. */
async function readRawMiniSweAgent(): Promise<RawRun[]> {
  const trajs = join(requireData(miniSweAgent), 'trajs');
  const runs: RawRun[] = [];
  for (const name of (await readdir(trajs)).sort()) {
    const id = name.replace(/\.traj\.json$/, '');
    const raw = JSON.parse(await readFile(join(trajs, name), 'utf8'));
    const report = JSON.parse(
      await readFile(join(miniSweAgent, 'reports', `${id}.report.json`), 'utf8'),
    );
    runs.push({
      id,
      resolved: report.resolved === true,
      costs: raw.messages
        .filter((message: { role: string }) => message.role === 'assistant')
        .map((message: { extra: { cost?: number; response: { usage: { cost?: number } } } }) =>
          // Most calls record the cost in the usage; some only beside the response.
          Number(message.extra.response.usage.cost ?? message.extra.cost),
        ),
      instanceCost: Number(raw.info.model_stats.instance_cost),
    });
  }
  return runs;
}

let work: string;
let policyFile: string;
let raw: RawRun[];

beforeAll(async () => {
  requireData(miniSweAgent);
  work = await mkdtemp(join(tmpdir(), 'reins-cli-'));
  policyFile = join(work, 'policy.json');
  raw = await readRawMiniSweAgent();
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('reins import', () => {
  it('imports every SWE run with the recorded verdicts and costs, and writes run records', async () => {
    requireData(sweAgentJava);
    const out = join(work, 'runs.jsonl');
    const result = parseJsonOutput(
      await runReins([
        'import',
        '--data',
        relative(repoRoot, join(miniSweAgent, '..')),
        '--out',
        out,
        '--json',
      ]),
    );
    const javaTrajs = (await readdir(sweAgentJava, { recursive: true })).filter((file) =>
      String(file).endsWith('.traj'),
    );
    let javaCost = 0;
    for (const file of javaTrajs) {
      const run = JSON.parse(await readFile(join(sweAgentJava, String(file)), 'utf8'));
      javaCost += Number(run.info.model_stats.instance_cost);
    }
    expect(result.runs).toBe(raw.length + javaTrajs.length);
    expect(result.formats).toEqual({ 'mini-swe-agent': raw.length, 'swe-agent': javaTrajs.length });
    expect(result.problems).toEqual([]);
    const miniCost = raw.reduce((sum, run) => sum + run.instanceCost, 0);
    expect(result.costUsd as number).toBeCloseTo(miniCost + javaCost, 6);

    const again = parseJsonOutput(await runReins(['import', '--data', out, '--json']));
    // Run records keep where each run came from.
    expect(again.formats).toEqual(result.formats);
    expect(again.runs).toBe(result.runs);
    expect(again.resolved).toBe(result.resolved);
    expect(again.turns).toBe(result.turns);
    expect(again.costUsd as number).toBeCloseTo(result.costUsd as number, 9);
  }, 120_000);

  it('counts mini-swe-agent verdicts and tau-bench rewards as the files state them', async () => {
    const mini = parseJsonOutput(await runReins(['import', '--data', miniSweAgent, '--json']));
    expect(mini.runs).toBe(raw.length);
    expect(mini.resolved).toBe(raw.filter((run) => run.resolved).length);
    expect(mini.unresolved).toBe(raw.filter((run) => !run.resolved).length);
    expect(mini.turns).toBe(raw.reduce((sum, run) => sum + run.costs.length, 0));

    const records = JSON.parse(await readFile(requireData(tauBench), 'utf8')) as {
      reward: number;
    }[];
    const tau = parseJsonOutput(await runReins(['import', '--data', tauBench, '--json']));
    expect(tau.runs).toBe(records.length);
    expect(tau.resolved).toBe(records.filter((record) => record.reward === 1).length);
    expect(tau.formats).toEqual({ 'tau-bench': records.length });
  }, 120_000);

  it('prints a readable summary without --json and no progress bar when stderr is not a terminal', async () => {
    const result = await runReins(['import', '--data', miniSweAgent]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Imported ${raw.length} runs`);
    expect(result.stderr).toBe('');
  }, 120_000);
});

describe('reins calibrate', () => {
  it('writes a policy whose held-out estimate and interval it prints as one JSON object', async () => {
    const result = parseJsonOutput(
      await runReins([
        'calibrate',
        '--data',
        miniSweAgent,
        '--out',
        policyFile,
        '--max-resolved-loss',
        '0.03',
        '--json',
      ]),
    );
    const policy = JSON.parse(await readFile(policyFile, 'utf8'));
    expect(policy.format).toBe('reins.policy');
    expect(result.runs).toBe(raw.length);
    expect(result.resolved).toBe(raw.filter((run) => run.resolved).length);
    expect(result.savedFractionOfUnresolvedCost).toBe(
      policy.evidence.savedFractionOfUnresolvedCost,
    );
    expect(result.resolvedLostFraction).toBe(policy.evidence.resolvedLostFraction);
    expect(result.heldOut).toEqual(policy.evidence.heldOut);
    const heldOut = result.heldOut as {
      resolvedLostUpperBound: number;
      savedFractionOfUnresolvedCost: { low: number; estimate: number; high: number };
    };
    expect(heldOut.savedFractionOfUnresolvedCost.low).toBeLessThanOrEqual(
      heldOut.savedFractionOfUnresolvedCost.estimate,
    );
    if (result.rung !== 'safest') expect(heldOut.resolvedLostUpperBound).toBeLessThanOrEqual(0.03);
    expect(result.costUsd as number).toBeCloseTo(
      raw.reduce((sum, run) => sum + run.instanceCost, 0),
      6,
    );
    expect(result.threshold).toBe(policy.scorer?.threshold ?? null);
    // The runs name the model two ways; calibration gives them one budget.
    expect(Object.keys(policy.budgets.turns.perModel).every((name) => !name.includes('/'))).toBe(
      true,
    );
  }, 180_000);

  it('says when the evidence is too thin, names --folds, and writes the safest policy', async () => {
    const out = join(work, 'java-policy.json');
    const result = await runReins(['calibrate', '--data', sweAgentJava, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('evidence too thin');
    expect(result.stdout).toContain('--folds');
    expect(result.stdout).not.toContain('{ folds }');
    const policy = JSON.parse(await readFile(out, 'utf8'));
    expect(policy.evidence.rung).toBe('safest');
    expect(policy.scorer).toBeUndefined();
  }, 120_000);
});

describe('reins evaluate', () => {
  it('reports what a turn cap saves exactly as computed from the raw files', async () => {
    const cap = 30;
    const budget = {
      maxTurns: cap,
      runs: raw.length,
      turnPercentiles: { p50: 0, p75: 0, p90: 0, p95: 0, p99: 0 },
      costPercentiles: { p50: 0, p75: 0, p90: 0, p95: 0, p99: 0 },
      resolvedLostFraction: 0,
    };
    const capFile = join(work, 'cap.json');
    await writeFile(
      capFile,
      JSON.stringify({
        format: 'reins.policy',
        version: 1,
        createdAt: '2025-01-01T00:00:00.000Z',
        budgets: { turns: { default: budget, perModel: {} } },
      }),
    );
    const result = parseJsonOutput(
      await runReins(['evaluate', '--data', miniSweAgent, '--policy', capFile, '--json']),
    );
    const stopped = raw.filter((run) => run.costs.length > cap);
    const saved = (run: RawRun) => run.costs.slice(cap).reduce((sum, cost) => sum + cost, 0);
    const unresolved = raw.filter((run) => !run.resolved);
    const resolvedCount = raw.length - unresolved.length;
    expect(result.runs).toBe(raw.length);
    expect(result.resolved).toBe(resolvedCount);
    expect(result.runsStopped).toBe(stopped.length);
    expect(result.resolvedLost).toBe(stopped.filter((run) => run.resolved).length);
    expect(result.resolvedLostFraction as number).toBeCloseTo(
      stopped.filter((run) => run.resolved).length / resolvedCount,
      12,
    );
    expect(result.savedUsd as number).toBeCloseTo(
      stopped.reduce((sum, run) => sum + saved(run), 0),
      6,
    );
    expect(result.savedFractionOfUnresolvedCost as number).toBeCloseTo(
      unresolved.reduce((sum, run) => sum + saved(run), 0) /
        unresolved.reduce((sum, run) => sum + run.costs.reduce((a, b) => a + b, 0), 0),
      9,
    );
    expect(result.costUsd as number).toBeCloseTo(
      raw.reduce((sum, run) => sum + run.costs.reduce((a, b) => a + b, 0), 0),
      6,
    );
    // Contract compliance is reported on every recorded step of every run, whatever the policy.
    const contracts = result.contracts as {
      contract: string;
      runs: number;
      steps: number;
      satisfiedFraction: number;
      byOutcome: { resolved: { runs: number } };
    }[];
    expect(contracts.map((contract) => contract.contract)).toEqual([
      'never-edit-test-files',
      'run-tests-before-submitting',
      'limit-identical-failing-commands',
      'coding-agent',
    ]);
    for (const contract of contracts) {
      expect(contract.runs).toBe(raw.length);
      expect(contract.steps).toBe(raw.reduce((sum, run) => sum + run.costs.length, 0));
      expect(contract.byOutcome.resolved.runs).toBe(resolvedCount);
      expect(contract.satisfiedFraction).toBeGreaterThan(0);
    }
  }, 120_000);

  it('evaluates the calibrated policy; the monitors report without changing its decisions', async () => {
    const withMonitors = parseJsonOutput(
      await runReins(['evaluate', '--data', miniSweAgent, '--policy', policyFile, '--json']),
    );
    const alone = parseJsonOutput(
      await runReins([
        'evaluate',
        '--data',
        miniSweAgent,
        '--policy',
        policyFile,
        '--json',
        '--no-monitors',
      ]),
    );
    for (const key of [
      'runs',
      'resolved',
      'costUsd',
      'savedUsd',
      'savedFractionOfUnresolvedCost',
      'resolvedLost',
      'resolvedLostFraction',
      'runsStopped',
    ]) {
      expect(withMonitors[key], key).toBeTypeOf('number');
      expect(withMonitors[key], key).toBe(alone[key]);
    }
    const withNames = Object.keys(withMonitors.byName as object);
    const aloneNames = Object.keys(alone.byName as object);
    expect(aloneNames.every((name) => withNames.includes(name))).toBe(true);
    expect(withNames.some((name) => name.endsWith('.detected'))).toBe(true);
    expect(aloneNames.some((name) => name.endsWith('.detected'))).toBe(false);
  }, 180_000);

  it('gives each stability dimension over the runs in stability, hand-offs to the user included', async () => {
    // A 20-turn cap: the drift window is ⌊20 ÷ 4⌋ = 5 turns, so a conversation is measured
    // when the agent spoke at least 10 times (a baseline and one scored window).
    const capFile = join(work, 'cap20.json');
    const zeros = { p50: 0, p75: 0, p90: 0, p95: 0, p99: 0 };
    const budget = {
      maxTurns: 20,
      runs: 1,
      turnPercentiles: zeros,
      costPercentiles: zeros,
      resolvedLostFraction: 0,
    };
    await writeFile(
      capFile,
      JSON.stringify({
        format: 'reins.policy',
        version: 1,
        createdAt: '2025-01-01T00:00:00.000Z',
        budgets: { turns: { default: budget, perModel: {} } },
      }),
    );
    const records = JSON.parse(await readFile(requireData(tauBench), 'utf8')) as {
      traj: { role: string }[];
    }[];
    const spoke = records.map((record) => record.traj.filter((m) => m.role === 'assistant').length);
    const result = parseJsonOutput(
      await runReins(['evaluate', '--data', tauBench, '--policy', capFile, '--json']),
    );
    const stability = result.stability as {
      window: number;
      runs: number;
      runsMeasured: number;
      dimensions: Record<string, { runs: number; p10: number; p50: number; p90: number } | null>;
      notMeasured: Record<string, string>;
    };
    expect(stability.window).toBe(5);
    expect(stability.runs).toBe(records.length);
    expect(stability.runsMeasured).toBe(spoke.filter((count) => count >= 10).length);
    expect(Object.keys(stability.dimensions)).toHaveLength(9);
    expect(Object.keys(stability.notMeasured)).toEqual([
      'confidenceCalibration',
      'agreementRate',
      'roleConsistency',
    ]);
    // Replies to the simulated user are hand-offs: the coordination dimension is measured.
    expect(stability.dimensions.handoffEfficiency?.runs).toBe(stability.runsMeasured);
    for (const value of Object.values(stability.dimensions)) {
      if (value === null) continue;
      expect(0 <= value.p10 && value.p10 <= value.p50 && value.p50 <= value.p90).toBe(true);
      expect(value.p90).toBeLessThanOrEqual(1);
    }
  }, 120_000);

  it('prints a readable summary', async () => {
    const result = await runReins(['evaluate', '--data', miniSweAgent, '--policy', policyFile]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/unresolved cost saved: \d+\.\d%/);
    expect(result.stdout).toMatch(/resolved runs lost: \d+ \(\d+\.\d%/);
    expect(result.stderr).toBe('');
  }, 120_000);
});

describe('errors', () => {
  it('names a missing data folder, where it looked and what to pass', async () => {
    const result = await runReins(['import', '--data', 'no/such/folder', '--json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('[missing-path]');
    expect(result.stderr).toContain('--data no/such/folder does not exist');
    expect(result.stderr).toContain(join(repoRoot, 'no/such/folder'));
  });

  it('names a missing policy file and how to write one', async () => {
    const result = await runReins([
      'evaluate',
      '--data',
      miniSweAgent,
      '--policy',
      join(work, 'absent.json'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[missing-path]');
    expect(result.stderr).toContain('reins calibrate --data DIR --out policy.json');
  });

  it('names the file and field of a policy that is not valid', async () => {
    const truncated = join(work, 'truncated.json');
    await writeFile(truncated, '{"format": "reins.policy", "version": 1, "budg');
    const cut = await runReins(['evaluate', '--data', miniSweAgent, '--policy', truncated]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain('[trajectory-format]');
    expect(cut.stderr).toContain(truncated);

    const wrong = join(work, 'wrong.json');
    const policy = JSON.parse(await readFile(policyFile, 'utf8'));
    policy.budgets.turns.default.maxTurns = -3;
    await writeFile(wrong, JSON.stringify(policy));
    const bad = await runReins([
      'report',
      '--data',
      miniSweAgent,
      '--policy',
      wrong,
      '--out',
      join(work, 'r.html'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('budgets.turns.default.maxTurns');
    expect(bad.stderr).toContain('-3');
  }, 60_000);

  it('rejects a loss target that is not a fraction, naming the value and an example', async () => {
    const result = await runReins([
      'calibrate',
      '--data',
      miniSweAgent,
      '--out',
      join(work, 'x.json'),
      '--max-resolved-loss',
      '3',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[invalid-argument]');
    expect(result.stderr).toContain('--max-resolved-loss 3 is not valid');
    expect(result.stderr).toContain('0.03');
  });

  it('refuses to calibrate on runs without outcomes', async () => {
    const noVerdicts = join(work, 'no-verdicts');
    const { mkdir, copyFile } = await import('node:fs/promises');
    await mkdir(noVerdicts, { recursive: true });
    const trajs = (await readdir(join(miniSweAgent, 'trajs'))).sort().slice(0, 3);
    for (const name of trajs)
      await copyFile(join(miniSweAgent, 'trajs', name), join(noVerdicts, name));
    const result = await runReins([
      'calibrate',
      '--data',
      noVerdicts,
      '--out',
      join(work, 'y.json'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[no-runs]');
    expect(result.stderr).toContain('3 runs, none with a known outcome');
  }, 60_000);

  it('refuses --out into a folder that does not exist, unless --mkdir, before any work', async () => {
    requireData(tauBench);
    const out = join(work, 'no-such-folder', 'runs.jsonl');
    const refused = await runReins(['import', '--data', tauBench, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[invalid-argument]');
    expect(refused.stderr).toContain(`--out ${out} is not valid`);
    expect(refused.stderr).toContain('add --mkdir');
    expect(refused.stdout).toBe('');
    await expect(readdir(join(work, 'no-such-folder'))).rejects.toThrow();

    const created = await runReins(['import', '--data', tauBench, '--out', out, '--mkdir']);
    expect(created.code, created.stderr).toBe(0);
    expect((await readFile(out, 'utf8')).split('\n').length).toBeGreaterThan(1);
  });

  it('names CLI flags, not library options, when --folds asks for more runs than there are', async () => {
    const result = await runReins([
      'calibrate',
      '--data',
      miniSweAgent,
      '--out',
      join(work, 'z.json'),
      '--folds',
      '1000',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('across 1000 folds');
    expect(result.stdout).toContain('--folds sets how many of each it needs');
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/\{ \w+ \}/);
  }, 120_000);

  it('escapes terminal control characters that come from a file before printing them', async () => {
    const folder = join(work, 'hostile');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(folder, { recursive: true });
    // A JSON file that is no trajectory, whose key would clear the screen and retitle the window.
    await writeFile(
      join(folder, 'notes.json'),
      JSON.stringify({ '\u001b[2J\u001b]0;pwned\u0007': 1 }),
    );
    const result = await runReins(['import', '--data', folder]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('notes.json');
    expect(result.stderr).toContain('\\x1b[2J\\x1b]0;pwned\\x07');
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).not.toContain('\u0007');
    expect(result.stderr).not.toContain('{ format }');
  });

  it('reports a usage error for a missing required option', async () => {
    const result = await runReins(['evaluate', '--data', miniSweAgent]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("required option '--policy <file>' not specified");
  });
});
