import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLruPolicy } from './lru-policy.js';
import type { ServerParameters } from './server-parameters.js';
import type { ServingPolicy } from './serving-policy.js';
import { simulate } from './simulate.js';
import type { Program } from './workload.js';

// a step costs 10 ms plus 1 ms per prefill token; decode is free beyond the step
const server: ServerParameters = {
  capacityTokens: 10_000,
  maxBatchTokens: 1000,
  maxRunningRequests: 16,
  stepBaseMs: 10,
  prefillMsPerToken: 1,
  decodeMsPerRequest: 0,
  decodeMsPerContextToken: 0,
};
const programA: Program = {
  id: 'A',
  arrivalMs: 0,
  turns: [
    { promptTokens: 100, outputTokens: 3, pauseMs: 50 },
    { promptTokens: 200, outputTokens: 2, pauseMs: 0 },
  ],
};
const programB: Program = {
  id: 'B',
  arrivalMs: 140,
  turns: [{ promptTokens: 200, outputTokens: 1, pauseMs: 0 }],
};
const pinFor = (ttlMs: number): ServingPolicy => ({
  name: 'pin',
  scheduling: 'program-fcfs',
  pin: ({ isLastStep }) => ({ pin: !isLastStep, ttlMs }),
});

describe('simulate on hand-computed cases', () => {
  it('one program: prefill, decode, pause, then a cache hit on the second call', () => {
    const result = simulate({ programs: [programA], policy: createLruPolicy(), server });
    // turn 1: prefill 100 (110 ms, first token), 2 decode steps → 130; pause 50 → 180
    // turn 2: 103 tokens cached, prefill 97 (107 ms) → 287, one decode step → 297
    expect(result.jobMs).toEqual([297]);
    expect(result).toMatchObject({
      promptTokens: 300,
      cachedPromptTokens: 103,
      prefillTokens: 197,
      recomputedPrefillTokens: 0,
      evictions: 0,
      preemptions: 0,
      steps: 5,
    });
  });

  it('LRU: a newcomer evicts the paused program, which then recomputes its history', () => {
    const small = { ...server, capacityTokens: 250 };
    const result = simulate({
      programs: [programA, programB],
      policy: createLruPolicy(),
      server: small,
    });
    // B arrives at 140 and needs 201 tokens; A idles with 103 → evicted. B: 140 + 210 = 350.
    // A returns at 180, waits for B, then prefills all 200 tokens: 350 + 210 + 10 = 570.
    expect(result.jobMs).toEqual([570, 210]);
    expect(result).toMatchObject({ evictions: 1, recomputedPrefillTokens: 103, pins: 0 });
    expect(result.meanJobMs).toBe(390);
  });

  it('a pin keeps the paused cache; program-level FCFS serves the older program first', () => {
    const small = { ...server, capacityTokens: 250 };
    const result = simulate({ programs: [programA, programB], policy: pinFor(100), server: small });
    // A is pinned until 230: B cannot fit and waits. A returns at 180 and hits 103 tokens:
    // 180 + 107 + 10 = 297. B then runs: 297 + 210 = 507, a job time of 367.
    expect(result.jobMs).toEqual([297, 367]);
    expect(result).toMatchObject({ evictions: 0, recomputedPrefillTokens: 0, pins: 1 });
    expect(result.meanJobMs).toBe(332);
  });

  it('a pin that expires before the program returns does not help', () => {
    const small = { ...server, capacityTokens: 250 };
    // pinned until 140: B evicts A at its arrival, as with no pin
    const result = simulate({ programs: [programA, programB], policy: pinFor(10), server: small });
    expect(result.jobMs).toEqual([570, 210]);
  });
});

