/**
 * Serving-simulator benchmark: a sensitivity sweep of arrival rate × KV memory × tool-duration
 * mix on Llama-3.1-8B on one H100 under vLLM (`llama8bOnOneH100Configuration`), every policy on
 * the same workloads with the same information: LRU, Continuum's public and paper rules,
 * constant pins of 2–120 s, the oracle (per workload, the best in hindsight of pins of exactly
 * the true pause, Reins' rule told the true pauses, LRU and the constant pins), and Reins. Workloads are the even
 * half of the recorded mini-swe-agent runs (the odd half seeds every predictor and gives the
 * past run lengths); the heavy-tailed mix puts synthetic pauses on the same programs. Reins'
 * rule settings were tuned by `bench/tune.ts` on the other half and other seeds. Per point:
 * mean job time per policy (mean over seeds, with 95 % intervals), the ratios, and per-seed
 * ratio intervals. The last line is one JSON object. Seeds 1–3 by default (`SIM_SEEDS=1,2,3,4,5` for more);
 * `SIM_MIXES=recorded` or `heavyTailed` runs one mix, `SIM_RATES` and `SIM_PROGRAMS` a smaller grid.
 */
import { createToolDurationPredictor } from '@reins/controller';
import {
  compareHostedCacheTtl,
  constantPinSeconds,
  createOracleCandidates,
  llama8bOnOneH100Configuration,
  runSimulationSweep,
  type SweepPolicyName,
  type SweepPolicyResult,
  toServerParameters,
  toToolDurationSamples,
  withHeavyTailedPauses,
} from '../src/index.js';
import { loadRecordedWorkload, toHostedRuns } from '../test/recorded-workload.js';
import { meanWithInterval } from './confidence-interval.js';
import { sweepGrid } from './sweep-grid.js';
import { tunedReinsRule, tunedReinsSharedWeight } from './tuned-reins-rule.js';

const seeds = (process.env.SIM_SEEDS ?? '1,2,3').split(',').map(Number);
const programs = Number(process.env.SIM_PROGRAMS ?? sweepGrid.programs);
const rates = process.env.SIM_RATES?.split(',').map(Number) ?? [...sweepGrid.rates];
const mixes = sweepGrid.mixes.filter(
  (mix) => process.env.SIM_MIXES === undefined || process.env.SIM_MIXES.split(',').includes(mix),
);
const workload = await loadRecordedWorkload();
const pins = constantPinSeconds.map((seconds) => `pin${seconds}` as SweepPolicyName);

const byName = (results: readonly SweepPolicyResult[], name: SweepPolicyName) =>
  results.find((result) => result.policy === name) as SweepPolicyResult;
const pairedRatio = (top: SweepPolicyResult, bottom: SweepPolicyResult) =>
  meanWithInterval(
    top.meanJobMsBySeed.map((value, index) => value / (bottom.meanJobMsBySeed[index] as number)),
  );

interface SweepPoint {
  readonly mix: (typeof sweepGrid.mixes)[number];
  readonly gpuMemoryUtilization: number;
  readonly kvCapacityTokens: number;
  readonly arrivalsPerSecond: number;
  readonly meanJobS: Record<string, number>;
  readonly ci95JobS: Record<string, number>;
  readonly bestConstantPin: string;
  /** The candidate the oracle chose on each seed's workload. */
  readonly oracleChosen: readonly string[];
  readonly ratio: {
    readonly lruOverReins: number;
    readonly continuumOverReins: number;
    readonly bestConstantPinOverReins: number;
    readonly reinsOverOracle: number;
  };
  readonly perSeedRatio: Record<string, { readonly mean: number; readonly ci95: number }>;
  readonly recomputedPrefillMTok: Record<string, number>;
  readonly cacheHitRate: Record<string, number>;
  readonly preemptions: Record<string, number>;
}

