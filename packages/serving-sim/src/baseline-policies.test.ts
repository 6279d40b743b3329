import type { TtlDecision } from '@reins/controller';
import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createClairvoyantRulePolicy } from './clairvoyant-rule-policy.js';
import { createConstantPinPolicy } from './constant-pin-policy.js';
import { createContinuumPaperPolicy } from './continuum-paper-policy.js';
import { createContinuumPolicy } from './continuum-policy.js';
import { createReinsHintsPolicy } from './reins-hints-policy.js';
import type { PinContext } from './serving-policy.js';
import type { Program } from './workload.js';

const program: Program = {
  id: 'p',
  arrivalMs: 0,
  turns: [
    { promptTokens: 20_000, outputTokens: 100, pauseMs: 3_000, toolKey: 'bash:pytest' },
    { promptTokens: 21_000, outputTokens: 100, pauseMs: 90_000, toolKey: 'bash:make' },
    { promptTokens: 22_000, outputTokens: 100, pauseMs: 0 },
  ],
};
const calm = { kvUsage: 0.2, waitingRequests: 0, runningRequests: 1 };
const loaded = { kvUsage: 0.99, waitingRequests: 5, runningRequests: 40 };
const contextAfter = (turnIndex: number, pressure = calm): PinContext => ({
  program,
  turnIndex,
  contextTokens: 20_100 + turnIndex * 1_000,
  isLastStep: turnIndex === program.turns.length - 1,
  nowMs: 0,
  pressure,
});

describe('baseline policies', () => {
  it('a constant pin pins every response but the last, for its TTL', () => {
    const policy = createConstantPinPolicy(30_000);
    expect(policy.name).toBe('pin30');
    expect(policy.pin?.(contextAfter(0))).toEqual({ pin: true, ttlMs: 30_000 });
    expect(policy.pin?.(contextAfter(2))).toEqual({ pin: false, ttlMs: 0 });
    expect(() => createConstantPinPolicy(0)).toThrow(InvalidOptionsError);
  });

  it('Continuum public rule starts from the seed durations every policy gets', () => {
    const fresh = createContinuumPolicy();
    const seeded = createContinuumPolicy({
      seedSamples: [{ key: 'bash:pytest', durationMs: 9_000 }],
    });
    // with nothing seen the prediction is 0 ms: a 2 s pin; seeded, pytest takes 9 s: none
    expect(fresh.pin?.(contextAfter(0))).toMatchObject({ pin: true, ttlMs: 2_000 });
    expect(seeded.pin?.(contextAfter(0))).toMatchObject({ pin: false });
  });

  it('Continuum paper rule pins the tool just called by its CDF, not after a last step', () => {
    const seedSamples = Array.from({ length: 200 }, (_, index) => ({
      key: index % 2 === 0 ? 'bash:pytest' : 'bash:make',
      durationMs: index % 2 === 0 ? 2_000 : 100_000,
    }));
    const policy = createContinuumPaperPolicy({ seedSamples });
    expect(policy.name).toBe('continuumPaper');
    expect(policy.pin?.(contextAfter(0))).toMatchObject({ pin: true, ttlMs: 2_100 });
    // holding 21k tokens for 100 s costs more than reloading them
    expect(policy.pin?.(contextAfter(1)).pin).toBe(false);
    expect(policy.pin?.(contextAfter(2)).pin).toBe(false);
  });

  it('the oracle pins exactly the true pause when memory is free, and skips a long one under load', () => {
    const oracle = createClairvoyantRulePolicy();
    expect(oracle.pin?.(contextAfter(0))).toMatchObject({ pin: true, ttlMs: 3_100 });
    expect(oracle.pin?.(contextAfter(1))).toMatchObject({ pin: true, ttlMs: 90_100 });
    expect(oracle.pin?.(contextAfter(1, loaded)).pin).toBe(false);
    expect(oracle.pin?.(contextAfter(0, loaded))).toMatchObject({ pin: true, ttlMs: 3_100 });
  });

  it('Reins learns this program’s own durations of a tool', () => {
    const seedSamples = Array.from({ length: 200 }, () => ({
      key: 'bash:pytest',
      durationMs: 2_000,
    }));
    const reins = createReinsHintsPolicy({ seedSamples });
    const longer = createReinsHintsPolicy({ seedSamples });
    // this program's pytest took 60 s twice: its next pytest is likely long too
    longer.observeTool?.(program, 0, 60_000);
    longer.observeTool?.(program, 0, 60_000);
    expect(reins.pin?.(contextAfter(0, loaded))).toMatchObject({ pin: true, ttlMs: 2_100 });
    // half the mass at 60 s: a 2.1 s pin now hits half the time
    const decision = longer.pin?.(contextAfter(0, loaded)) as TtlDecision;
    expect(decision.pin).toBe(true);
    expect(decision.ttlMs).toBeCloseTo(2_100, 0);
    expect(decision.hitProbability).toBeCloseTo(0.5, 2);
  });
});
