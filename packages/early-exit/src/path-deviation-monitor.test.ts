import type { TokenLogprob } from '@reins/core';
import { describe, expect, it } from 'vitest';
import type { ExitDecision } from './exit-rule.js';
import { createPathDeviationMonitor, type PathDeviationOptions } from './path-deviation-monitor.js';

/** A token with `alternatives` equally likely top alternatives: entropy ln(alternatives). */
function spread(text: string, alternatives: number): TokenLogprob {
  const logprob = Math.log(1 / alternatives);
  return {
    token: text,
    logprob,
    topLogprobs: Array.from({ length: alternatives }, (_, index) => ({
      token: index === 0 ? text : ` t${index}`,
      logprob,
    })),
  };
}

/** A transition of entropy ln 2 (two alternatives of p 0.5), and one of ln 4. */
const low = (text = ' Wait') => spread(text, 2);
const high = (text = ' But') => spread(text, 4);
/** A token that is not a transition word. */
const plain: TokenLogprob = { token: ' apples', logprob: 0 };

/** The windowTransitions after each token. */
function windowCounts(options: PathDeviationOptions, tokens: readonly TokenLogprob[]): number[] {
  const monitor = createPathDeviationMonitor(options);
  return tokens.map((token) => {
    monitor.push(token);
    return monitor.windowTransitions;
  });
}

/** The decisions of one monitor over `tokens`, by token index. */
function decisions(
  options: PathDeviationOptions,
  tokens: readonly TokenLogprob[],
): [number, ExitDecision][] {
  const monitor = createPathDeviationMonitor(options);
  return tokens.flatMap((token, index) => {
    const decision = monitor.push(token);
    return decision === undefined ? [] : [[index, decision] as [number, ExitDecision]];
  });
}

/** Counting only: a rate above 1 can never be reached, so the monitor never fires. */
const counting = { maxRate: 2, minTransitions: 1, warmupTokens: 0 };

describe('createPathDeviationMonitor window', () => {
  it('keeps a transition at position i in the window for tokens i to i + window − 1', () => {
    // window 4, transitions at 1, 2, 5, 6, 7, 8: at token j the window holds those with i > j − 4.
    const tokens = [plain, low(), low(), plain, plain, low(), low(), low(), low()];
    tokens.push(plain, plain, plain, plain);
    expect(windowCounts({ ...counting, window: 4 }, tokens)).toEqual([
      0, 1, 2, 2, 2, 2, 2, 3, 4, 3, 2, 1, 0,
    ]);
  });

  it('reports the rate, the window and the entropy ratio against the whole trace', () => {
    // window 4: ln 2 transitions at 0 and 1 fire at once (2 in 2 tokens); both leave the window
    // by token 5; ln 4 transitions at 6 and 7 fire again at rate 2/4. Window mean 2 ln 2 over
    // the trace mean (2 ln 2 + 4 ln 2) / 4 = 1.5 ln 2: ratio 4/3.
    const tokens = [low(), low(), plain, plain, plain, plain, high(), high()];
    const seen = decisions({ window: 4, maxRate: 0.5, minTransitions: 2, warmupTokens: 0 }, tokens);
    expect(seen.map(([index]) => index)).toEqual([1, 7]);
    expect(seen[0]?.[1].evidence).toMatchObject({ transitions: 2, window: 2, rate: 1 });
    expect(seen[0]?.[1].evidence.entropyRatio).toBeCloseTo(1, 14);
    const [, last] = seen[1] as [number, ExitDecision];
    expect(last.rule).toBe('path-deviation');
    expect(last.evidence).toEqual({
      transitions: 2,
      window: 4,
      rate: 0.5,
      maxRate: 0.5,
      entropyRatio: expect.closeTo(4 / 3, 12),
      lastEntropy: expect.closeTo(2 * Math.LN2, 14),
      token: ' But',
    });
    expect(last.message).toBe(
      '2 high-entropy transitions in the last 4 tokens (rate 0.500 ≥ 0.5): the reasoning is deviating.',
    );
  });

  it('fires on an entropy ratio of exactly maxEntropyRatio, once minTransitions are in the window', () => {
    // Two ln 2 transitions: window mean and trace mean are both ln 2, ratio exactly 1.
    const options = { window: 10, maxRate: 2, minTransitions: 2, warmupTokens: 0 };
    const tokens = [low(), low()];
    expect(decisions({ ...options, maxEntropyRatio: 1 }, tokens).map(([index]) => index)).toEqual([
      1,
    ]);
    expect(decisions({ ...options, maxEntropyRatio: 1.0001 }, tokens)).toEqual([]);
  });

  it('fires no earlier than warmupTokens: tokens seen equal to warmupTokens is enough', () => {
    const options = { window: 10, maxRate: 0.5, minTransitions: 2 };
    const tokens = [low(), low(), low()];
    const at = (warmupTokens: number) =>
      decisions({ ...options, warmupTokens }, tokens).map(([index]) => index);
    // The transition at index 1 is the 2nd token seen.
    expect(at(2)).toEqual([1, 2]);
    expect(at(3)).toEqual([2]);
  });
});

describe('createPathDeviationMonitor transition words', () => {
  /** How many of `tokens` count as high-entropy transitions. */
  const counted = (tokens: readonly TokenLogprob[], options: PathDeviationOptions = {}) =>
    windowCounts({ ...counting, window: 100, ...options }, tokens).at(-1);

  it('counts a transition whose entropy is exactly minEntropy, not one just below it', () => {
    expect(counted([low()], { minEntropy: Math.LN2 })).toBe(1);
    expect(counted([low()], { minEntropy: Math.LN2 + 1e-12 })).toBe(0);
  });

  it('ignores hesitant tokens that are not transition words, and tokens without letters', () => {
    expect(counted([low(' so'), low(' 42'), low('...'), low(' '), low(',')])).toBe(0);
  });

  it('strips punctuation on both sides, including the ASCII neighbours of the letters', () => {
    for (const text of [' Wait,', '@but', '[but]', '`but`', '{but}', '~but|', ' but\u007f'])
      expect(counted([low(text)]), text).toBe(1);
  });

  it('keeps letters a, z, A and Z at either end of a token', () => {
    const words = { transitionWords: ['alpha', 'blitz', 'zeta'] };
    for (const text of [' alpha', ' Alpha', ' blitz', ' BLITZ', 'Zeta.', ' zeta'])
      expect(counted([low(text)], words), text).toBe(1);
  });

  it('keeps non-ASCII letters at the ends of a word', () => {
    expect(counted([low(' Déjà,')], { transitionWords: ['déjà'] })).toBe(1);
    // 'e' + U+0301 (a combining acute accent) and a letter outside the BMP (U+1D400)
    expect(counted([low(' cafe\u0301')], { transitionWords: ['cafe\u0301'] })).toBe(1);
    expect(counted([low(' wait\u{1d400}')], { transitionWords: ['wait\u{1d400}'] })).toBe(1);
  });

  it('strips non-ASCII punctuation and spaces: ellipsis, dashes, curly quotes, no-break space', () => {
    for (const text of [
      ' Wait\u2026',
      ' wait\u2014',
      '\u201cWait',
      ' \u00abwait\u00bb',
      '\u00a0wait',
    ])
      expect(counted([low(text)]), text).toBe(1);
  });

  it('matches tokens up to 4 characters longer than the longest word, not longer ones', () => {
    const words = { transitionWords: ['wait'] };
    // ' Wait...' has 8 characters = 4 + 4; ' Wait....' has 9.
    expect(counted([low(' Wait...')], words)).toBe(1);
    expect(counted([low(' Wait....')], words)).toBe(0);
  });
});