const points: SweepPoint[] = [];
let simulations = 0;
const started = performance.now();
for (const mix of mixes) {
  const evalHalf =
    mix === 'recorded'
      ? workload.templates
      : withHeavyTailedPauses(workload.templates, { seed: 1 });
  const seedHalf =
    mix === 'recorded'
      ? workload.seedTemplates
      : withHeavyTailedPauses(workload.seedTemplates, { seed: 2 });
  for (const gpuMemoryUtilization of sweepGrid.gpuMemoryUtilization) {
    const server = toServerParameters({
      ...llama8bOnOneH100Configuration,
      engine: { ...llama8bOnOneH100Configuration.engine, gpuMemoryUtilization },
    });
    const sweep = runSimulationSweep({
      templates: evalHalf,
      predictorSamples: toToolDurationSamples(seedHalf),
      pastTurnCounts: seedHalf.map((template) => template.turns.length),
      rates,
      programs,
      seeds,
      server,
      reinsRule: tunedReinsRule,
      reinsSharedWeight: tunedReinsSharedWeight,
    });
    // every policy but the oracle once per rate and seed, and the oracle's own candidates
    simulations +=
      rates.length * seeds.length * (sweep.policies.length - 1 + createOracleCandidates().length);
    for (const row of sweep.rows) {
      const results = row.policies;
      const reins = byName(results, 'reins');
      const bestPin = pins
        .map((name) => byName(results, name))
        .reduce((a, b) => (b.meanJobMs < a.meanJobMs ? b : a));
      const lru = byName(results, 'lru');
      const continuum = byName(results, 'continuum');
      const oracle = byName(results, 'oracle');
      const meanJobS: Record<string, number> = {};
      const ci95JobS: Record<string, number> = {};
      const recomputedPrefillMTok: Record<string, number> = {};
      const cacheHitRate: Record<string, number> = {};
      const preemptions: Record<string, number> = {};
      for (const result of results) {
        const interval = meanWithInterval(result.meanJobMsBySeed);
        meanJobS[result.policy] = interval.mean / 1000;
        ci95JobS[result.policy] = interval.ci95 / 1000;
        recomputedPrefillMTok[result.policy] = result.recomputedPrefillTokens / 1e6;
        cacheHitRate[result.policy] = result.cacheHitRate;
        preemptions[result.policy] = result.preemptions;
      }
      const ratioCi95 = {
        lruOverReins: pairedRatio(lru, reins),
        continuumOverReins: pairedRatio(continuum, reins),
        bestConstantPinOverReins: pairedRatio(bestPin, reins),
        reinsOverOracle: pairedRatio(reins, oracle),
      };
      points.push({
        mix,
        gpuMemoryUtilization,
        kvCapacityTokens: server.capacityTokens,
        arrivalsPerSecond: row.arrivalsPerSecond,
        meanJobS,
        ci95JobS,
        bestConstantPin: bestPin.policy,
        oracleChosen: oracle.chosenBySeed ?? [],
        ratio: {
          lruOverReins: lru.meanJobMs / reins.meanJobMs,
          continuumOverReins: continuum.meanJobMs / reins.meanJobMs,
          bestConstantPinOverReins: bestPin.meanJobMs / reins.meanJobMs,
          reinsOverOracle: reins.meanJobMs / oracle.meanJobMs,
        },
        perSeedRatio: Object.fromEntries(
          Object.entries(ratioCi95).map(([name, { mean, ci95 }]) => [name, { mean, ci95 }]),
        ),
        recomputedPrefillMTok,
        cacheHitRate,
        preemptions,
      });
    }
  }
}
const wallMs = performance.now() - started;

const f = (value: number, digits = 0) => value.toFixed(digits);
console.log(
  `workload: ${workload.templates.length} recorded programs (${workload.seedTemplates.length} more seed the predictors); ${programs} programs per run, seeds ${seeds.join(',')}; Reins rule ${JSON.stringify(tunedReinsRule)}, shared weight ${tunedReinsSharedWeight}`,
);
const names = ['lru', 'continuum', 'continuumPaper', ...pins, 'oracle', 'reins'];
console.log(
  `\nmix | util | KV tok | rate/s | ${names.join(' / ')} (mean job s) | best pin | lru÷reins | cont÷reins | bestPin÷reins (per-seed 95% CI) | reins÷oracle | oracle chose`,
);
for (const point of points) {
  const interval = point.perSeedRatio.bestConstantPinOverReins as { mean: number; ci95: number };
  console.log(
    `${point.mix} | ${point.gpuMemoryUtilization} | ${point.kvCapacityTokens} | ${point.arrivalsPerSecond} | ` +
      `${names.map((name) => f(point.meanJobS[name] ?? Number.NaN)).join(' / ')} | ${point.bestConstantPin} | ` +
      `${f(point.ratio.lruOverReins, 2)} | ${f(point.ratio.continuumOverReins, 2)} | ` +
      `${f(point.ratio.bestConstantPinOverReins, 3)} (${f(interval.mean - interval.ci95, 3)}–${f(interval.mean + interval.ci95, 3)}) | ${f(point.ratio.reinsOverOracle, 3)} | ${point.oracleChosen.join(',')}`,
  );
}