// histories grow: each call's prompt is the previous prompt and output plus new tokens
const programArbitrary = fc
  .record({
    arrivalMs: fc.integer({ min: 0, max: 5_000 }),
    calls: fc.array(
      fc.record({
        newTokens: fc.integer({ min: 1, max: 800 }),
        outputTokens: fc.integer({ min: 1, max: 50 }),
        pauseMs: fc.integer({ min: 0, max: 2_000 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map(({ arrivalMs, calls }) => {
    let prompt = 0;
    const turns = calls.map((call) => {
      prompt += call.newTokens;
      const turn = { promptTokens: prompt, outputTokens: call.outputTokens, pauseMs: call.pauseMs };
      prompt += call.outputTokens;
      return turn;
    });
    return { arrivalMs, turns };
  });

describe('simulate invariants (property)', () => {
  it('finishes every program, never exceeds capacity, and accounts for every prompt token', () => {
    fc.assert(
      fc.property(
        fc.array(programArbitrary, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 6_000, max: 20_000 }),
        fc.constantFrom('lru', 'pin-short', 'pin-long'),
        (shapes, capacityTokens, which) => {
          const programs: Program[] = shapes.map((shape, index) => ({ id: `p${index}`, ...shape }));
          const policy =
            which === 'lru' ? createLruPolicy() : pinFor(which === 'pin-short' ? 100 : 5_000);
          const result = simulate({
            programs,
            policy,
            server: { ...server, capacityTokens, maxBatchTokens: 512 },
          });
          expect(result.peakKvTokens).toBeLessThanOrEqual(capacityTokens);
          expect(result.cachedPromptTokens).toBeLessThanOrEqual(result.promptTokens);
          const prompts = programs.reduce(
            (sum, program) => sum + program.turns.reduce((s, turn) => s + turn.promptTokens, 0),
            0,
          );
          if (result.preemptions === 0) {
            expect(result.promptTokens).toBe(prompts);
            expect(result.prefillTokens).toBe(result.promptTokens - result.cachedPromptTokens);
          } else {
            expect(result.prefillTokens).toBeLessThanOrEqual(
              result.promptTokens - result.cachedPromptTokens,
            );
          }
          programs.forEach((program, index) => {
            const job = result.jobMs[index] as number;
            const pauses = program.turns.slice(0, -1).reduce((sum, turn) => sum + turn.pauseMs, 0);
            // each call takes at least one step per output token
            const floor = program.turns.reduce((sum, turn) => sum + turn.outputTokens * 10, 0);
            expect(job).toBeGreaterThanOrEqual(pauses + floor);
            expect(Number.isFinite(job)).toBe(true);
          });
          // deterministic: the same input gives the same result
          expect(
            simulate({
              programs,
              policy:
                which === 'lru' ? createLruPolicy() : pinFor(which === 'pin-short' ? 100 : 5_000),
              server: { ...server, capacityTokens, maxBatchTokens: 512 },
            }).jobMs,
          ).toEqual(result.jobMs);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('with room for everything, pins change nothing and nothing is recomputed', () => {
    fc.assert(
      fc.property(fc.array(programArbitrary, { minLength: 1, maxLength: 6 }), (shapes) => {
        const programs: Program[] = shapes.map((shape, index) => ({ id: `p${index}`, ...shape }));
        const roomy = { ...server, capacityTokens: 1_000_000, maxBatchTokens: 1_000_000 };
        const lru = simulate({ programs, policy: createLruPolicy(), server: roomy });
        const pinned = simulate({
          programs,
          policy: { ...pinFor(1_000), scheduling: 'fcfs' },
          server: roomy,
        });
        expect(lru.recomputedPrefillTokens).toBe(0);
        expect(lru.evictions).toBe(0);
        expect(pinned.jobMs).toEqual(lru.jobMs);
      }),
      { numRuns: 100 },
    );
  });
});

describe('simulate input checks', () => {
  it('refuses a call that can never fit, naming the program, the turn and the fix', () => {
    expect(() =>
      simulate({
        programs: [programA],
        policy: createLruPolicy(),
        server: { ...server, capacityTokens: 150 },
      }),
    ).toThrow(/Program 'A' turn 2 needs 203 KV tokens; the server holds 150/);
  });
});

describe('simulate: memory in blocks, attention cost, pressure, pins against others', () => {
  it('holds whole blocks and finds a prefix only in whole blocks', () => {
    const blocks = { ...server, blockTokens: 16 };
    const result = simulate({ programs: [programA], policy: createLruPolicy(), server: blocks });
    // turn 1 leaves 103 tokens: 6 full blocks (96 tokens) are found by turn 2
    expect(result.cachedPromptTokens).toBe(96);
    expect(result.prefillTokens).toBe(100 + 104);
    // 201 tokens of turn 2 (prompt and first output) take 13 blocks
    expect(result.peakKvTokens).toBe(208);
    // two programs that fit token by token do not fit in blocks
    const c: Program = {
      id: 'C',
      arrivalMs: 0,
      turns: [{ promptTokens: 100, outputTokens: 1, pauseMs: 0 }],
    };
    const d: Program = { ...c, id: 'D' };
    const tight = { ...server, capacityTokens: 208, maxBatchTokens: 1000 };
    expect(simulate({ programs: [c, d], policy: createLruPolicy(), server: tight }).jobMs).toEqual([
      210, 210,
    ]);
    const tightBlocks = { ...tight, blockTokens: 16 };
    // 101 tokens take 112: the second waits for the first
    expect(
      simulate({ programs: [c, d], policy: createLruPolicy(), server: tightBlocks }).jobMs,
    ).toEqual([110, 220]);
  });

  it('charges prefill attention over the context before each token', () => {
    const program: Program = {
      id: 'P',
      arrivalMs: 0,
      turns: [{ promptTokens: 100, outputTokens: 1, pauseMs: 0 }],
    };
    const result = simulate({
      programs: [program],
      policy: createLruPolicy(),
      server: { ...server, prefillMsPerTokenPerContextToken: 0.01 },
    });
    // 10 + 100 × 1 + 100 × 49.5 × 0.01
    expect(result.jobMs[0]).toBeCloseTo(159.5, 9);
  });

  it('tells the policy the server pressure when a response completes', () => {
    const seen: { kvUsage: number; waitingRequests: number }[] = [];
    const policy: ServingPolicy = {
      name: 'watch',
      scheduling: 'fcfs',
      pin: ({ pressure }) => {
        seen.push({ kvUsage: pressure.kvUsage, waitingRequests: pressure.waitingRequests });
        return { pin: false, ttlMs: 0 };
      },
    };
    const b: Program = { ...programB, arrivalMs: 20 };
    simulate({ programs: [programA, b], policy, server: { ...server, capacityTokens: 250 } });
    // A's first response while B (201 tokens) cannot fit and waits; A's own 103 tokens are
    // free blocks once its request finished, as vLLM counts them
    expect(seen[0]).toEqual({ kvUsage: 0, waitingRequests: 1 });
  });

  it('counts pinned caches as used and idle unpinned ones as free, as vLLM reports usage', () => {
    const [first, second] = programA.turns as [Program['turns'][0], Program['turns'][0]];
    const a: Program = { ...programA, turns: [{ ...first, pauseMs: 1000 }, second] };
    const c: Program = { ...programB, id: 'C', turns: [{ ...first, outputTokens: 1, pauseMs: 0 }] };
    const usageSeenByC = (pinAForMs: number): number | undefined => {
      let usage: number | undefined;
      simulate({
        programs: [a, c],
        server,
        policy: {
          name: 'watch',
          scheduling: 'fcfs',
          pin: ({ program, pressure, isLastStep }) => {
            if (program.id === 'C') usage = pressure.kvUsage;
            return { pin: program.id === 'A' && !isLastStep, ttlMs: pinAForMs };
          },
        },
      });
      return usage;
    };
    // C responds (at 260 ms) while A is paused (130 to 1130 ms) holding 103 tokens
    expect(usageSeenByC(5000)).toBe(103 / 10_000);
    expect(usageSeenByC(0)).toBe(0);
    // a pin that expired (at 180 ms) leaves an evictable cache
    expect(usageSeenByC(50)).toBe(0);
  });

  it('a pinned cache makes a running program be preempted when its decode outgrows memory', () => {
    const a: Program = {
      id: 'A',
      arrivalMs: 0,
      turns: [
        { promptTokens: 100, outputTokens: 2, pauseMs: 400 },
        { promptTokens: 110, outputTokens: 1, pauseMs: 0 },
      ],
    };
    const c: Program = {
      id: 'C',
      arrivalMs: 150,
      turns: [{ promptTokens: 100, outputTokens: 30, pauseMs: 0 }],
    };
    const small = { ...server, capacityTokens: 220 };
    const lru = simulate({ programs: [a, c], policy: createLruPolicy(), server: small });
    const pinned = simulate({ programs: [a, c], policy: pinFor(10_000), server: small });
    expect(lru.preemptions).toBe(0);
    expect(lru.evictions).toBe(1);
    expect(pinned.preemptions).toBeGreaterThan(0);
    expect(pinned.jobMs[1] as number).toBeGreaterThan(lru.jobMs[1] as number);
  });
});
