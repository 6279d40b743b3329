import { describe, expect, it } from 'vitest';
import { createCueDetector, defaultReasoningCues } from './cue-detector.js';

/** Every cue the detector reports while reading `texts` one by one, and at the end. */
function cuesIn(texts: readonly string[], cues?: readonly string[]): (string | undefined)[] {
  const detector = createCueDetector(cues === undefined ? {} : { cues });
  return [...texts.map((text) => detector.push(text)), detector.flush()];
}

describe('createCueDetector', () => {
  it.each(defaultReasoningCues)('finds the default cue "%s" in running text', (cue) => {
    const detector = createCueDetector();
    detector.push(`So x = 12. ${cue.toUpperCase()}`);
    expect(detector.push(', maybe not.')).toBe(cue);
    expect(detector.count).toBe(1);
  });

  it('reports a cue only once the word has ended, or when the stream ends on it', () => {
    expect(cuesIn(['Wait', 'ing for it'])).toEqual([undefined, undefined, undefined]);
    expect(cuesIn(['Wait', '!'])).toEqual([undefined, 'wait', undefined]);
    expect(cuesIn(['so, hmm'])).toEqual([undefined, 'hmm']);
    expect(cuesIn([''])).toEqual([undefined, undefined]);
  });

  it('prefers the longest phrase that ends at a word', () => {
    expect(cuesIn(['but wait.'])).toEqual(['but wait', undefined]);
    expect(
      cuesIn(['on second thought.'], ['thought', 'second thought', 'on second thought']),
    ).toEqual(['on second thought', undefined]);
    expect(
      cuesIn(['a second thought.'], ['thought', 'second thought', 'on second thought']),
    ).toEqual(['second thought', undefined]);
  });

  it('lets spaces, tabs and commas join a phrase, and other punctuation break it', () => {
    const cues = ['let me check'];
    expect(cuesIn(['let  me\tcheck.'], cues)).toEqual(['let me check', undefined]);
    expect(cuesIn(['let me, check.'], cues)).toEqual(['let me check', undefined]);
    expect(cuesIn(['let me. check.'], cues)).toEqual([undefined, undefined]);
    expect(cuesIn(['let me\ncheck.'], cues)).toEqual([undefined, undefined]);
    expect(cuesIn(['let me: check.'], cues)).toEqual([undefined, undefined]);
  });

  it('normalises the cues it is given: case, spaces, and empty ones dropped', () => {
    const cues = ['  Let   ME  know ', '', '   '];
    expect(cuesIn(['LET ME KNOW!'], cues)).toEqual(['let me know', undefined]);
    expect(cuesIn(['hmm, wait!'], cues)).toEqual([undefined, undefined]);
  });

  it('reads letters A–Z and a–z in either case, hyphens, apostrophes and non-ASCII as word characters', () => {
    expect(cuesIn(['AZA aza za.'], ['aza'])).toEqual(['aza', undefined]);
    expect(cuesIn(['AZA.'], ['aza'])).toEqual(['aza', undefined]);
    expect(cuesIn(['za.'], ['za'])).toEqual(['za', undefined]);
    expect(cuesIn(['Za.'], ['za'])).toEqual(['za', undefined]);
    expect(cuesIn(['double-check.'])).toEqual(['double-check', undefined]);
    expect(cuesIn(["let's see."], ["let's see"])).toEqual(["let's see", undefined]);
    expect(cuesIn(['déjà vu.'], ['déjà vu'])).toEqual(['déjà vu', undefined]);
    // Characters just outside the letter ranges end a word: @ [ ` { and DEL.
    for (const outside of ['@', '[', '`', '{', '\u007f'])
      expect(cuesIn([`wait${outside}`])).toEqual(['wait', undefined]);
  });

  it('keeps at most 32 characters of a word', () => {
    const cue = 'x'.repeat(32);
    expect(cuesIn([`${'x'.repeat(40)} `], [cue])).toEqual([cue, undefined]);
    expect(cuesIn([`${'x'.repeat(33)} `], ['x'.repeat(33)])).toEqual([undefined, undefined]);
  });

  it('returns the last cue of a text and counts them all', () => {
    const detector = createCueDetector();
    expect(detector.push('Hmm. Wait. ')).toBe('wait');
    expect(detector.count).toBe(2);
  });

  it('forgets the words and the count on reset', () => {
    const detector = createCueDetector({ cues: ['let me check'] });
    detector.push('let me check. let me');
    expect(detector.count).toBe(1);
    detector.reset();
    expect(detector.count).toBe(0);
    expect(detector.push(' check.')).toBeUndefined();
    detector.push('let me che');
    detector.reset();
    expect(detector.push('ck ')).toBeUndefined();
  });
});
