import { turnFeatureNames } from '@reins/controller';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../test/shared-data.js';
import {
  evaluateFailurePredictor,
  type FailurePredictorEvaluation,
  turnAuc,
} from './evaluate-failure-predictor.js';
import { importTrajectoryDirectory } from './import-trajectories.js';

let evaluation: FailurePredictorEvaluation;
beforeAll(async () => {
  const load = async (path: string) =>
    (await importTrajectoryDirectory(sharedData(path))).trajectories.filter(
      (run) => run.outcome.resolved !== undefined,
    );
  evaluation = evaluateFailurePredictor({
    'mini-swe-agent': await load('swe-trajectories/mini-swe-agent-gemini-3-pro'),
    'swe-agent-java': await load('swe-trajectories/swe-agent-java'),
    'tau-bench': await load('tau-bench'),
  });
}, 240_000);

describe('turnAuc', () => {
  it('is 1 for perfect separation, 0.5 for ties and 0 for reversed scores', () => {
    const failed = { resolved: false, scores: [0.9, 0.8] };
    const succeeded = { resolved: true, scores: [0.1, 0.2] };
    expect(turnAuc([failed, succeeded]).auc).toBe(1);
    expect(
      turnAuc([
        { ...failed, scores: [0.5] },
        { ...succeeded, scores: [0.5] },
      ]).auc,
    ).toBe(0.5);
    expect(
      turnAuc([
        { ...failed, scores: [0.1] },
        { ...succeeded, scores: [0.9] },
      ]).auc,
    ).toBe(0);
  });
});

describe('the failure predictor across agents and models', () => {
  it('is trained on every labelled run and scored leave-one-dataset-out and within each dataset', () => {
    expect(evaluation.datasets.map((entry) => entry.name)).toEqual([
      'mini-swe-agent',
      'swe-agent-java',
      'tau-bench',
    ]);
    expect(evaluation.datasets.map((entry) => entry.runs)).toEqual([306, 43, 100]);
    expect(evaluation.leaveOneDatasetOut.map((entry) => entry.heldOut)).toEqual([
      'mini-swe-agent',
      'swe-agent-java',
      'tau-bench',
    ]);
    for (const score of [...evaluation.leaveOneDatasetOut, ...evaluation.withinDataset]) {
      expect(score.auc).toBeGreaterThanOrEqual(0);
      expect(score.auc).toBeLessThanOrEqual(1);
      expect(score.turns).toBeGreaterThan(score.runs);
    }
    // Within the largest dataset, cross-validated, the scorer separates better than chance.
    const within = evaluation.withinDataset.find((entry) => entry.dataset === 'mini-swe-agent');
    expect(within?.auc).toBeGreaterThan(0.55);
  });

  it('reports every shared feature, strongest signal first', () => {
    expect(evaluation.features.map((entry) => entry.feature).sort()).toEqual(
      [...turnFeatureNames].sort(),
    );
    const strength = evaluation.features.map((entry) => entry.signal);
    expect(strength).toEqual([...strength].sort((a, b) => b - a));
    const first = evaluation.features[0];
    const within = Object.values(first?.aucByDataset ?? {}).filter((auc) => !Number.isNaN(auc));
    expect(first?.signal).toBeCloseTo(
      within.reduce((sum, auc) => sum + Math.abs(auc - 0.5), 0) / within.length,
      12,
    );
  });
});
