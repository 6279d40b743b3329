import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createKvPinAdvisor, type KvPinAdvisorOptions } from './kv-pin-advisor.js';
import {
  createToolDurationPredictor,
  type ToolDurationPredictor,
  type ToolDurationSample,
} from './tool-duration-predictor.js';
import type { TtlDecision, TtlRule, TtlRuleInput } from './ttl-rule.js';

const refusal = (options: KvPinAdvisorOptions): InvalidOptionsError => {
  try {
    createKvPinAdvisor(options);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error('the options were accepted');
};

const recordingRule = (inputs: TtlRuleInput[]): TtlRule => ({
  name: 'record',
  decide: (input): TtlDecision => {
    inputs.push(input);
    return {
      pin: false,
      ttlMs: 0,
      rule: 'record',
      hitProbability: 0,
      expectedSavingMs: 0,
      expectedCostMs: 0,
    };
  },
});

describe('createKvPinAdvisor options', () => {
  it('names expectedTurns and its value when it is not positive', () => {
    expect(refusal({ expectedTurns: 0 })).toMatchObject({
      field: 'expectedTurns',
      message: 'expectedTurns must be > 0; got 0. Use the median calls of your past runs.',
    });
    expect(refusal({ expectedTurns: -3 }).field).toBe('expectedTurns');
  });

  it('accepts a shared weight of 0 and refuses a negative or infinite one, naming it', () => {
    expect(() => createKvPinAdvisor({ sharedWeight: 0 })).not.toThrow();
    expect(refusal({ sharedWeight: -0.5 })).toMatchObject({
      field: 'sharedWeight',
      message: 'sharedWeight must be a finite number ≥ 0; got -0.5.',
    });
    expect(refusal({ sharedWeight: Number.POSITIVE_INFINITY })).toMatchObject({
      field: 'sharedWeight',
      message: 'sharedWeight must be a finite number ≥ 0; got Infinity.',
    });
    expect(refusal({ sharedWeight: Number.NaN }).field).toBe('sharedWeight');
  });

  it('accepts past counts of 1 and refuses 0 or a fraction above 1, naming them', () => {
    expect(createKvPinAdvisor({ pastTurnCounts: [1] }).remainingTurns(0)).toBe(1); // 1 − 0
    expect(refusal({ pastTurnCounts: [5, 0] })).toMatchObject({
      field: 'pastTurnCounts',
      message: 'pastTurnCounts must hold whole numbers ≥ 1 (calls per past run); got 0.',
    });
    expect(refusal({ pastTurnCounts: [1.5] })).toMatchObject({
      field: 'pastTurnCounts',
      message: 'pastTurnCounts must hold whole numbers ≥ 1 (calls per past run); got 1.5.',
    });
    expect(refusal({ pastTurnCounts: [-2] }).field).toBe('pastTurnCounts');
  });
});

describe('createKvPinAdvisor remainingTurns', () => {
  it('leaves out a past run that ended exactly at the turn', () => {
    const advisor = createKvPinAdvisor({ pastTurnCounts: [10, 20] });
    expect(advisor.remainingTurns(10)).toBe(10); // only the 20-call run is longer: 20 − 10
    expect(advisor.remainingTurns(9)).toBe(6); // (1 + 11) / 2
    expect(advisor.remainingTurns(20)).toBe(1); // no longer run: one more call
  });

  it('gives the same answer when asked twice and for unsorted counts', () => {
    const advisor = createKvPinAdvisor({ pastTurnCounts: [30, 6, 12] });
    expect(advisor.remainingTurns(6)).toBe(15); // (24 + 6) / 2
    expect(advisor.remainingTurns(6)).toBe(15);
    expect(advisor.remainingTurns(2)).toBe(14); // (28 + 4 + 10) / 3
  });

  it('counts down from 36 calls by default, never below one', () => {
    const advisor = createKvPinAdvisor();
    expect(advisor.remainingTurns(0)).toBe(36);
    expect(advisor.remainingTurns(35)).toBe(1);
    expect(advisor.remainingTurns(36)).toBe(1); // max(1, 0)
  });
});

describe('createKvPinAdvisor pauseAfter', () => {
  const seeded = (): ToolDurationPredictor => {
    const predictor = createToolDurationPredictor({ minSamples: 1 });
    predictor.observe({ key: 'bash:ls', durationMs: 1_000 });
    predictor.observe({ key: 'bash:pytest', durationMs: 5_000 });
    return predictor;
  };

  it('predicts the pause from the called tool, not from the previous one', () => {
    const program = createKvPinAdvisor({ predictor: seeded() }).open();
    expect(program.pauseAfter('bash:ls', 'bash:pytest').mean).toBe(1_000);
    expect(program.pauseAfter('bash:pytest').mean).toBe(5_000);
    // with no tool known and no successor learnt: the global prior, (1000 + 5000) / 2
    expect(program.pauseAfter(undefined).mean).toBe(3_000);
  });

  it('uses only this program’s own samples of the tool when the shared weight is 0', () => {
    const program = createKvPinAdvisor({ predictor: seeded(), sharedWeight: 0 }).open();
    program.observeTool('bash:make', 5_000);
    program.observeTool('bash:make', 1_000);
    program.observeTool('bash:make', 3_000);
    const own = program.pauseAfter('bash:make');
    expect(own.source).toBe('tool');
    expect(own.samples).toBe(3);
    expect(own.mean).toBe(3_000); // (5000 + 1000 + 3000) / 3
    // sorted own samples 1000, 3000, 5000
    expect(own.cdf(999)).toBe(0);
    expect(own.cdf(1_000)).toBeCloseTo(1 / 3, 12);
    expect(own.cdf(3_000)).toBeCloseTo(2 / 3, 12);
    expect(own.cdf(4_999)).toBeCloseTo(2 / 3, 12);
    expect(own.cdf(5_000)).toBe(1);
    expect(own.quantile(0.34)).toBe(3_000); // rank ceil(1.02) = 2
    expect(own.quantile(1)).toBe(5_000);
  });

  it('learns which tool follows which through the shared predictor', () => {
    const predictor = createToolDurationPredictor({ minSamples: 1 });
    const program = createKvPinAdvisor({ predictor }).open();
    program.observeTool('bash:ls', 1_000);
    program.observeTool('bash:pytest', 9_000, 'bash:ls');
    // after bash:ls only bash:pytest has followed: its own distribution, not the global mean 5000
    expect(predictor.predictNext('bash:ls').mean).toBe(9_000);
    expect(program.pauseAfter(undefined, 'bash:ls').mean).toBe(9_000);
  });

  it('hands the predictor a previous key only when there is one', () => {
    const samples: ToolDurationSample[] = [];
    const inner = createToolDurationPredictor();
    const predictor: ToolDurationPredictor = {
      ...inner,
      observe: (sample) => {
        samples.push(sample);
        inner.observe(sample);
      },
    };
    const program = createKvPinAdvisor({ predictor }).open();
    program.observeTool('bash:ls', 10);
    program.observeTool('bash:cat', 20, 'bash:ls');
    expect(samples[0]).toStrictEqual({ key: 'bash:ls', durationMs: 10 });
    expect(samples[1]).toStrictEqual({ key: 'bash:cat', durationMs: 20, previousKey: 'bash:ls' });
    expect(samples).toHaveLength(2);
  });
});

describe('createKvPinAdvisor decide', () => {
  it('passes the pressure to the rule only when it is known', () => {
    const inputs: TtlRuleInput[] = [];
    const program = createKvPinAdvisor({ rule: recordingRule(inputs), expectedTurns: 10 }).open();
    program.decide({ contextTokens: 500, turn: 3, isLastStep: false });
    program.decide({
      contextTokens: 700,
      turn: 4,
      isLastStep: false,
      pressure: { kvUsage: 0.9, waitingRequests: 2 },
    });
    expect(inputs).toHaveLength(2);
    expect(Object.keys(inputs[0] as TtlRuleInput).sort()).toEqual([
      'contextTokens',
      'isLastStep',
      'pause',
      'remainingTurns',
    ]);
    expect(inputs[0]).toMatchObject({ contextTokens: 500, isLastStep: false, remainingTurns: 7 });
    expect(inputs[1]).toMatchObject({
      contextTokens: 700,
      isLastStep: false,
      remainingTurns: 6, // 10 − 4
      pressure: { kvUsage: 0.9, waitingRequests: 2 },
    });
  });
});
