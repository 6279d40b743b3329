import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createClairvoyantPinPolicy } from './clairvoyant-pin-policy.js';
import { createConstantPinPolicy } from './constant-pin-policy.js';
import { createLruPolicy } from './lru-policy.js';
import { clairvoyantPinSeconds, createOracleCandidates, toOracleResult } from './oracle.js';
import { runSimulationSweep } from './run-simulation-sweep.js';
import type { ServerParameters } from './server-parameters.js';
import { simulate } from './simulate.js';
import type { Program, ProgramTemplate } from './workload.js';

// a step costs 10 ms plus 1 ms per prefill token; 250 tokens hold one program's cache at a time
const server: ServerParameters = {
  capacityTokens: 250,
  maxBatchTokens: 1000,
  maxRunningRequests: 16,
  stepBaseMs: 10,
  prefillMsPerToken: 1,
  decodeMsPerRequest: 0,
  decodeMsPerContextToken: 0,
};
const pausingFor = (pauseMs: number): Program => ({
  id: 'A',
  arrivalMs: 0,
  turns: [
    { promptTokens: 100, outputTokens: 3, pauseMs },
    { promptTokens: 200, outputTokens: 2, pauseMs: 0 },
  ],
});
// arrives while A pauses and needs 201 tokens: it fits only if A's cache goes
const newcomer: Program = {
  id: 'B',
  arrivalMs: 140,
  turns: [{ promptTokens: 200, outputTokens: 1, pauseMs: 0 }],
};

describe('clairvoyant pins, on hand-computed cases', () => {
  it('pins exactly the true pause plus the margin when it is short enough', () => {
    const policy = createClairvoyantPinPolicy({ maxPauseMs: 60_000 });
    expect(policy.name).toBe('clairvoyant60');
    const result = simulate({ programs: [pausingFor(50), newcomer], policy, server });
    // A's first call ends at 130 (prefill 110, two decode steps); pinned until 130 + 50 + 100.
    // A returns at 180 and hits its 103 tokens: 180 + 107 + 10 = 297. B waits: 297 + 210 = 507.
    expect(result.jobMs).toEqual([297, 367]);
    expect(result).toMatchObject({ pins: 1, recomputedPrefillTokens: 0 });
  });

  it('does not pin a longer pause, where a constant pin holds memory for nothing', () => {
    const programs = [pausingFor(500), newcomer];
    const clairvoyant = simulate({
      programs,
      policy: createClairvoyantPinPolicy({ maxPauseMs: 200 }),
      server,
    });
    const constant = simulate({ programs, policy: createConstantPinPolicy(300), server });
    // clairvoyant: no pin; B evicts A at 140 and is done at 350. A returns at 630 and
    // recomputes: 630 + 210 + 10 = 850.
    expect(clairvoyant.jobMs).toEqual([850, 210]);
    expect(clairvoyant.pins).toBe(0);
    // constant: A is pinned until 430, B waits for it: 430 + 210 = 640. A returns at 630,
    // while B runs, and recomputes after it: 640 + 210 + 10 = 860.
    expect(constant.jobMs).toEqual([860, 500]);
    expect(constant.pins).toBe(1);
  });

  it('never pins after a last step, and rejects a bad bound naming it', () => {
    const policy = createClairvoyantPinPolicy();
    expect(policy.name).toBe('clairvoyantAll');
    const context = {
      program: pausingFor(90_000),
      contextTokens: 103,
      nowMs: 0,
      pressure: { kvUsage: 1, waitingRequests: 3, runningRequests: 1 },
    };
    expect(policy.pin?.({ ...context, turnIndex: 0, isLastStep: false })).toEqual({
      pin: true,
      ttlMs: 90_100,
    });
    expect(policy.pin?.({ ...context, turnIndex: 1, isLastStep: true }).pin).toBe(false);
    expect(() => createClairvoyantPinPolicy({ maxPauseMs: 0 })).toThrow(/maxPauseMs.*got 0/);
    expect(() => createClairvoyantPinPolicy({ marginMs: -1 })).toThrow(InvalidOptionsError);
  });
});

describe('the oracle', () => {
  it('takes the candidate with the lowest mean job time on the workload', () => {
    const programs = [pausingFor(500), newcomer];
    const results = [
      createConstantPinPolicy(300), // mean (860 + 500) / 2 = 680
      createClairvoyantPinPolicy({ maxPauseMs: 200 }), // mean (850 + 210) / 2 = 530
      createLruPolicy(), // the same as not pinning: 530, but not strictly better
    ].map((policy) => simulate({ programs, policy, server }));
    const oracle = toOracleResult(results);
    expect(oracle).toMatchObject({ policy: 'oracle', chosen: 'clairvoyant0.2', meanJobMs: 530 });
    expect(oracle.jobMs).toEqual([850, 210]);
    expect(() => toOracleResult([])).toThrow(InvalidOptionsError);
    const other = simulate({ programs: [newcomer], policy: createLruPolicy(), server });
    expect(() => toOracleResult([results[0], other].flatMap((r) => (r ? [r] : [])))).toThrow(
      /one workload/,
    );
  });

  it('has clairvoyant pins up to every bound, and Reins’ rule with true pauses', () => {
    expect(createOracleCandidates().map((policy) => policy.name)).toEqual([
      ...clairvoyantPinSeconds.map((seconds) =>
        Number.isFinite(seconds) ? `clairvoyant${seconds}` : 'clairvoyantAll',
      ),
      'clairvoyantRule',
    ]);
  });

  it('in a sweep, is never worse than LRU or any constant pin on any seed', () => {
    const templates: ProgramTemplate[] = [
      {
        id: 'a',
        turns: [
          { promptTokens: 400, outputTokens: 20, pauseMs: 1500, toolKey: 'bash:ls' },
          { promptTokens: 900, outputTokens: 20, pauseMs: 40_000, toolKey: 'bash:pytest' },
          { promptTokens: 1400, outputTokens: 10, pauseMs: 0 },
        ],
      },
      {
        id: 'b',
        turns: [
          { promptTokens: 600, outputTokens: 30, pauseMs: 7000, toolKey: 'bash:cat' },
          { promptTokens: 1200, outputTokens: 10, pauseMs: 0 },
        ],
      },
    ];
    const options = {
      templates,
      rates: [0.5],
      programs: 12,
      seeds: [1, 2, 3],
      server: { ...server, capacityTokens: 3000, decodeMsPerRequest: 1 },
    };
    const full = runSimulationSweep(options).rows[0]?.policies ?? [];
    const oracle = full.find((result) => result.policy === 'oracle');
    const others = full.filter(
      (result) => result.policy === 'lru' || result.policy.startsWith('pin'),
    );
    expect(others).toHaveLength(7);
    for (const [index, value] of (oracle?.meanJobMsBySeed ?? []).entries()) {
      for (const other of others)
        expect(value).toBeLessThanOrEqual(other.meanJobMsBySeed[index] as number);
    }
    expect(oracle?.chosenBySeed).toHaveLength(3);
    // alone, it simulates the candidates it needs itself, to the same figures
    const alone = runSimulationSweep({ ...options, policies: ['oracle'] }).rows[0]?.policies[0];
    expect(alone?.meanJobMsBySeed).toEqual(oracle?.meanJobMsBySeed);
    expect(alone?.chosenBySeed).toEqual(oracle?.chosenBySeed);
  });
});
