/**
 * Tunes the Reins rule's settings on the tuning split only: the odd half of the recorded runs
 * as workload (the even half seeds the predictors), seeds 101 and 102, at the sweep's highest
 * rate for each memory size and mix; the reported sweep (`run.ts`) uses the even half and
 * seeds 1–5. Prints, per setting, Reins' mean job time over the best constant pin's at each
 * point and their geometric mean; the last line is one JSON object with the best setting.
 */
import {
  constantPinSeconds,
  llama8bOnOneH100Configuration,
  type ReinsRuleSettings,
  runSimulationSweep,
  type SweepPolicyName,
  toServerParameters,
  toToolDurationSamples,
  withHeavyTailedPauses,
} from '../src/index.js';
import { loadRecordedWorkload } from '../test/recorded-workload.js';
import { sweepGrid } from './sweep-grid.js';

const workload = await loadRecordedWorkload();
const seeds = [101, 102];
const pins = constantPinSeconds.map((seconds) => `pin${seconds}` as SweepPolicyName);
const rate = Math.max(...sweepGrid.rates);
const points = sweepGrid.mixes.flatMap((mix) =>
  sweepGrid.gpuMemoryUtilization.map((utilisation) => {
    const evalHalf =
      mix === 'recorded'
        ? workload.seedTemplates
        : withHeavyTailedPauses(workload.seedTemplates, { seed: 21 });
    const seedHalf =
      mix === 'recorded'
        ? workload.templates
        : withHeavyTailedPauses(workload.templates, { seed: 22 });
    return {
      mix,
      utilisation,
      options: {
        templates: evalHalf,
        predictorSamples: toToolDurationSamples(seedHalf),
        pastTurnCounts: seedHalf.map((template) => template.turns.length),
        rates: [rate],
        programs: sweepGrid.programs,
        seeds,
        server: toServerParameters({
          ...llama8bOnOneH100Configuration,
          engine: { ...llama8bOnOneH100Configuration.engine, gpuMemoryUtilization: utilisation },
        }),
      },
    };
  }),
);
const bestPins = points.map((point) => {
  const row = runSimulationSweep({ ...point.options, policies: pins }).rows[0];
  const best = Math.min(...(row?.policies ?? []).map((result) => result.meanJobMs));
  console.log(
    `best constant pin at ${point.mix} ${point.utilisation}: ${(best / 1000).toFixed(0)} s`,
  );
  return best;
});
const settings: ReinsRuleSettings[] = [];
for (const memoryPriceMs of [400, 1600])
  for (const orderingBenefitMs of [0, 5_000, 20_000])
    settings.push({ memoryPriceMs, orderingBenefitMs, freeBelowKvUsage: 0.8, maxTtlMs: 120_000 });
const scored = settings.map((reinsRule) => {
  const ratios = points.map((point, index) => {
    const row = runSimulationSweep({ ...point.options, policies: ['reins'], reinsRule }).rows[0];
    return (row?.policies[0]?.meanJobMs ?? Number.NaN) / (bestPins[index] as number);
  });
  const geometric = Math.exp(
    ratios.reduce((sum, ratio) => sum + Math.log(ratio), 0) / ratios.length,
  );
  console.log(
    JSON.stringify(reinsRule),
    ratios.map((ratio) => ratio.toFixed(3)).join(' '),
    geometric.toFixed(3),
  );
  return { reinsRule, ratios, geometric };
});
const best = scored.reduce((a, b) => (b.geometric < a.geometric ? b : a));
console.log(JSON.stringify({ bench: 'serving-sim-tune', seeds, rate, best }));
