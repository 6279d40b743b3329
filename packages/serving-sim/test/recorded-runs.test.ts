import { createToolDurationPredictor } from '@reins/controller';
import { describe, expect, it } from 'vitest';
import { compareHostedCacheTtl } from '../src/compare-hosted-cache-ttl.js';
import { createContinuumPolicy } from '../src/continuum-policy.js';
import { createWorkload } from '../src/create-workload.js';
import { createLruPolicy } from '../src/lru-policy.js';
import { createReinsHintsPolicy } from '../src/reins-hints-policy.js';
import { llama8bOnOneH100Configuration, toServerParameters } from '../src/serving-configuration.js';
import { simulate } from '../src/simulate.js';
import { loadRecordedWorkload, toHostedRuns } from './recorded-workload.js';

const workload = await loadRecordedWorkload();

describe('workloads from the recorded mini-swe-agent runs', () => {
  it('builds a template per timed run, with growing prompts, pauses and shell tool keys', () => {
    expect(workload.templates.length + workload.seedTemplates.length).toBeGreaterThan(250);
    const turns = workload.templates.flatMap((template) => template.turns);
    expect(turns.every((turn) => turn.pauseMs >= 0 && turn.promptTokens <= 131_072)).toBe(true);
    const keys = new Set(turns.map((turn) => turn.toolKey));
    expect(keys.has('bash:sed')).toBe(true);
    expect(keys.has('bash:grep')).toBe(true);
    // the last call of each program has no pause
    for (const template of workload.templates) expect(template.turns.at(-1)?.pauseMs).toBe(0);
  });

  it('seeded on one half, the predictor tells slow tools from fast ones on the other', () => {
    const predictor = createToolDurationPredictor({ minSamples: 30 });
    predictor.seed(workload.seedSamples);
    const grep = predictor.distribution('bash:grep');
    const pytest = predictor.distribution('bash:pytest');
    expect(grep.source).toBe('tool');
    expect(pytest.source).toBe('tool');
    expect(pytest.quantile(0.5)).toBeGreaterThan(grep.quantile(0.5));
  });

  it('under load on half an H100, Reins hints recompute fewer prefill tokens than LRU and Continuum', () => {
    const server = toServerParameters({
      ...llama8bOnOneH100Configuration,
      engine: { ...llama8bOnOneH100Configuration.engine, gpuMemoryUtilization: 0.5 },
    });
    const programs = createWorkload({
      templates: workload.templates,
      programs: 30,
      arrivalsPerSecond: 0.2,
      seed: 5,
    });
    const seedSamples = workload.seedSamples;
    const lru = simulate({ programs, policy: createLruPolicy(), server });
    const continuum = simulate({
      programs,
      policy: createContinuumPolicy({ seedSamples }),
      server,
    });
    const reins = simulate({
      programs,
      policy: createReinsHintsPolicy({
        server,
        seedSamples,
        pastTurnCounts: workload.seedTemplates.map((template) => template.turns.length),
      }),
      server,
    });
    expect(lru.evictions).toBeGreaterThan(0);
    expect(reins.recomputedPrefillTokens).toBeLessThan(lru.recomputedPrefillTokens);
    expect(reins.recomputedPrefillTokens).toBeLessThan(continuum.recomputedPrefillTokens);
    expect(reins.cacheHitRate).toBeGreaterThan(lru.cacheHitRate);
  });
});

describe('compareHostedCacheTtl', () => {
  it('prices a hand-computed run: a 10-minute gap breaks the 5-minute cache only', () => {
    const runs = [
      [
        { promptTokens: 1_000, gapMs: 600_000 },
        { promptTokens: 1_100, gapMs: 0 },
      ],
    ];
    const result = compareHostedCacheTtl({ runs, prices: { inputUsdPerMTok: 1 } });
    // 5m: 1000 × 1.25 + 1100 × 1.25 = 2625 µ$; 1h: 1000 × 2 + 1000 × 0.1 + 100 × 2 = 2300 µ$
    expect(result.always5mUsd).toBeCloseTo(0.002625, 12);
    expect(result.always1hUsd).toBeCloseTo(0.0023, 12);
    expect(result.hits).toMatchObject({ always5m: 0, always1h: 1 });
  });

  it('on the recorded gaps, Reins costs no more than the cheaper fixed TTL', () => {
    const runs = toHostedRuns(workload.trajectories);
    const result = compareHostedCacheTtl({ runs, prices: { inputUsdPerMTok: 3 } });
    expect(result.requests).toBeGreaterThan(10_000);
    expect(result.reinsUsd).toBeLessThanOrEqual(
      Math.min(result.always5mUsd, result.always1hUsd) * 1.001,
    );
  });
});
