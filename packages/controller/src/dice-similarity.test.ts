import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diceSimilarity } from './run-features.js';

/** The character bigrams of a text, as two-character strings, sorted. */
function bigrams(text: string): string[] {
  const pairs: string[] = [];
  for (let index = 0; index + 1 < text.length; index += 1) pairs.push(text.slice(index, index + 2));
  return pairs.sort();
}

/** The Dice coefficient by its definition: twice the shared bigrams (as multisets) over all. */
function reference(a: string, b: string): number {
  const left = bigrams(a);
  const right = bigrams(b);
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    if (left[i] === right[j]) {
      shared += 1;
      i += 1;
      j += 1;
    } else if ((left[i] as string) < (right[j] as string)) i += 1;
    else j += 1;
  }
  return left.length + right.length === 0 ? 0 : (2 * shared) / (left.length + right.length);
}

describe('the Dice similarity of two texts', () => {
  it('is twice the shared character bigrams over all bigrams of both texts', () => {
    // night: ni ig gh ht; nacht: na ac ch ht. One shared (ht) of 4 + 4: 2 / 8.
    expect(diceSimilarity('night', 'nacht')).toBe(0.25);
    // 'git diff' has 7 bigrams, all of them among the 16 of 'git diff --cached': 14 / 23.
    expect(diceSimilarity('git diff', 'git diff --cached')).toBe(14 / 23);
    // abc: ab bc; ab: ab. One shared of 2 + 1: 2 / 3, in either order.
    expect(diceSimilarity('abc', 'ab')).toBe(2 / 3);
    expect(diceSimilarity('ab', 'abc')).toBe(2 / 3);
    // git status: gi it 't ' ' s' st ta at tu us (9); git diff: 7. Shared gi it 't ': 6 / 16.
    expect(diceSimilarity('git status', 'git diff')).toBe(0.375);
  });

  it('counts a bigram shared only as often as the text with fewer of it has it', () => {
    // ab: ab; abab: ab ba ab. The one ab of the left matches once: 2 / (1 + 3).
    expect(diceSimilarity('ab', 'abab')).toBe(0.5);
    expect(diceSimilarity('abab', 'ab')).toBe(0.5);
    // aaaa: aa aa aa; aa: aa. One shared of 3 + 1.
    expect(diceSimilarity('aa', 'aaaa')).toBe(0.5);
  });

  it('is 1 for equal texts and 0 for texts with nothing in common', () => {
    expect(diceSimilarity('a', 'a')).toBe(1);
    expect(diceSimilarity('pytest -x', 'pytest -x')).toBe(1);
    expect(diceSimilarity('abc', 'xyz')).toBe(0);
    // One character has no bigram to share; two empty texts share nothing either.
    expect(diceSimilarity('a', 'b')).toBe(0);
    expect(diceSimilarity('a', 'ab')).toBe(0);
    expect(diceSimilarity('', '')).toBe(0);
    expect(diceSimilarity('', 'ok')).toBe(0);
    expect(diceSimilarity('ok', '')).toBe(0);
  });

  it('compares long texts on their first 2,000 characters', () => {
    const head = 'x'.repeat(2000);
    // The first 2,000 characters are equal, so the texts read as equal whatever follows.
    expect(diceSimilarity(`${head}abc`, `${head}def`)).toBe(1);
    expect(diceSimilarity(`${head}yz`, head)).toBe(1);
    expect(diceSimilarity(head, `${head}yz`)).toBe(1);
  });

  it('agrees with the definition on texts over a small alphabet', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', ' ', '-'), { maxLength: 40 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const value = diceSimilarity(a, b);
        expect(value).toBe(a === b && a !== '' ? 1 : reference(a, b));
        expect(diceSimilarity(b, a)).toBe(value);
      }),
    );
  });
});
