import { beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../test/shared-data.js';
import { createRandom } from './bootstrap.js';
import { calibratePolicy } from './calibrate-policy.js';
import { createPolicyController } from './create-policy-controller.js';
import { evaluateController } from './evaluate-controller.js';
import { importTrajectoryDirectory } from './import-trajectories.js';
import type { Trajectory } from './trajectory.js';

let runs: Trajectory[] = [];
beforeAll(async () => {
  runs = (
    await importTrajectoryDirectory(sharedData('swe-trajectories/mini-swe-agent-gemini-3-pro'))
  ).trajectories;
}, 120_000);

/** Two thirds of the runs to calibrate on and the other third to evaluate on, in a seeded order. */
function split(seed: number): { calibration: Trajectory[]; unseen: Trajectory[] } {
  const random = createRandom(seed);
  const order = runs
    .map((run) => ({ key: random(), run }))
    .sort((a, b) => a.key - b.key)
    .map((entry) => entry.run);
  const cut = Math.round((order.length * 2) / 3);
  return { calibration: order.slice(0, cut), unseen: order.slice(cut) };
}

describe('calibration evaluated on runs it has not seen', () => {
  it.each([11, 22, 33, 44])(
    'split %i: the unseen figures lie inside the printed intervals and the loss within target',
    async (seed) => {
      const { calibration, unseen } = split(seed);
      const result = calibratePolicy(calibration, {
        maxResolvedLoss: 0.03,
        predictionRuns: unseen.length,
        seed,
      });
      const report = await evaluateController(unseen, createPolicyController(result.policy), {
        bootstrap: { samples: 10 },
      });
      const { savedFractionOfUnresolvedCost: saved, resolvedLostFraction: lost } = result.estimate;
      expect(report.savedFractionOfUnresolvedCost).toBeGreaterThanOrEqual(saved.low);
      expect(report.savedFractionOfUnresolvedCost).toBeLessThanOrEqual(saved.high);
      expect(report.resolvedLostFraction).toBeGreaterThanOrEqual(lost.low);
      expect(report.resolvedLostFraction).toBeLessThanOrEqual(lost.high);
      expect(report.resolvedLostFraction).toBeLessThanOrEqual(0.03);
    },
    120_000,
  );
});

describe('calibration when the evidence is too thin', () => {
  it('writes the safest policy for the 47 SWE-agent Java runs and says why', async () => {
    const java = (await importTrajectoryDirectory(sharedData('swe-trajectories/swe-agent-java')))
      .trajectories;
    const result = calibratePolicy(java, { maxResolvedLoss: 0.03 });
    expect(result.rung).toBe('safest');
    expect(result.thinEvidence).toMatch(/too few runs of each outcome to train the scorer/);
    const longest = Math.max(...java.map((run) => run.turns.length));
    expect(result.policy.budgets.turns.default.maxTurns).toBe(2 * longest);
    expect(result.policy.scorer).toBeUndefined();
    expect(result.policy.evidence?.thinEvidence).toBe(result.thinEvidence);
  }, 60_000);
});