// the highest load: the highest rate on the smaller memory, per mix
const highLoad = mixes.map((mix) => {
  const candidates = points.filter((point) => point.mix === mix);
  const rate = Math.max(...candidates.map((point) => point.arrivalsPerSecond));
  const memory = Math.min(...candidates.map((point) => point.gpuMemoryUtilization));
  const point = candidates.find(
    (candidate) =>
      candidate.arrivalsPerSecond === rate && candidate.gpuMemoryUtilization === memory,
  ) as SweepPoint;
  return {
    mix,
    gpuMemoryUtilization: memory,
    arrivalsPerSecond: rate,
    ratio: point.ratio,
    goals: {
      lruOverReinsAtLeast2: point.ratio.lruOverReins >= 2,
      bestConstantPinOverReinsAtLeast1_10: point.ratio.bestConstantPinOverReins >= 1.1,
      reinsOverOracleAtMost1_15: point.ratio.reinsOverOracle <= 1.15,
    },
  };
});
const worstAgainstBestPin = points.reduce((a, b) =>
  b.ratio.bestConstantPinOverReins < a.ratio.bestConstantPinOverReins ? b : a,
);
console.log(
  `\nhighest load: ${highLoad.map((point) => `${point.mix} ${JSON.stringify(point.ratio)} goals ${JSON.stringify(point.goals)}`).join('\n              ')}` +
    `\nReins against the best constant pin at its worst point: ${f(worstAgainstBestPin.ratio.bestConstantPinOverReins, 3)} (${worstAgainstBestPin.mix}, util ${worstAgainstBestPin.gpuMemoryUtilization}, ${worstAgainstBestPin.arrivalsPerSecond}/s, ${worstAgainstBestPin.bestConstantPin})`,
);

const hostedPredictor = createToolDurationPredictor();
hostedPredictor.seed(toToolDurationSamples(workload.seedTemplates));
const hosted = compareHostedCacheTtl({
  runs: toHostedRuns(workload.trajectories.filter((_, index) => index % 2 === 0)),
  prices: { inputUsdPerMTok: 3 },
  predictor: hostedPredictor,
});
console.log(
  `\nHosted (Anthropic prices at $3/MTok input, recorded gaps, ${hosted.requests} requests): always 5m $${f(hosted.always5mUsd, 2)}, always 1h $${f(hosted.always1hUsd, 2)}, Reins per request $${f(hosted.reinsUsd, 2)}` +
    `\nsimulator: ${simulations} simulations in ${f(wallMs / 1000, 1)} s`,
);

console.log(
  JSON.stringify({
    bench: 'serving-sim',
    server: llama8bOnOneH100Configuration,
    programsPerRun: programs,
    seeds,
    reinsRule: tunedReinsRule,
    reinsSharedWeight: tunedReinsSharedWeight,
    sweep: points,
    highLoad,
    reinsNoWorseThanBestConstantPinEverywhere: points.every(
      (point) => point.ratio.bestConstantPinOverReins >= 1,
    ),
    pointsWhereReinsWorseThanBestConstantPin: points.filter(
      (point) => point.ratio.bestConstantPinOverReins < 1,
    ).length,
    points: points.length,
    worstBestConstantPinOverReins: worstAgainstBestPin.ratio.bestConstantPinOverReins,
    hosted: {
      always5mUsd: hosted.always5mUsd,
      always1hUsd: hosted.always1hUsd,
      reinsUsd: hosted.reinsUsd,
    },
    simulator: { simulations, wallMs },
  }),
);
