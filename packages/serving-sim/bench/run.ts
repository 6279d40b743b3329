/**
 * Serving-simulator benchmark: job completion time per policy (vLLM-like LRU, Continuum's public
 * rule, Reins hints) over a sweep of arrival rates on workloads built from the recorded
 * mini-swe-agent runs, the ratios next to Continuum's published figures, hosted-cache pricing on
 * the recorded pauses, and the simulator's own speed. The last line is one JSON object.
 */
import { createToolDurationPredictor } from '@reins/controller';
import {
  compareHostedCacheTtl,
  createContinuumPolicy,
  createLruPolicy,
  createReinsHintsPolicy,
  createWorkload,
  type SimulationResult,
  simulate,
} from '../src/index.js';
import { loadRecordedWorkload, toHostedRuns, toSamples } from '../test/recorded-workload.js';

const programsPerRate = Number(process.env.SIM_PROGRAMS ?? 100);
const rates = (process.env.SIM_RATES ?? '0.02,0.05,0.08').split(',').map(Number);
const seeds = [1, 2, 3];

const workload = await loadRecordedWorkload();
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const turns = workload.templates.flatMap((template) => template.turns);
console.log(
  `workload: ${workload.templates.length} recorded programs (${workload.seedTemplates.length} more seed the predictor); ` +
    `${(turns.length / workload.templates.length).toFixed(1)} calls per program, median prompt ${median(turns.map((t) => t.promptTokens))} tokens, ` +
    `median pause ${median(turns.map((t) => t.pauseMs))} ms`,
);

interface Row {
  rate: number;
  lru: SimulationResult[];
  continuum: SimulationResult[];
  reins: SimulationResult[];
}
const rows: Row[] = [];
let steps = 0;
let simulatedMs = 0;
const started = performance.now();
for (const rate of rates) {
  const row: Row = { rate, lru: [], continuum: [], reins: [] };
  for (const seed of seeds) {
    const programs = createWorkload({
      templates: workload.templates,
      programs: programsPerRate,
      arrivalsPerSecond: rate,
      seed,
    });
    const predictor = createToolDurationPredictor();
    predictor.seed(toSamples(workload.seedTemplates));
    const results = {
      lru: simulate({ programs, policy: createLruPolicy() }),
      continuum: simulate({ programs, policy: createContinuumPolicy() }),
      reins: simulate({ programs, policy: createReinsHintsPolicy({ predictor }) }),
    };
    for (const key of ['lru', 'continuum', 'reins'] as const) {
      row[key].push(results[key]);
      steps += results[key].steps;
      simulatedMs += results[key].makespanMs;
    }
  }
  rows.push(row);
}
const wallMs = performance.now() - started;

const mean = (results: SimulationResult[], field: keyof SimulationResult) =>
  results.reduce((sum, result) => sum + (result[field] as number), 0) / results.length;
const table = rows.map((row) => {
  const lru = mean(row.lru, 'meanJobMs');
  const continuum = mean(row.continuum, 'meanJobMs');
  const reins = mean(row.reins, 'meanJobMs');
  return {
    arrivalsPerSecond: row.rate,
    meanJobS: { lru: lru / 1000, continuum: continuum / 1000, reins: reins / 1000 },
    p95JobS: {
      lru: mean(row.lru, 'p95JobMs') / 1000,
      continuum: mean(row.continuum, 'p95JobMs') / 1000,
      reins: mean(row.reins, 'p95JobMs') / 1000,
    },
    recomputedPrefillMTok: {
      lru: mean(row.lru, 'recomputedPrefillTokens') / 1e6,
      continuum: mean(row.continuum, 'recomputedPrefillTokens') / 1e6,
      reins: mean(row.reins, 'recomputedPrefillTokens') / 1e6,
    },
    cacheHitRate: {
      lru: mean(row.lru, 'cacheHitRate'),
      continuum: mean(row.continuum, 'cacheHitRate'),
      reins: mean(row.reins, 'cacheHitRate'),
    },
    programsPerMinute: {
      lru: mean(row.lru, 'programsPerMinute'),
      continuum: mean(row.continuum, 'programsPerMinute'),
      reins: mean(row.reins, 'programsPerMinute'),
    },
    ratio: {
      lruOverContinuum: lru / continuum,
      lruOverReins: lru / reins,
      continuumOverReins: continuum / reins,
    },
  };
});

