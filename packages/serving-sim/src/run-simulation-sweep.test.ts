import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createContinuumPolicy } from './continuum-policy.js';
import { createWorkload } from './create-workload.js';
import { createLruPolicy } from './lru-policy.js';
import { runSimulationSweep } from './run-simulation-sweep.js';
import type { ServerParameters } from './server-parameters.js';
import { simulate } from './simulate.js';
import type { ProgramTemplate } from './workload.js';

// a small server, so that a few programs contend for the cache
const server: ServerParameters = {
  capacityTokens: 3000,
  maxBatchTokens: 1000,
  maxRunningRequests: 8,
  stepBaseMs: 10,
  prefillMsPerToken: 1,
  decodeMsPerRequest: 1,
  decodeMsPerContextToken: 0,
};
const templates: ProgramTemplate[] = [
  {
    id: 'a',
    turns: [
      { promptTokens: 400, outputTokens: 20, pauseMs: 1500, toolKey: 'bash:ls' },
      { promptTokens: 900, outputTokens: 20, pauseMs: 8000, toolKey: 'bash:pytest' },
      { promptTokens: 1400, outputTokens: 10, pauseMs: 0 },
    ],
  },
  {
    id: 'b',
    turns: [
      { promptTokens: 600, outputTokens: 30, pauseMs: 500, toolKey: 'bash:cat' },
      { promptTokens: 1200, outputTokens: 10, pauseMs: 0 },
    ],
  },
];

describe('runSimulationSweep', () => {
  it('reports, per rate and policy, the mean over seeds of what simulate measures', () => {
    const progress: number[] = [];
    const sweep = runSimulationSweep({
      templates,
      rates: [0.5, 4],
      programs: 6,
      seeds: [1, 2],
      policies: ['lru', 'continuum'],
      server,
      onProgress: ({ done, total }) => progress.push(done / total),
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((done) => done / 8));
    expect(sweep.rows.map((row) => row.arrivalsPerSecond)).toEqual([0.5, 4]);
    for (const row of sweep.rows) {
      const direct = [1, 2].map((seed) => {
        const programs = createWorkload({
          templates,
          programs: 6,
          arrivalsPerSecond: row.arrivalsPerSecond,
          seed,
        });
        return {
          lru: simulate({ programs, policy: createLruPolicy(), server }),
          continuum: simulate({ programs, policy: createContinuumPolicy(), server }),
        };
      });
      const [lru, continuum] = row.policies;
      expect(lru?.policy).toBe('lru');
      expect(lru?.meanJobMsBySeed).toEqual(direct.map((seed) => seed.lru.meanJobMs));
      expect(lru?.meanJobMs).toBeCloseTo(
        (direct[0]?.lru.meanJobMs ?? Number.NaN) / 2 + (direct[1]?.lru.meanJobMs ?? 0) / 2,
      );
      expect(lru?.recomputedPrefillTokens).toBeCloseTo(
        ((direct[0]?.lru.recomputedPrefillTokens ?? Number.NaN) +
          (direct[1]?.lru.recomputedPrefillTokens ?? 0)) /
          2,
      );
      expect(continuum?.policy).toBe('continuum');
      expect(continuum?.cacheHitRate).toBeCloseTo(
        ((direct[0]?.continuum.cacheHitRate ?? Number.NaN) +
          (direct[1]?.continuum.cacheHitRate ?? 0)) /
          2,
      );
      expect(continuum?.p95JobMs).toBeCloseTo(
        ((direct[0]?.continuum.p95JobMs ?? Number.NaN) + (direct[1]?.continuum.p95JobMs ?? 0)) / 2,
      );
    }
  });

  it('runs every policy by default, the predicting ones seeded with the given durations', () => {
    const sweep = runSimulationSweep({
      templates,
      predictorSamples: [{ key: 'bash:ls', durationMs: 1500 }],
      rates: [1],
      programs: 3,
      server,
    });
    expect(sweep.policies).toEqual([
      'lru',
      'continuum',
      'continuumPaper',
      'pin2',
      'pin5',
      'pin10',
      'pin30',
      'pin60',
      'pin120',
      'oracle',
      'reins',
    ]);
    expect(sweep.rows[0]?.policies.map((result) => result.policy)).toEqual(sweep.policies);
    expect(sweep.seeds).toEqual([1]);
  });

  it('rejects bad rates, counts and policy names, naming the value', () => {
    expect(() => runSimulationSweep({ templates, rates: [0.1, 0], programs: 3 })).toThrow(
      /got \[0\.1, 0\]/,
    );
    expect(() => runSimulationSweep({ templates, rates: [], programs: 3 })).toThrow(
      InvalidOptionsError,
    );
    expect(() => runSimulationSweep({ templates, rates: [1], programs: 0 })).toThrow(/got 0/);
    expect(() =>
      runSimulationSweep({
        templates,
        rates: [1],
        programs: 1,
        policies: ['sglang' as 'continuum'],
      }),
    ).toThrow(
      /unknown names: sglang\. Valid policies: lru, continuum, continuumPaper, pin2, .*, oracle, reins/,
    );
  });
});
