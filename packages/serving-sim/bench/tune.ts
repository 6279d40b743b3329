/**
 * Tunes the Reins policy's settings on the tuning split only: the odd half of the recorded runs
 * as workload (the even half seeds the predictors), seeds 101 and 102, at every point of the
 * sweep's grid (mix × memory × rate); the reported sweep (`run.ts`) uses the even half and
 * seeds 1–3. Prints, per setting, Reins' mean job time over the best constant pin's at each
 * point, the worst of them and their geometric mean; the best setting has the highest worst
 * ratio (Reins no worse than the best constant pin anywhere), then the highest geometric mean.
 * The last line is one JSON object with the best setting.
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
        rates: sweepGrid.rates,
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
/** The best constant pin's mean job time at each (point, rate), in the order of the ratios. */
const bestPins = points.flatMap((point) =>
  runSimulationSweep({ ...point.options, policies: pins }).rows.map((row) => {
    const best = Math.min(...row.policies.map((result) => result.meanJobMs));
    console.log(
      `best constant pin at ${point.mix} ${point.utilisation} ${row.arrivalsPerSecond}/s: ${(best / 1000).toFixed(0)} s`,
    );
    return best;
  }),
);
interface Candidate {
  readonly rule: ReinsRuleSettings;
  readonly sharedWeight: number;
}
const candidates: Candidate[] = [];
for (const memoryPriceMs of [400, 600, 800, 1000])
  for (const freeBelowKvUsage of [0, 0.5, 0.8, 0.9])
    candidates.push({
      rule: { memoryPriceMs, orderingBenefitMs: 0, freeBelowKvUsage, maxTtlMs: 120_000 },
      sharedWeight: 8,
    });
const scored = candidates.map((candidate) => {
  const ratios = points.flatMap((point) =>
    runSimulationSweep({
      ...point.options,
      policies: ['reins'],
      reinsRule: candidate.rule,
      reinsSharedWeight: candidate.sharedWeight,
    }).rows.map((row) => row.policies[0]?.meanJobMs ?? Number.NaN),
  );
  const overReins = ratios.map((reins, index) => (bestPins[index] as number) / reins);
  const worst = Math.min(...overReins);
  const geometric = Math.exp(
    overReins.reduce((sum, ratio) => sum + Math.log(ratio), 0) / overReins.length,
  );
  console.log(
    JSON.stringify(candidate),
    overReins.map((ratio) => ratio.toFixed(3)).join(' '),
    `worst ${worst.toFixed(3)} geometric ${geometric.toFixed(3)}`,
  );
  return { ...candidate, bestConstantPinOverReins: overReins, worst, geometric };
});
const best = scored.reduce((a, b) =>
  b.worst > a.worst || (b.worst === a.worst && b.geometric > a.geometric) ? b : a,
);
console.log(JSON.stringify({ bench: 'serving-sim-tune', seeds, best }));
