import { beforeAll, describe, expect, it } from 'vitest';
import { turnCap } from '../test/controllers.js';
import { sharedData } from '../test/shared-data.js';
import { evaluateController } from './evaluate-controller.js';
import { importTrajectoryDirectory } from './import-trajectories.js';
import type { Trajectory } from './trajectory.js';

let runs: Trajectory[] = [];
beforeAll(async () => {
  runs = (
    await importTrajectoryDirectory(sharedData('swe-trajectories/mini-swe-agent-gemini-3-pro'))
  ).trajectories;
}, 120_000);

/** The turn cap's effect computed directly from the recorded costs, without any controller. */
function capByHand(trajectories: readonly Trajectory[], cap: number) {
  let saved = 0;
  let savedUnresolved = 0;
  let unresolvedCost = 0;
  let lost = 0;
  let resolved = 0;
  let stopped = 0;
  for (const run of trajectories) {
    const costs = run.turns.map((turn) => turn.usage?.costUsd ?? 0);
    const after = costs.slice(cap).reduce((a, b) => a + b, 0);
    saved += after;
    if (run.turns.length > cap) stopped += 1;
    if (run.outcome.resolved) {
      resolved += 1;
      if (run.turns.length > cap) lost += 1;
    } else {
      unresolvedCost += costs.reduce((a, b) => a + b, 0);
      savedUnresolved += after;
    }
  }
  return {
    saved,
    savedFraction: savedUnresolved / unresolvedCost,
    lost,
    lostFraction: lost / resolved,
    stopped,
  };
}

describe('evaluateController', () => {
  it('matches an independent computation of a turn cap on a few runs, in both modes', async () => {
    const few = runs.filter((run, index) => index % 40 === 0 || run.turns.length > 90);
    const expected = capByHand(few, 30);
    for (const mode of ['fast', 'loop'] as const) {
      const report = await evaluateController(few, turnCap(30), { mode });
      expect(report.savedUsd).toBeCloseTo(expected.saved, 9);
      expect(report.savedFractionOfUnresolvedCost).toBeCloseTo(expected.savedFraction, 9);
      expect(report.resolvedLost).toBe(expected.lost);
      expect(report.runsStopped).toBe(expected.stopped);
      expect(report.firings.stop.runs).toBe(expected.stopped);
    }
  });

  it('reports the whole data set with bootstrap intervals around the estimates', async () => {
    const report = await evaluateController(runs, turnCap(40));
    const expected = capByHand(runs, 40);
    expect(report.runs).toBe(306);
    expect(report.resolvedLostFraction).toBeCloseTo(expected.lostFraction, 12);
    expect(report.savedFractionOfUnresolvedCost).toBeCloseTo(expected.savedFraction, 12);
    const interval = report.intervals.savedFractionOfUnresolvedCost;
    expect(interval.low).toBeLessThan(interval.estimate);
    expect(interval.high).toBeGreaterThan(interval.estimate);
    // The cap also fires after a run's 40th and last turn, which stops nothing.
    const fired = runs.filter(
      (run) =>
        run.turns.length > 40 ||
        (run.turns.length === 40 && (run.turns[39]?.actions.length ?? 0) > 0),
    );
    expect(report.byName.stop?.runs).toBe(fired.length);
    expect(report.runsStopped).toBe(expected.stopped);
    const stoppedRun = report.perRun.find((run) => run.stopped);
    expect(stoppedRun?.stop).toMatchObject({ turn: 41, hook: 'beforeModel' });
    expect(stoppedRun?.modelCalls).toBe(40);
  });

  it('stops nothing and saves nothing with a controller that never decides', async () => {
    const report = await evaluateController(runs.slice(0, 50), { name: 'idle', open: () => ({}) });
    expect(report.savedUsd).toBe(0);
    expect(report.runsStopped).toBe(0);
    expect(report.perRun.every((run) => run.spentUsd === run.costUsd)).toBe(true);
  });

  it('rejects a value that is not a controller, naming the fix', async () => {
    await expect(evaluateController(runs, {} as never)).rejects.toMatchObject({
      code: 'invalid-options',
    });
  });
});
