import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../scripts/thrown-by.js';
import { createLogisticProbe, trainLogisticProbe } from './logistic-probe.js';
import { createPathDeviationMonitor } from './path-deviation-monitor.js';
import { createStepSegmenter } from './step-segmenter.js';

describe('createStepSegmenter limits and reset', () => {
  it('keeps the first maxStepChars characters of a long step, then starts afresh', () => {
    const steps = createStepSegmenter({ maxStepChars: 20, splitAtCues: false });
    expect(steps.push(`${'x'.repeat(15)}${'y'.repeat(30)}`)).toBeUndefined();
    expect(steps.push(' more\n\n')).toBe(`${'x'.repeat(15)}yyyyy`);
    expect(steps.push('Second step, short.\n\n')).toBe('Second step, short.');
    expect(steps.count).toBe(2);
  });

  it('forgets the step under way, the blank-line count, the cues and the count on reset', () => {
    const steps = createStepSegmenter();
    steps.push('A first step that is long enough.\n\n');
    steps.push('Half a step about apples and\n');
    expect(steps.count).toBe(1);
    steps.reset();
    expect(steps.count).toBe(0);
    // The newline before the reset does not join the one after it into a blank line.
    expect(steps.push('\nPears are the topic now, fully.')).toBeUndefined();
    expect(steps.flush()).toBe('Pears are the topic now, fully.');
    // A cue cut by the reset is not a cue.
    const cued = createStepSegmenter();
    cued.push('Counting all the apples one by one. Wai');
    cued.reset();
    expect(cued.push('t, the crates hold twelve apples each')).toBeUndefined();
  });
});

describe('createPathDeviationMonitor window and reset', () => {
  it.each([0, -1, 2.5])('refuses a window of %s', (window) => {
    const error = thrownBy(() => createPathDeviationMonitor({ window }));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'window',
      message: `window must be a positive integer number of tokens; received ${window}. Try 200.`,
    });
  });

  it('forgets its tokens and transitions on reset', () => {
    const monitor = createPathDeviationMonitor({ window: 50, maxRate: 1 });
    const hesitant = {
      token: ' wait',
      logprob: Math.log(0.4),
      topLogprobs: [
        { token: ' wait', logprob: Math.log(0.4) },
        { token: ' so', logprob: Math.log(0.3) },
        { token: ' then', logprob: Math.log(0.3) },
      ],
    };
    for (let index = 0; index < 5; index++) monitor.push(hesitant);
    expect(monitor.tokens).toBe(5);
    expect(monitor.windowTransitions).toBeGreaterThan(0);
    monitor.reset();
    expect([monitor.tokens, monitor.windowTransitions]).toEqual([0, 0]);
  });
});

describe('logistic probe refusals', () => {
  it('refuses means or scales that do not match the weights', () => {
    const error = thrownBy(() => createLogisticProbe({ weights: [1, 2], bias: 0, mean: [0] }));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'mean',
      message:
        'A probe with 2 weights needs 2 means and scales; received 1 and 2. Save and load all three arrays together.',
    });
  });

  it('refuses samples of different lengths, naming the first that differs', () => {
    const error = thrownBy(() =>
      trainLogisticProbe([
        { features: [0.1, 0.2], label: true },
        { features: [0.3, 0.4], label: false },
        { features: [0.5], label: true },
      ]),
    );
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'samples[2].features',
      message:
        'Sample 2 has 1 features but sample 0 has 2. Extract every sample with the same feature tracker.',
    });
  });
});
