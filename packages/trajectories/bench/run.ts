/**
 * Throughput of import and evaluation on the recorded runs under ../shared/data: median of
 * several rounds, in turns per second, and the ratio of the fast path to the loop. The last
 * line of output is one JSON object.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createController,
  createDriftMonitor,
  createInterventionPolicy,
  createOverthinkingMonitor,
  createStuckMonitor,
  driftWindowFor,
} from '@reins/controller';
import type { Controller } from '@reins/core';
import {
  calibratePolicy,
  createPolicyController,
  createRandom,
  evaluateController,
  importTrajectoryDirectory,
  type Trajectory,
} from '../src/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const data = resolve(repoRoot, '../shared/data/swe-trajectories/mini-swe-agent-gemini-3-pro');
if (!existsSync(data)) {
  console.error(`The recorded runs are missing: ${data}. Put the shared data at ../shared/data.`);
  process.exit(1);
}

const rounds = 5;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
async function measure(work: () => Promise<unknown> | unknown, count = rounds): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < count; round += 1) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return median(times);
}

const turnCap: Controller = {
  name: 'turn-cap-40',
  open: () => ({
    beforeModel: (view) =>
      view.turn >= 40
        ? [{ type: 'stop', reason: 'turn-budget', message: 'cap', source: 'cap' }]
        : undefined,
  }),
};

let runs: Trajectory[] = [];
const importMs = await measure(async () => {
  runs = (await importTrajectoryDirectory(data)).trajectories;
});
const turns = runs.reduce((sum, run) => sum + run.turns.length, 0);
console.log(
  `import: ${runs.length} runs, ${turns} turns, median ${importMs.toFixed(0)} ms, ${(turns / (importMs / 1000)).toFixed(0)} turns/s`,
);

const fastMs = await measure(() =>
  evaluateController(runs, turnCap, { bootstrap: { samples: 200 } }),
);
console.log(
  `evaluate (fast path, turn cap): median ${fastMs.toFixed(0)} ms, ${(turns / (fastMs / 1000)).toFixed(0)} turns/s`,
);

const sample = runs.filter((_, index) => index % 10 === 0);
const sampleTurns = sample.reduce((sum, run) => sum + run.turns.length, 0);
const loopMs = await measure(
  () => evaluateController(sample, turnCap, { mode: 'loop', bootstrap: { samples: 200 } }),
  3,
);
const fastSampleMs = await measure(() =>
  evaluateController(sample, turnCap, { bootstrap: { samples: 200 } }),
);
const loopRate = sampleTurns / (loopMs / 1000);
const fastSampleRate = sampleTurns / (fastSampleMs / 1000);
console.log(
  `evaluate (real loop, ${sample.length} runs): median ${loopMs.toFixed(0)} ms, ${loopRate.toFixed(0)} turns/s; fast path on the same runs ${fastSampleRate.toFixed(0)} turns/s, ratio ${(fastSampleRate / loopRate).toFixed(1)}×`,
);

let calibration: ReturnType<typeof calibratePolicy> | undefined;
const calibrateMs = await measure(() => {
  calibration = calibratePolicy(runs, { maxResolvedLoss: 0.03 });
}, 1);
const result = calibration as ReturnType<typeof calibratePolicy>;
const policyMs = await measure(() =>
  evaluateController(runs, createPolicyController(result.policy), { bootstrap: { samples: 200 } }),
);
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
console.log(`calibrate (3× repeated nested 5-fold cross-validation): ${calibrateMs.toFixed(0)} ms`);
console.log(
  `evaluate (fast path, calibrated policy): median ${policyMs.toFixed(0)} ms, ${(turns / (policyMs / 1000)).toFixed(0)} turns/s`,
);
const rungFigures = (rung: string) => {
  const estimate = result.rungs.find((entry) => entry.rung === rung)?.estimate;
  return estimate === undefined
    ? { saved: Number.NaN, lost: Number.NaN }
    : {
        saved: estimate.savedFractionOfUnresolvedCost.estimate,
        lost: estimate.resolvedLostFraction.estimate,
      };
};
const joint = rungFigures('cap-and-scorer');
const capAlone = rungFigures('cap');
console.log(
  `all runs, written ${result.rung}: expected to save ${percent(result.estimate.savedFractionOfUnresolvedCost.estimate)} of unresolved cost at ${percent(result.estimate.resolvedLostFraction.estimate)} resolved runs lost (cap and scorer ${percent(joint.saved)} at ${percent(joint.lost)}; cap alone ${percent(capAlone.saved)} at ${percent(capAlone.lost)})`,
);

// Compaction, apart from stops: the calibrated policy with the monitors acting on what they
// find (warn or re-anchor, then compact; never stop), and the input tokens later calls would not
// have re-sent had each run gone on as recorded.
const acting = createController({
  name: 'policy-with-compaction',
  budget: createPolicyController(result.policy),
  monitors: [
    createStuckMonitor(),
    createDriftMonitor({ window: driftWindowFor(result.policy.budgets.turns.default.maxTurns) }),
    createOverthinkingMonitor(),
  ],
  interventions: createInterventionPolicy({
    escalation: { stuck: ['warn', 'compact'], drift: ['reanchor', 'compact'] },
  }),
  hints: false,
});
const compactionReport = await evaluateController(runs, acting, { bootstrap: { samples: 200 } });
const compaction = {
  ...compactionReport.compaction,
  inputTokensSaved: Math.round(compactionReport.compaction.inputTokensSaved),
  inputTokensSavedFraction: Number(compactionReport.compaction.inputTokensSavedFraction.toFixed(5)),
};
console.log(
  `compaction (stuck and drift findings: warn or re-anchor, then compact): ${compaction.compactions} compactions in ${compaction.runs} of ${runs.length} runs, ${compaction.inputTokensSaved} of ${compaction.inputTokens} input tokens not re-sent (${percent(compaction.inputTokensSavedFraction)})`,
);

// Held out: calibrate on two thirds of the runs, evaluate on the third calibration never saw,
// for several random splits (BENCH_SPLITS, default 20). Each split's calibration uses the split's
// seed; nothing is chosen by looking at the unseen third.
const splitCount = Number(process.env.BENCH_SPLITS ?? 20);
async function heldOutSplit(seed: number) {
  const random = createRandom(seed);
  const order = runs
    .map((run) => ({ key: random(), run }))
    .sort((a, b) => a.key - b.key)
    .map((entry) => entry.run);
  const cut = Math.round((order.length * 2) / 3);
  const unseen = order.slice(cut);
  const split = calibratePolicy(order.slice(0, cut), {
    maxResolvedLoss: 0.03,
    predictionRuns: unseen.length,
    seed,
  });
  const report = await evaluateController(unseen, createPolicyController(split.policy), {
    bootstrap: { samples: 200 },
  });
  const saved = split.estimate.savedFractionOfUnresolvedCost;
  const lost = split.estimate.resolvedLostFraction;
  return {
    seed,
    savedFractionOfUnresolvedCost: Number(report.savedFractionOfUnresolvedCost.toFixed(4)),
    resolvedLostFraction: Number(report.resolvedLostFraction.toFixed(4)),
    resolvedLost: report.resolvedLost,
    resolved: report.resolved,
    estimate: Number(saved.estimate.toFixed(4)),
    estimateLow: Number(saved.low.toFixed(4)),
    estimateHigh: Number(saved.high.toFixed(4)),
    resolvedLostLow: Number(lost.low.toFixed(4)),
    resolvedLostHigh: Number(lost.high.toFixed(4)),
    calibrationRuns: cut,
    unseenRuns: unseen.length,
    rung: split.rung,
    savedInsideInterval:
      report.savedFractionOfUnresolvedCost >= saved.low &&
      report.savedFractionOfUnresolvedCost <= saved.high,
    lostInsideInterval:
      report.resolvedLostFraction >= lost.low && report.resolvedLostFraction <= lost.high,
    lossWithinTarget: report.resolvedLostFraction <= 0.03,
  };
}
const splits: Awaited<ReturnType<typeof heldOutSplit>>[] = [];
for (let index = 0; index < splitCount; index += 1) {
  const split = await heldOutSplit(2026 + index);
  splits.push(split);
  console.log(
    `held out, split ${split.seed} (${split.calibrationRuns} runs calibrate, ${split.unseenRuns} unseen, wrote ${split.rung}): saved ${percent(split.savedFractionOfUnresolvedCost)} of unresolved cost (printed ${percent(split.estimateLow)}–${percent(split.estimateHigh)}), lost ${split.resolvedLost}/${split.resolved} resolved runs = ${percent(split.resolvedLostFraction)} (printed ${percent(split.resolvedLostLow)}–${percent(split.resolvedLostHigh)})`,
  );
}
const heldOut = splits[0] as (typeof splits)[number];
const savedOnUnseen = splits.map((split) => split.savedFractionOfUnresolvedCost);
const meanSaved = savedOnUnseen.reduce((sum, value) => sum + value, 0) / splits.length;
const spread = Math.sqrt(
  savedOnUnseen.reduce((sum, value) => sum + (value - meanSaved) ** 2, 0) /
    Math.max(1, splits.length - 1),
);
const count = (key: 'savedInsideInterval' | 'lostInsideInterval' | 'lossWithinTarget') =>
  splits.filter((split) => split[key]).length;
const heldOutSplits = {
  splits: splits.length,
  savedInsideInterval: count('savedInsideInterval'),
  lostInsideInterval: count('lostInsideInterval'),
  lossWithinTarget: count('lossWithinTarget'),
  meanSavedFractionOfUnresolvedCost: Number(meanSaved.toFixed(4)),
  // Normal-approximation 95% interval of the mean over splits (splits overlap, so it is narrow).
  meanSavedLow: Number((meanSaved - (1.96 * spread) / Math.sqrt(splits.length)).toFixed(4)),
  meanSavedHigh: Number((meanSaved + (1.96 * spread) / Math.sqrt(splits.length)).toFixed(4)),
  safestWritten: splits.filter((split) => split.rung === 'safest').length,
};
console.log(
  `held out over ${heldOutSplits.splits} splits: the unseen saving lay inside the printed interval in ${heldOutSplits.savedInsideInterval}, the loss inside its interval in ${heldOutSplits.lostInsideInterval}, the loss within the 3% target in ${heldOutSplits.lossWithinTarget}; mean saved ${percent(meanSaved)} of unresolved cost; the safest policy written in ${heldOutSplits.safestWritten}`,
);

console.log(
  JSON.stringify({
    runs: runs.length,
    turns,
    importMedianMs: Math.round(importMs),
    importTurnsPerSecond: Math.round(turns / (importMs / 1000)),
    evaluateFastMedianMs: Math.round(fastMs),
    evaluateFastTurnsPerSecond: Math.round(turns / (fastMs / 1000)),
    evaluateLoopTurnsPerSecond: Math.round(loopRate),
    fastToLoopRatio: Number((fastSampleRate / loopRate).toFixed(2)),
    evaluatePolicyTurnsPerSecond: Math.round(turns / (policyMs / 1000)),
    calibrateMs: Math.round(calibrateMs),
    writtenRung: result.rung,
    scorerSavedFractionOfUnresolvedCost: Number(joint.saved.toFixed(4)),
    scorerResolvedLostFraction: Number(joint.lost.toFixed(4)),
    turnCapSavedFractionOfUnresolvedCost: Number(capAlone.saved.toFixed(4)),
    turnCapResolvedLostFraction: Number(capAlone.lost.toFixed(4)),
    heldOut,
    heldOutSplits,
    compaction,
  }),
);
