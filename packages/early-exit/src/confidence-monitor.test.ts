import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { filler, sureToken, unsureToken } from '../test/reasoning-traces.js';
import { createConfidenceExit, createConfidenceMonitor } from './confidence-monitor.js';
import { createLogisticProbe } from './logistic-probe.js';

/** A probe on the window's mean log-probability alone: p = σ(12·mean + 3). */
const probe = createLogisticProbe({ weights: [12, 0, 0, 0, 0, 0, 0], bias: 3 });

/** 30 sure tokens, then the cue "Hmm" ended by a full stop: 32 tokens, one cue. */
const sureThenCue = [...filler(30, sureToken), sureToken(' Hmm'), sureToken('.')];

/** By hand: every window token has probability 0.95, so p = σ(12·ln 0.95 + 3) = 0.915636. */
const sureProbability = 1 / (1 + Math.exp(-(12 * Math.log(0.95) + 3)));

function push(monitor: ReturnType<typeof createConfidenceMonitor>, tokens = sureThenCue) {
  return tokens.map((token) => monitor.push(token)).filter((decision) => decision !== undefined);
}

describe('createConfidenceMonitor', () => {
  it('reports the cue, p, q, tokens and cues seen, and says so in its message', () => {
    const [decision] = push(createConfidenceMonitor({ probe, threshold: 0.2, window: 16 }));
    expect(decision?.rule).toBe('confidence');
    expect(decision?.evidence).toEqual({
      cue: 'hmm',
      probability: expect.closeTo(0.915636, 5),
      threshold: 0.2,
      tokens: 32,
      cues: 1,
    });
    expect(decision?.message).toBe(
      "At cue 'hmm' the probe gives p = 0.916; with q = 0.200 the prediction set is {correct}.",
    );
    expect(sureProbability).toBeCloseTo(0.915636, 5);
  });

  it('exits no earlier than minTokens: at a cue on token 32, minTokens 32 exits, 33 does not', () => {
    expect(push(createConfidenceMonitor({ probe, threshold: 0.2, minTokens: 32 }))).toHaveLength(1);
    expect(push(createConfidenceMonitor({ probe, threshold: 0.2, minTokens: 33 }))).toEqual([]);
  });

  it('asks the probe only at the cues it is given', () => {
    const custom = createConfidenceMonitor({ probe, threshold: 0.2, cues: ['so far'] });
    expect(push(custom)).toEqual([]);
    expect(custom.cues).toBe(0);
    expect(custom.lastProbability).toBeNaN();
    const tokens = [...filler(30, sureToken), sureToken(' So'), sureToken(' far'), sureToken(',')];
    const [decision] = push(custom, tokens);
    expect(decision?.evidence.cue).toBe('so far');
    expect(custom.cues).toBe(1);
  });

  it('forgets everything on reset: cues, tokens, the window and the last probability', () => {
    const monitor = createConfidenceMonitor({ probe, threshold: 0.2, window: 16 });
    // An unsure window first: p = σ(12·ln 0.2 + 3) ≈ 0 at its cue, no exit.
    const unsure = [...filler(20, unsureToken), unsureToken(' Wait'), unsureToken(',')];
    expect(push(monitor, unsure)).toEqual([]);
    expect(monitor.cues).toBe(1);
    expect(monitor.lastProbability).toBeCloseTo(1 / (1 + Math.exp(-(12 * Math.log(0.2) + 3))), 6);
    monitor.reset();
    expect(monitor.cues).toBe(0);
    expect(monitor.lastProbability).toBeNaN();
    // As if new: the same decision, counting tokens and cues from zero.
    const [decision] = push(monitor);
    expect(decision?.evidence).toMatchObject({ tokens: 32, cues: 1 });
  });

  it('accepts q = 0 (no exit can pass it) and refuses a negative q, naming the field', () => {
    const strict = createConfidenceMonitor({ probe, threshold: 0 });
    expect(push(strict)).toEqual([]);
    let error: unknown;
    try {
      createConfidenceMonitor({ probe, threshold: -0.1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).field).toBe('threshold');
    expect((error as Error).message).toContain('received -0.1');
  });
});

describe('createConfidenceExit', () => {
  it('is named confidence, checks its options at once, and decides like the monitor', async () => {
    expect(() => createConfidenceExit({ probe, threshold: Number.NaN })).toThrow(
      InvalidOptionsError,
    );
    const exit = createConfidenceExit({ probe, threshold: 0.2 });
    expect(exit.name).toBe('confidence');
    const watcher = exit.start({
      signal: new AbortController().signal,
      reasoning: () => '',
      trialAnswer: async () => ({ answer: '', confidence: 0, tokens: 0 }),
      emit: () => undefined,
      callId: 'call-1',
      now: () => 0,
    });
    const decisions = await Promise.all(
      sureThenCue.map((token, index) => watcher.push(token, index)),
    );
    expect(decisions.findIndex((decision) => decision !== undefined)).toBe(31);
  });
});
