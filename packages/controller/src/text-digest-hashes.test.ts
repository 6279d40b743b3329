import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  digestSimilarity,
  digestText,
  fromDigestJson,
  hashExactText,
  sameText,
  signatureWords,
} from './text-digest.js';

/** Murmur3's 32-bit body step: one block into the running hash. */
function murmurStep(hash: number, block: number): number {
  let k = Math.imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let h = hash ^ k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Murmur3's finaliser (fmix32). */
function fmix(hash: number): number {
  let h = hash >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The exact hash as its TSDoc states it, seed 0: Murmur3 over little-endian blocks of four
 * ASCII characters, or of two UTF-16 code units when the text is not ASCII (then finished with
 * the seed 0x9e3779b9); a last, shorter block is zero-padded and stepped like the others.
 */
function referenceExact(text: string): number {
  const codes = Array.from({ length: text.length }, (_, index) => text.charCodeAt(index));
  const ascii = codes.every((code) => code < 128);
  const width = ascii ? 4 : 2;
  const shift = ascii ? 8 : 16;
  let hash = 0;
  for (let start = 0; start < codes.length; start += width) {
    let block = 0;
    codes.slice(start, start + width).forEach((code, index) => {
      block |= code << (index * shift);
    });
    hash = murmurStep(hash, block);
  }
  return fmix((ascii ? hash : hash ^ 0x9e3779b9) ^ codes.length);
}

describe('the exact hash', () => {
  it('is Murmur3 (seed 0) on ASCII texts of whole blocks: the published test vectors', () => {
    // Reference values of MurmurHash3_x86_32 with seed 0 (SMHasher's test vectors).
    const vectors: [string, number][] = [
      ['', 0x00000000],
      ['test', 0xba6bd213],
      ['dude', 0xef0487f3],
      ['kinkajou', 0xb6d99cf8],
    ];
    for (const [text, expected] of vectors) {
      expect(referenceExact(text)).toBe(expected);
      expect(hashExactText(text)).toBe(expected);
      expect(digestText(text).exact).toBe(expected);
    }
  });

  it('hashes any text, ASCII or not, with a partial last block, as the reference does', () => {
    // Code units drawn as integers: mostly printable ASCII, some of any other value.
    const unit = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 32, max: 126 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
    );
    const text = fc.array(unit, { maxLength: 40 }).map((codes) => String.fromCharCode(...codes));
    fc.assert(
      fc.property(text, (value) => {
        expect(hashExactText(value)).toBe(referenceExact(value));
      }),
      { numRuns: 100 },
    );
    // Each remainder of length, ASCII and not.
    for (const value of ['a', 'ab', 'abc', 'abcde', 'é', 'éa', 'éab', 'naïve café']) {
      expect(hashExactText(value)).toBe(referenceExact(value));
    }
  });
});

/** Set bits of a signature, counted on its binary digits. */
const setBits = (signature: Uint32Array) =>
  Array.from(signature).reduce(
    (sum, word) => sum + [...word.toString(2)].filter((digit) => digit === '1').length,
    0,
  );

describe('digestSimilarity, the Jaccard index of the signatures', () => {
  it('counts the set bits of the signature', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        const digest = digestText(text);
        expect(digest.signature).toHaveLength(signatureWords);
        expect(digest.bits).toBe(setBits(digest.signature));
      }),
      { numRuns: 100 },
    );
  });

  it('is shared tokens and pairs over all of them', () => {
    // 'a' is {a}; 'a b' is {a, b, a→b}: 1 shared of 3.
    expect(digestSimilarity(digestText('a'), digestText('a b'))).toBe(1 / 3);
    // 'x y' is {x, y, x→y}, 'y x' is {y, x, y→x}: 2 shared of 4.
    expect(digestSimilarity(digestText('x y'), digestText('y x'))).toBe(2 / 4);
  });

  it('is 1 for two empty texts and 0 between an empty text and any other', () => {
    expect(digestSimilarity(digestText(''), digestText('  ,; '))).toBe(1);
    expect(digestSimilarity(digestText(''), digestText('ls'))).toBe(0);
    expect(digestSimilarity(digestText('ls'), digestText(''))).toBe(0);
  });
});

describe('sameText', () => {
  it('needs the same length as well as the same hash', () => {
    const json = {
      length: 3,
      exact: 0x1234abcd,
      normalised: 7,
      tokens: 1,
      signature: new Array<number>(signatureWords).fill(0),
    };
    expect(sameText(fromDigestJson(json), fromDigestJson({ ...json }))).toBe(true);
    expect(sameText(fromDigestJson(json), fromDigestJson({ ...json, length: 4 }))).toBe(false);
    expect(sameText(fromDigestJson(json), fromDigestJson({ ...json, exact: 0x1234abce }))).toBe(
      false,
    );
  });
});
