import { describe, expect, it } from 'vitest';
import { reasoningChainDistance, toReasoningChain } from './reasoning-chain.js';
import type { TurnRecord } from './turn-record.js';

const record = (text: string, reasoning?: string): TurnRecord => ({
  turn: 1,
  text,
  ...(reasoning === undefined ? {} : { reasoning }),
  actions: [],
  observations: [],
});

/** FNV-1a (32 bits) of a word's code units, as the chain's definition states it. */
function fnv1a(word: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < word.length; index++)
    hash = Math.imul(hash ^ word.charCodeAt(index), 0x01000193) >>> 0;
  return hash;
}
const words = (...list: string[]) => list.map(fnv1a);

describe('toReasoningChain: the hash of each word', () => {
  it('is FNV-1a of the lower-cased word (the published test vectors)', () => {
    // FNV-1a 32: "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(toReasoningChain(record('a'))).toEqual([0xe40c292c]);
    expect(toReasoningChain(record('foobar'))).toEqual([0xbf9cf968]);
    expect(toReasoningChain(record('FooBar'))).toEqual([0xbf9cf968]);
    expect(toReasoningChain(record('A FOOBAR'))).toEqual([0xe40c292c, 0xbf9cf968]);
  });

  it('lower-cases letters beyond ASCII by their own lower case', () => {
    // 'Ü' (U+00DC) folds to 'ü' (U+00FC); 'É' (U+00C9) to 'é' (U+00E9).
    expect(toReasoningChain(record('ÜBER über Café CAFÉ'))).toEqual(
      words('über', 'über', 'café', 'café'),
    );
    expect(toReasoningChain(record('über'))).toEqual([fnv1a('\u00fcber')]);
  });
});

describe('toReasoningChain: what a word is', () => {
  it('takes letters, digits and _ up to each edge of their ranges, and nothing next to them', () => {
    // '`' 96 | 'a' 97 … 'z' 122 | '{' 123; '@' 64 | 'A' 65 … 'Z' 90 | '[' 91;
    // '/' 47 | '0' 48 … '9' 57 | ':' 58; '_' 95.
    expect(toReasoningChain(record('z@Z[0/9:_{a`'))).toEqual(words('z', 'z', '0', '9', '_', 'a'));
    expect(toReasoningChain(record('x_1 ab9 Zz'))).toEqual(words('x_1', 'ab9', 'zz'));
  });

  it('takes letters and digits beyond ASCII, and splits at other characters beyond it', () => {
    // 'é' and '٣' (Arabic-Indic three) are a letter and a digit; '—' and '…' are punctuation,
    // U+00A0 a space.
    expect(toReasoningChain(record('café٣ alpha—beta…gamma\u00a0delta'))).toEqual(
      words('café٣', 'alpha', 'beta', 'gamma', 'delta'),
    );
    expect(toReasoningChain(record('— …'))).toEqual([]);
  });
});

describe('toReasoningChain: fences', () => {
  it('keeps fenced text in streamed reasoning, and drops it from the answer', () => {
    const text = 'plan ```bash\nls\n``` done';
    expect(toReasoningChain(record('ignored', text))).toEqual(words('plan', 'bash', 'ls', 'done'));
    expect(toReasoningChain(record(text))).toEqual(words('plan', 'done'));
  });

  it('keeps streamed reasoning with double backticks whole', () => {
    expect(toReasoningChain(record('', 'a``b c'))).toEqual(words('a', 'b', 'c'));
  });

  it('opens a fence only at three backticks: one or two are separators', () => {
    expect(toReasoningChain(record('use ``a`` and `b` here'))).toEqual(
      words('use', 'a', 'and', 'b', 'here'),
    );
    expect(toReasoningChain(record('ok``x y'))).toEqual(words('ok', 'x', 'y'));
    expect(toReasoningChain(record('run `a` now'))).toEqual(words('run', 'a', 'now'));
  });

  it('ends a word at a fence and resumes after the closing one', () => {
    expect(toReasoningChain(record('see```ls```then'))).toEqual(words('see', 'then'));
  });
});

describe('reasoningChainDistance on short chains', () => {
  it('counts a substitution at the first word', () => {
    // [1] → [2]: one substitution in one word.
    expect(reasoningChainDistance([1], [2])).toBe(1);
    expect(reasoningChainDistance([1, 5], [2, 5])).toBe(0.5);
  });

  it('counts a repeated word as one insertion, whichever chain is longer', () => {
    // [1] → [1, 1]: one insertion, ÷ 2.
    expect(reasoningChainDistance([1], [1, 1])).toBe(0.5);
    expect(reasoningChainDistance([1, 1], [1])).toBe(0.5);
    // [7, 7, 7] → [7]: two deletions, ÷ 3.
    expect(reasoningChainDistance([7, 7, 7], [7])).toBe(2 / 3);
    expect(reasoningChainDistance([7], [7, 7, 7])).toBe(2 / 3);
  });

  it('keeps a matching word in the middle', () => {
    // [1, 2, 3] → [4, 2, 5]: two substitutions, the middle word kept: 2 ÷ 3.
    expect(reasoningChainDistance([1, 2, 3], [4, 2, 5])).toBe(2 / 3);
    // [1, 2, 3, 4] → [2, 3, 4, 5]: delete 1, insert 5: 2 ÷ 4.
    expect(reasoningChainDistance([1, 2, 3, 4], [2, 3, 4, 5])).toBe(0.5);
  });
});