console.log(`\n${programsPerRate} programs per rate, seeds ${seeds.join(',')} (means over seeds)`);
console.log(
  'rate/s | mean JCT s (lru / continuum / reins) | p95 s (lru / reins) | recomputed MTok (lru / cont / reins) | hit rate (lru / cont / reins) | lru÷cont | lru÷reins | cont÷reins',
);
for (const line of table) {
  const f = (value: number, digits = 0) => value.toFixed(digits);
  console.log(
    `${line.arrivalsPerSecond} | ${f(line.meanJobS.lru)} / ${f(line.meanJobS.continuum)} / ${f(line.meanJobS.reins)} | ` +
      `${f(line.p95JobS.lru)} / ${f(line.p95JobS.reins)} | ${f(line.recomputedPrefillMTok.lru, 1)} / ${f(line.recomputedPrefillMTok.continuum, 1)} / ${f(line.recomputedPrefillMTok.reins, 1)} | ` +
      `${f(line.cacheHitRate.lru, 2)} / ${f(line.cacheHitRate.continuum, 2)} / ${f(line.cacheHitRate.reins, 2)} | ` +
      `${f(line.ratio.lruOverContinuum, 2)}× | ${f(line.ratio.lruOverReins, 2)}× | ${f(line.ratio.continuumOverReins, 2)}×`,
  );
}
const high = table.at(-1) as (typeof table)[number];
console.log(
  `\nContinuum's paper: vLLM ÷ Continuum mean job time 2.16× on SWE-bench (465.2 s vs 215.5 s), 1.12–3.66× across workloads.` +
    `\nHere at the highest rate: vLLM-like ÷ Continuum-like ${high.ratio.lruOverContinuum.toFixed(2)}×, vLLM-like ÷ Reins ${high.ratio.lruOverReins.toFixed(2)}×, Continuum-like ÷ Reins ${high.ratio.continuumOverReins.toFixed(2)}×.`,
);

const hosted = compareHostedCacheTtl({
  runs: toHostedRuns(workload.trajectories.filter((_, index) => index % 2 === 0)),
  prices: { inputUsdPerMTok: 3 },
  predictor: (() => {
    const predictor = createToolDurationPredictor();
    for (const run of toHostedRuns(workload.trajectories.filter((_, index) => index % 2 === 1))) {
      run.forEach((call, index) => {
        if (call.toolKey !== undefined && index < run.length - 1)
          predictor.observe({
            key: call.toolKey,
            durationMs: call.gapMs,
            ...(index > 0 && run[index - 1]?.toolKey !== undefined
              ? { previousKey: run[index - 1]?.toolKey as string }
              : {}),
          });
      });
    }
    return predictor;
  })(),
});
console.log(
  `\nHosted (Anthropic prices at $3/MTok input, recorded gaps, ${hosted.requests} requests): always 5m $${hosted.always5mUsd.toFixed(2)}, ` +
    `always 1h $${hosted.always1hUsd.toFixed(2)}, Reins per request $${hosted.reinsUsd.toFixed(2)} (${hosted.reinsOneHourChoices} one-hour choices)`,
);
console.log(
  `\nsimulator: ${steps} engine steps in ${(wallMs / 1000).toFixed(1)} s: overall ${Math.round(steps / (wallMs / 1000))} steps/s, ` +
    `${(simulatedMs / wallMs).toFixed(0)}× faster than simulated time`,
);

console.log(
  JSON.stringify({
    bench: 'serving-sim',
    programsPerRate,
    seeds: seeds.length,
    sweep: table,
    paper: { lruOverContinuum: 2.16, range: [1.12, 3.66] },
    highLoad: high.ratio,
    goals: {
      reinsAtLeast2xOverLru: high.ratio.lruOverReins >= 2,
      reinsAtLeast10PercentOverContinuum: high.ratio.continuumOverReins >= 1 / 0.9,
      fewerRecomputedThanContinuum:
        high.recomputedPrefillMTok.reins < high.recomputedPrefillMTok.continuum,
    },
    hosted: {
      always5mUsd: hosted.always5mUsd,
      always1hUsd: hosted.always1hUsd,
      reinsUsd: hosted.reinsUsd,
      savedVs5mUsd: hosted.always5mUsd - hosted.reinsUsd,
      savedVs1hUsd: hosted.always1hUsd - hosted.reinsUsd,
    },
    simulator: { steps, wallMs, stepsPerSecond: steps / (wallMs / 1000) },
  }),
);
