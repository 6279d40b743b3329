import type { ToolDurationSample } from '@reins/controller';
import { InvalidOptionsError } from '@reins/core';
import { createConstantPinPolicy } from './constant-pin-policy.js';
import { createContinuumPaperPolicy } from './continuum-paper-policy.js';
import { createContinuumPolicy } from './continuum-policy.js';
import { createWorkload } from './create-workload.js';
import { createLruPolicy } from './lru-policy.js';
import { createOracleCandidates, type OracleResult, toOracleResult } from './oracle.js';
import { createReinsHintsPolicy, type ReinsRuleSettings } from './reins-hints-policy.js';
import type { ServerParameters } from './server-parameters.js';
import type { ServingPolicy } from './serving-policy.js';
import { type SimulationResult, simulate } from './simulate.js';
import type { ProgramTemplate } from './workload.js';

/** The constant pins a sweep compares, in seconds. */
export const constantPinSeconds = [2, 5, 10, 30, 60, 120] as const;

/** The policies a sweep can compare, by their `ServingPolicy.name`. */
export type SweepPolicyName =
  | 'lru'
  | 'continuum'
  | 'continuumPaper'
  | `pin${(typeof constantPinSeconds)[number]}`
  | 'oracle'
  | 'reins';

/** Every policy a sweep compares by default, in table order. */
export const sweepPolicyNames: readonly SweepPolicyName[] = [
  'lru',
  'continuum',
  'continuumPaper',
  ...constantPinSeconds.map((seconds) => `pin${seconds}` as const),
  'oracle',
  'reins',
];

/** Options of {@link runSimulationSweep}. */
export interface SimulationSweepOptions {
  /** Program shapes to draw the workload from (see `splitRecordedRuns`). */
  readonly templates: readonly ProgramTemplate[];
  /**
   * Tool durations seen before the simulated run: every predicting policy (Continuum's two
   * rules and Reins) starts from them, afresh in each simulation. @defaultValue none
   */
  readonly predictorSamples?: readonly ToolDurationSample[];
  /** Calls per run of the same past runs, for Reins' remaining-turn estimate. @defaultValue none */
  readonly pastTurnCounts?: readonly number[];
  /**
   * Settings of Reins' rule, shared by the oracle's `clairvoyantRule` candidate.
   * @defaultValue the rule's defaults
   */
  readonly reinsRule?: ReinsRuleSettings;
  /**
   * Weight of every program's durations against the program's own in Reins' predictor.
   * @defaultValue the advisor's default, 2
   */
  readonly reinsSharedWeight?: number;
  /** Mean program arrivals per second, one simulation per rate, seed and policy. */
  readonly rates: readonly number[];
  /** Programs per simulation. */
  readonly programs: number;
  /** Workload seeds; the figures are means over them. @defaultValue `[1]` */
  readonly seeds?: readonly number[];
  /** @defaultValue every policy in {@link sweepPolicyNames} */
  readonly policies?: readonly SweepPolicyName[];
  /** @defaultValue `llama8bOnOneH100` */
  readonly server?: ServerParameters;
  /** Called after each simulation with how many of `total` are done. */
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void;
}

/** One policy's figures at one arrival rate, means over the seeds. */
export interface SweepPolicyResult {
  readonly policy: SweepPolicyName;
  /** Mean job completion time (program arrival to its last response), in milliseconds. */
  readonly meanJobMs: number;
  /** The mean job completion time of each seed, in the order of `seeds`. */
  readonly meanJobMsBySeed: readonly number[];
  /** Pins granted. */
  readonly pins: number;
  /** 95th percentile job completion time, in milliseconds. */
  readonly p95JobMs: number;
  /** Programs completed per minute of makespan. */
  readonly programsPerMinute: number;
  /** Prefill tokens computed again after the program's cache was lost. */
  readonly recomputedPrefillTokens: number;
  /** Share of admitted prompt tokens found in the cache. */
  readonly cacheHitRate: number;
  readonly preemptions: number;
  readonly evictions: number;
  /** For the oracle only: the candidate it chose on each seed's workload, in `seeds` order. */
  readonly chosenBySeed?: readonly string[];
}

/** The figures of every policy at one arrival rate. */
export interface SweepRow {
  readonly arrivalsPerSecond: number;
  /** In the order of the `policies` option. */
  readonly policies: readonly SweepPolicyResult[];
}

/** What {@link runSimulationSweep} returns. */
export interface SimulationSweep {
  readonly programs: number;
  readonly seeds: readonly number[];
  readonly policies: readonly SweepPolicyName[];
  /** One row per rate, in the order given. */
  readonly rows: readonly SweepRow[];
}

function createPolicy(
  name: Exclude<SweepPolicyName, 'oracle'>,
  options: SimulationSweepOptions,
): ServingPolicy {
  const server = options.server === undefined ? {} : { server: options.server };
  const seedSamples =
    options.predictorSamples === undefined ? {} : { seedSamples: options.predictorSamples };
  const rule = options.reinsRule === undefined ? {} : { rule: options.reinsRule };
  switch (name) {
    case 'lru':
      return createLruPolicy();
    case 'continuum':
      return createContinuumPolicy(seedSamples);
    case 'continuumPaper':
      return createContinuumPaperPolicy({ ...server, ...seedSamples });
    case 'reins':
      return createReinsHintsPolicy({
        ...server,
        ...seedSamples,
        ...rule,
        ...(options.pastTurnCounts === undefined ? {} : { pastTurnCounts: options.pastTurnCounts }),
        ...(options.reinsSharedWeight === undefined
          ? {}
          : { sharedWeight: options.reinsSharedWeight }),
      });
    default:
      return createConstantPinPolicy(Number(name.slice('pin'.length)) * 1000);
  }
}

