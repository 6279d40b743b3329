import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  editDistance,
  reasoningChainDistance,
  reasoningChainWords,
  toReasoningChain,
} from './reasoning-chain.js';
import type { TurnRecord } from './turn-record.js';

const record = (text: string, reasoning?: string): TurnRecord => ({
  turn: 1,
  text,
  ...(reasoning === undefined ? {} : { reasoning }),
  actions: [],
  observations: [],
});
/** The chain of plain lower-case words, each word's own chain. */
const hashes = (...words: string[]) => words.flatMap((word) => toReasoningChain(record(word)));

describe('toReasoningChain', () => {
  it('reads the thought before a fenced command, lower-cased, without the command', () => {
    const text = 'THOUGHT: Now run the tests.\n\n```bash\npytest -x tests/test_parser.py\n```';
    expect(toReasoningChain(record(text))).toEqual(hashes('thought', 'now', 'run', 'the', 'tests'));
  });

  it('prefers the streamed reasoning over the answer, and falls back when it is blank', () => {
    expect(toReasoningChain(record('Answer: 42.', 'Check the units first'))).toEqual(
      hashes('check', 'the', 'units', 'first'),
    );
    expect(toReasoningChain(record('Answer: 42.', '  \n'))).toEqual(hashes('answer', '42'));
  });

  it(`keeps the first ${reasoningChainWords} words`, () => {
    const words = Array.from({ length: 100 }, (_, index) => `w${index}`);
    expect(toReasoningChain(record(words.join(' ')))).toEqual(
      hashes(...words.slice(0, reasoningChainWords)),
    );
  });

  it('folds case, ASCII or not, and tells different words apart', () => {
    expect(hashes('Parser', 'ÜBER')).toEqual(hashes('parser', 'über'));
    expect(hashes('parser')).not.toEqual(hashes('lexers'));
    expect(toReasoningChain(record('naïve café_2 ok'))).toEqual(hashes('naïve', 'café_2', 'ok'));
    // An unclosed fence runs to the end.
    expect(toReasoningChain(record('run it ```bash\nls -la'))).toEqual(hashes('run', 'it'));
  });

  it('is empty for a turn that only acts', () => {
    expect(toReasoningChain(record('```bash\nls\n```'))).toEqual([]);
  });
});

describe('reasoningChainDistance', () => {
  it('is the word edit distance ÷ the longer chain', () => {
    // 'open the parser file' → 'open the lexer module': two substitutions in four words.
    expect(
      reasoningChainDistance(
        toReasoningChain(record('Open the parser file.')),
        toReasoningChain(record('Open the lexer module.')),
      ),
    ).toBe(0.5);
    // One word inserted into three: 1 ÷ 4.
    expect(reasoningChainDistance([1, 2, 3], [1, 2, 9, 3])).toBe(0.25);
    expect(reasoningChainDistance([], [])).toBe(0);
    expect(reasoningChainDistance([], [1, 2])).toBe(1);
  });

  const chain = fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 12 });

  /** The textbook recursion, memoised: the reference the row-reusing table must agree with. */
  function referenceDistance(a: readonly number[], b: readonly number[]): number {
    const memo = new Map<string, number>();
    const go = (i: number, j: number): number => {
      if (i === 0) return j;
      if (j === 0) return i;
      const key = `${i},${j}`;
      const known = memo.get(key);
      if (known !== undefined) return known;
      const value = Math.min(
        go(i - 1, j) + 1,
        go(i, j - 1) + 1,
        go(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      memo.set(key, value);
      return value;
    };
    return go(a.length, b.length);
  }

  it('agrees with the textbook recursion, also past the reused rows’ first size', () => {
    // Longer than the rows first made (32 words): fast-check keeps arrays short unless told.
    const long = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 33, maxLength: 90 });
    fc.assert(
      fc.property(fc.oneof(chain, long), fc.oneof(chain, long), (a, b) => {
        expect(editDistance(a, b)).toBe(referenceDistance(a, b));
      }),
    );
  });

  it('is a normalised metric: 0 on itself, symmetric, in [0, 1], triangle on the raw distance', () => {
    fc.assert(
      fc.property(chain, chain, chain, (a, b, c) => {
        expect(reasoningChainDistance(a, a)).toBe(0);
        expect(reasoningChainDistance(a, b)).toBe(reasoningChainDistance(b, a));
        expect(reasoningChainDistance(a, b)).toBeGreaterThanOrEqual(0);
        expect(reasoningChainDistance(a, b)).toBeLessThanOrEqual(1);
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
        expect(editDistance(a, b)).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });
});
