import { describe, expect, it } from 'vitest';
import { createStepSegmenter, type StepSegmenterOptions } from './step-segmenter.js';

/** What each push returned (only the steps it completed), then what flush returned. */
function segment(texts: readonly string[], options: StepSegmenterOptions = {}) {
  const steps = createStepSegmenter(options);
  const pushed = texts.flatMap((text) => {
    const step = steps.push(text);
    return step === undefined ? [] : [step];
  });
  return { pushed, flushed: steps.flush(), count: steps.count };
}

describe('createStepSegmenter blank lines', () => {
  it('does not end a step at a single line break', () => {
    expect(
      segment(['First line about apples,\nsecond line about pears,\n', 'third line.']),
    ).toEqual({
      pushed: [],
      flushed: 'First line about apples,\nsecond line about pears,\nthird line.',
      count: 1,
    });
  });

  it.each([
    ['\\r\\n\\r\\n', '\r\n\r\n'],
    ['\\n \\n', '\n \n'],
    ['\\n\\t\\n', '\n\t\n'],
  ])('ends a step at a blank line written %s', (_, blank) => {
    expect(segment([`Three crates of apples.${blank}Then the pears arrive.`])).toEqual({
      pushed: ['Three crates of apples.'],
      flushed: 'Then the pears arrive.',
      count: 2,
    });
  });

  it('keeps a trimmed step of exactly minStepChars and merges one a character shorter', () => {
    // 'Sixteen chars ok' has 16 characters.
    expect(segment(['Sixteen chars ok\n\n', 'Next.']).pushed).toEqual(['Sixteen chars ok']);
    expect(segment(['Fifteen chars o\n\n', 'Next part of it.'])).toEqual({
      pushed: [],
      flushed: 'Fifteen chars o\n\nNext part of it.',
      count: 1,
    });
  });

  it('starts afresh after flush: the next step holds only the new text', () => {
    const steps = createStepSegmenter({ maxStepChars: 20, splitAtCues: false });
    steps.push('A step long enough to be truncated here.');
    expect(steps.flush()).toBe('A step long enough t');
    steps.push('The second step, kept.');
    expect(steps.flush()).toBe('The second step, kep');
  });
});

describe('createStepSegmenter cues', () => {
  it('splits before the cues it is given and only those', () => {
    expect(
      segment(['Three crates hold twelve each. Wait, ', 'yes. So far', ' we have 36 apples.'], {
        cues: ['so far'],
      }),
    ).toEqual({
      pushed: ['Three crates hold twelve each. Wait, yes.'],
      flushed: 'So far we have 36 apples.',
      count: 2,
    });
  });

  it('merges a too-short text before a cue into the step the cue starts', () => {
    expect(segment(['Ok. Wait, is the total 10 dollars?'])).toEqual({
      pushed: [],
      flushed: 'Ok. Wait, is the total 10 dollars?',
      count: 1,
    });
  });

  it('emits no empty step for a cue at the very start, even with minStepChars 0', () => {
    expect(segment(['Wait, let me recount the apples.'], { minStepChars: 0 })).toEqual({
      pushed: [],
      flushed: 'Wait, let me recount the apples.',
      count: 1,
    });
  });

  it('does not split at the word "undefined" when no cue ended', () => {
    expect(segment(['The ratio of apples to pears is undefined when no pears are left'])).toEqual({
      pushed: [],
      flushed: 'The ratio of apples to pears is undefined when no pears are left',
      count: 1,
    });
  });

  it('still splits at a cue after a step of exactly maxStepChars', () => {
    const step = 'Twenty chars exactly'; // 20 characters: at the limit, not over it
    expect(segment([step, ' Wait, that is not right.'], { maxStepChars: 20 })).toEqual({
      pushed: [step],
      // The next step is capped at 20 characters too.
      flushed: 'Wait, that is not ri',
      count: 2,
    });
  });
});
