import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../test/shared-data.js';
import { type CalibrationResult, calibratePolicy } from './calibrate-policy.js';
import { createPolicyController } from './create-policy-controller.js';
import { evaluateController } from './evaluate-controller.js';
import { importTrajectoryDirectory } from './import-trajectories.js';
import { predictProbability } from './logistic-regression.js';
import { readPolicy, writePolicy } from './policy.js';
import { applyStopRule, toScoredRunInput } from './train-failure-scorer.js';
import type { Trajectory } from './trajectory.js';

let runs: Trajectory[] = [];
let calibration: CalibrationResult;
beforeAll(async () => {
  runs = (
    await importTrajectoryDirectory(sharedData('swe-trajectories/mini-swe-agent-gemini-3-pro'))
  ).trajectories;
  calibration = calibratePolicy(runs, { maxResolvedLoss: 0.03, now: () => new Date(0) });
}, 120_000);

describe('calibratePolicy on the 306 mini-swe-agent runs', () => {
  it('keeps the held-out resolved-run loss near the target and saves part of the unresolved cost', () => {
    const { crossValidated } = calibration.scorer;
    expect(crossValidated.runs).toBe(306);
    // Thresholds are chosen on other runs, so the held-out loss may exceed the target a little.
    expect(crossValidated.resolvedLostFraction).toBeLessThanOrEqual(0.05);
    expect(crossValidated.savedFractionOfUnresolvedCost).toBeGreaterThan(0.05);
    expect(calibration.policy.evidence?.savedFractionOfUnresolvedCost).toBe(
      crossValidated.savedFractionOfUnresolvedCost,
    );
  });

  it('calibrates a per-model turn cap that stops at most 3% of resolved runs', () => {
    const budget = calibration.policy.budgets.turns.default;
    expect(budget.resolvedLostFraction).toBeLessThanOrEqual(0.03);
    const resolvedTurns = runs.filter((run) => run.outcome.resolved).map((run) => run.turns.length);
    expect(
      resolvedTurns.filter((turns) => turns > budget.maxTurns).length / resolvedTurns.length,
    ).toBeLessThanOrEqual(0.03);
    expect(
      resolvedTurns.filter((turns) => turns > budget.maxTurns - 1).length / resolvedTurns.length,
    ).toBeGreaterThan(0.03);
    // Runs served through two gateways name the model in two ways; each gets its own budget.
    const perModel = calibration.policy.budgets.turns.perModel;
    expect(Object.keys(perModel)).toContain('google/gemini-3-pro-preview');
    expect(Object.values(perModel).reduce((sum, item) => sum + item.runs, 0)).toBe(306);
  });

  it('writes a policy file that validates and reads back equal', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'reins-policy-'));
    try {
      const file = join(directory, 'policy.json');
      await writePolicy(file, calibration.policy);
      expect(await readPolicy(file)).toEqual(calibration.policy);
      const broken = {
        ...calibration.policy,
        scorer: { ...calibration.policy.scorer, weights: [1] },
      };
      const { writeFile } = await import('node:fs/promises');
      await writeFile(file, JSON.stringify(broken));
      await expect(readPolicy(file)).rejects.toMatchObject({
        code: 'trajectory-format',
        path: 'scorer.weights',
      });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('drives the policy controller to the same stops as the scorer applied by hand', async () => {
    const { policy } = calibration;
    const scorer = policy.scorer as NonNullable<typeof policy.scorer>;
    const report = await evaluateController(
      runs,
      createPolicyController(policy, { turnBudget: false }),
    );
    const byHand = applyStopRule(
      runs.map((run) => {
        const input = toScoredRunInput(run) as NonNullable<ReturnType<typeof toScoredRunInput>>;
        return {
          resolved: input.resolved,
          costs: input.costs,
          scores: input.features.map((features) => predictProbability(scorer, features)),
        };
      }),
      scorer,
    );
    expect(report.runsStopped).toBe(byHand.runsStopped);
    expect(report.resolvedLost).toBe(byHand.resolvedLost);
    expect(report.savedUsd).toBeCloseTo(byHand.savedUsd, 9);
    expect(report.byName['failure.predicted']?.runs).toBe(byHand.runsStopped);
  });
});