function check(options: SimulationSweepOptions): void {
  if (options.rates.length === 0 || options.rates.some((rate) => !(rate > 0))) {
    throw new InvalidOptionsError(
      'rates',
      `rates must be one or more arrival rates > 0 per second; got [${options.rates.join(', ')}]. Pass e.g. [0.02, 0.05, 0.08].`,
    );
  }
  if (!Number.isInteger(options.programs) || options.programs < 1) {
    throw new InvalidOptionsError(
      'programs',
      `programs must be a whole number ≥ 1; got ${String(options.programs)}. Pass e.g. 100.`,
    );
  }
  const unknown = (options.policies ?? []).filter((name) => !sweepPolicyNames.includes(name));
  if (unknown.length > 0) {
    throw new InvalidOptionsError(
      'policies',
      `policies has unknown names: ${unknown.join(', ')}. Valid policies: ${sweepPolicyNames.join(', ')}.`,
    );
  }
}

function meanOf(results: readonly SimulationResult[], field: keyof SimulationResult): number {
  let sum = 0;
  for (const result of results) sum += result[field] as number;
  return sum / results.length;
}

/** The policies that need no prediction, which the oracle also takes as candidates. */
const predictionFreeNames: readonly SweepPolicyName[] = sweepPolicyNames.filter(
  (name) => name === 'lru' || name.startsWith('pin'),
);

/**
 * The oracle on one workload: the best in hindsight of its clairvoyant candidates and of LRU and
 * the constant pins (taken from `simulated` when the sweep ran them already).
 */
function simulateOracle(
  run: (policy: ServingPolicy) => SimulationResult,
  simulated: ReadonlyMap<SweepPolicyName, SimulationResult>,
  options: SimulationSweepOptions,
): OracleResult {
  const clairvoyant = createOracleCandidates({
    ...(options.server === undefined ? {} : { server: options.server }),
    ...(options.reinsRule === undefined ? {} : { rule: options.reinsRule }),
  }).map(run);
  const predictionFree = predictionFreeNames.map(
    (name) =>
      simulated.get(name) ?? run(createPolicy(name as Exclude<SweepPolicyName, 'oracle'>, options)),
  );
  return toOracleResult([...clairvoyant, ...predictionFree]);
}

/**
 * Runs the serving simulation over a sweep of arrival rates: for every rate and seed one
 * workload (Poisson arrivals drawn from the templates), simulated under each policy; each
 * policy's figures are the means over the seeds. Every predicting policy starts each
 * simulation afresh from the same `predictorSamples`. The `oracle` is, on each workload, the
 * best in hindsight of policies told every pause's true length (see `createOracleCandidates`)
 * and of LRU and the constant pins, so it is never worse than any of those.
 *
 * @param options - templates, rates, programs, seeds, policies, server, progress callback.
 * @returns one row per rate with each policy's mean and p95 job time, throughput, recomputed
 * prefill tokens and cache hit rate.
 * @throws {InvalidOptionsError} for no rates, a rate ≤ 0, fewer than one program, an unknown
 * policy, or no templates.
 * @example
 * ```ts
 * const { templates, predictorSamples } = splitRecordedRuns(trajectories);
 * const sweep = runSimulationSweep({ templates, predictorSamples, rates: [0.02, 0.08], programs: 50 });
 * sweep.rows[1]?.policies.map((result) => result.meanJobMs);
 * ```
 */
export function runSimulationSweep(options: SimulationSweepOptions): SimulationSweep {
  check(options);
  const seeds = options.seeds ?? [1];
  const policies = options.policies ?? sweepPolicyNames;
  const total = options.rates.length * seeds.length * policies.length;
  let done = 0;
  const rows: SweepRow[] = [];
  for (const rate of options.rates) {
    const results = new Map<SweepPolicyName, SimulationResult[]>(
      policies.map((name) => [name, []]),
    );
    for (const seed of seeds) {
      const programs = createWorkload({
        templates: options.templates,
        programs: options.programs,
        arrivalsPerSecond: rate,
        seed,
      });
      const run = (policy: ServingPolicy) =>
        simulate({
          programs,
          policy,
          ...(options.server === undefined ? {} : { server: options.server }),
        });
      const simulated = new Map<SweepPolicyName, SimulationResult>();
      for (const name of policies) {
        if (name === 'oracle') continue;
        simulated.set(name, run(createPolicy(name, options)));
      }
      if (policies.includes('oracle'))
        simulated.set('oracle', simulateOracle(run, simulated, options));
      for (const name of policies) {
        results.get(name)?.push(simulated.get(name) as SimulationResult);
        done++;
        options.onProgress?.({ done, total });
      }
    }
    rows.push({
      arrivalsPerSecond: rate,
      policies: policies.map((name) => {
        const list = results.get(name) ?? [];
        return {
          policy: name,
          meanJobMs: meanOf(list, 'meanJobMs'),
          meanJobMsBySeed: list.map((result) => result.meanJobMs),
          pins: meanOf(list, 'pins'),
          p95JobMs: meanOf(list, 'p95JobMs'),
          programsPerMinute: meanOf(list, 'programsPerMinute'),
          recomputedPrefillTokens: meanOf(list, 'recomputedPrefillTokens'),
          cacheHitRate: meanOf(list, 'cacheHitRate'),
          preemptions: meanOf(list, 'preemptions'),
          evictions: meanOf(list, 'evictions'),
          ...(name === 'oracle'
            ? { chosenBySeed: list.map((result) => (result as OracleResult).chosen) }
            : {}),
        };
      }),
    });
  }
  return { programs: options.programs, seeds: [...seeds], policies: [...policies], rows };
}
