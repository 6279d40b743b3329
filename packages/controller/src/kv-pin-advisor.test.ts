import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createKvPinAdvisor } from './kv-pin-advisor.js';
import { createToolDurationPredictor } from './tool-duration-predictor.js';

describe('createKvPinAdvisor', () => {
  it('expects the turns left by past runs that lasted longer', () => {
    const advisor = createKvPinAdvisor({ pastTurnCounts: [30, 10, 20] });
    expect(advisor.remainingTurns(5)).toBe(15); // (5 + 15 + 25) / 3
    expect(advisor.remainingTurns(25)).toBe(5);
    expect(advisor.remainingTurns(40)).toBe(1);
    expect(createKvPinAdvisor({ expectedTurns: 36 }).remainingTurns(30)).toBe(6);
  });

  it('blends this program’s own durations of a tool with every program’s', () => {
    const predictor = createToolDurationPredictor();
    predictor.seed(Array.from({ length: 200 }, () => ({ key: 'bash:pytest', durationMs: 1_000 })));
    const advisor = createKvPinAdvisor({ predictor, sharedWeight: 2 });
    const slow = advisor.open();
    const other = advisor.open();
    slow.observeTool('bash:pytest', 60_000);
    slow.observeTool('bash:pytest', 60_000);
    // two own samples against a shared weight of 2: half the mass at 60 s
    expect(slow.pauseAfter('bash:pytest').cdf(1_000)).toBeCloseTo(0.5 * (200 / 202), 10);
    // the other program sees only the shared distribution (which learnt the two)
    expect(other.pauseAfter('bash:pytest').cdf(1_000)).toBeCloseTo(200 / 202, 10);
  });

  it('decides by the rule with the remaining turns, and never after a last step', () => {
    const seen: number[] = [];
    const advisor = createKvPinAdvisor({
      pastTurnCounts: [10],
      rule: {
        name: 'record',
        decide: (input) => {
          seen.push(input.remainingTurns);
          return {
            pin: !input.isLastStep,
            ttlMs: 1,
            rule: 'record',
            hitProbability: 0,
            expectedSavingMs: 0,
            expectedCostMs: 0,
          };
        },
      },
    });
    const program = advisor.open();
    program.decide({ toolKey: 'bash:ls', contextTokens: 100, turn: 4, isLastStep: false });
    program.decide({ contextTokens: 100, turn: 10, isLastStep: true });
    expect(seen).toEqual([6, 0]);
  });

  it('refuses bad past counts and weights, naming them', () => {
    expect(() => createKvPinAdvisor({ pastTurnCounts: [3, 0.5] })).toThrow(/pastTurnCounts/);
    expect(() => createKvPinAdvisor({ sharedWeight: -1 })).toThrow(InvalidOptionsError);
    expect(() => createKvPinAdvisor({ expectedTurns: 0 })).toThrow(/expectedTurns/);
  });
});
