import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { turnFeatureNames } from '@reins/controller';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../test/shared-data.js';
import { type CalibrationResult, calibratePolicy } from './calibrate-policy.js';
import { createPolicyController } from './create-policy-controller.js';
import { evaluateController } from './evaluate-controller.js';
import { importTrajectoryDirectory } from './import-trajectories.js';
import { readPolicy, writePolicy } from './policy.js';
import { applyStopPolicy, prepareRuns, selectStopPolicy } from './stop-policy.js';
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
  it('prints an interval around its estimate and holds the upper loss bound to the target', () => {
    const { estimate, policy, rung } = calibration;
    expect(policy.evidence?.runs).toBe(306);
    expect(estimate.repeats).toBe(3);
    expect(estimate.predictionRuns).toBe(306);
    for (const figure of [estimate.savedFractionOfUnresolvedCost, estimate.resolvedLostFraction]) {
      expect(figure.low).toBeLessThanOrEqual(figure.estimate);
      expect(figure.estimate).toBeLessThanOrEqual(figure.high);
    }
    if (rung !== 'safest') expect(estimate.resolvedLostUpperBound).toBeLessThanOrEqual(0.03);
    else expect(calibration.thinEvidence).toMatch(/above the 3.0% target|cannot show/);
    expect(policy.evidence?.heldOut).toEqual(estimate);
    expect(policy.evidence?.rung).toBe(rung);
    // Every bolder rung that was not written says why.
    const index = calibration.rungs.findIndex((entry) => entry.rung === rung);
    for (const entry of calibration.rungs.slice(0, index)) expect(entry.rejected).toBeTruthy();
  });

  it('writes one of the cross-validated policies, chosen without one fold of the runs', () => {
    // The estimate is drawn from policies each chosen on four fifths of the runs; the policy
    // written must be such a policy, not one chosen again on all runs (bolder: more runs certify
    // more stops than any policy the estimate saw).
    const { chosen, rung } = calibration;
    const resolved = prepareRuns(runs).filter((run) => run.resolved).length;
    if (rung === 'safest') {
      expect(chosen.resolved).toBe(resolved);
      return;
    }
    expect(chosen.certified).toBe(true);
    expect(chosen.resolved).toBeLessThan(resolved);
    expect(chosen.resolved).toBeGreaterThanOrEqual(Math.floor((resolved * 4) / 5) - 5);
  });

  it('gives the runs of one model written two ways one budget', () => {
    const perModel = calibration.policy.budgets.turns.perModel;
    if (calibration.rung === 'safest') return;
    expect(Object.keys(perModel)).toEqual(['gemini-3-pro-preview']);
    expect(perModel['gemini-3-pro-preview']?.runs).toBe(306);
    expect(calibration.policy.budgets.turns.default.runs).toBe(306);
  });

  it('writes a policy file that validates and reads back equal', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'reins-policy-'));
    try {
      const file = join(directory, 'policy.json');
      await writePolicy(file, calibration.policy);
      expect(await readPolicy(file)).toEqual(calibration.policy);
      const broken = {
        ...calibration.policy,
        budgets: {
          turns: {
            ...calibration.policy.budgets.turns,
            default: { ...calibration.policy.budgets.turns.default, maxTurns: 0 },
          },
        },
      };
      const { writeFile } = await import('node:fs/promises');
      await writeFile(file, JSON.stringify(broken));
      await expect(readPolicy(file)).rejects.toMatchObject({
        code: 'trajectory-format',
        path: 'budgets.turns.default.maxTurns',
      });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('drives the policy controller to the same stops as the selected policy applied by hand', async () => {
    const prepared = prepareRuns(runs);
    // A bolder scorer than the calibrated one, so that both the cap and the scorer stop runs.
    const bold = selectStopPolicy(prepared, 'cap-and-scorer', {
      maxResolvedLoss: 0.1,
      selectionConfidence: 0.5,
      folds: 5,
      minTurn: 5,
      l2: 1,
      minRunsPerModel: 30,
      seed: 1,
    });
    const scorer = bold.scorer as NonNullable<typeof bold.scorer>;
    expect(scorer).toBeDefined();
    const policy = {
      ...calibration.policy,
      budgets: {
        turns: {
          default: { ...calibration.policy.budgets.turns.default, maxTurns: bold.caps.overall },
          perModel: Object.fromEntries(
            Object.entries(bold.caps.perModel).map(([model, cap]) => [
              model,
              { ...calibration.policy.budgets.turns.default, maxTurns: cap },
            ]),
          ),
        },
      },
      scorer: {
        kind: 'logistic' as const,
        features: [...turnFeatureNames],
        weights: [...scorer.weights],
        bias: scorer.bias,
        means: [...scorer.means],
        scales: [...scorer.scales],
        threshold: scorer.threshold,
        minTurn: scorer.minTurn,
      },
    };
    const report = await evaluateController(runs, createPolicyController(policy));
    const byHand = prepared.map((run) => applyStopPolicy(bold, run));
    expect(report.runsStopped).toBe(byHand.filter((outcome) => outcome.stopped).length);
    expect(report.runsStopped).toBeGreaterThan(0);
    expect(report.resolvedLost).toBe(
      byHand.filter((outcome) => outcome.stopped && outcome.resolved).length,
    );
    expect(report.savedUsd).toBeCloseTo(
      byHand.reduce((sum, outcome) => sum + outcome.savedUsd, 0),
      9,
    );
    expect(report.byName['failure.predicted']?.runs).toBeGreaterThan(0);
  });
});
