import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createLexicalEmbedding } from './lexical-embedding.js';

/** The non-zero entries of a vector, ascending. */
const nonZero = (vector: readonly number[]) =>
  vector.filter((value) => value !== 0).sort((a, b) => a - b);

const embedOne = (text: string, options = {}) =>
  (createLexicalEmbedding(options).embed([text]) as number[][])[0] as number[];

describe('createLexicalEmbedding', () => {
  it('hashes a word with 32-bit FNV-1a into one of 512 buckets', () => {
    // FNV-1a of "a" is 0xe40c292c (the published test vector); 0xe40c292c mod 512 = 300.
    const vector = embedOne('a');
    expect(vector).toHaveLength(512);
    expect(vector[300]).toBe(1);
    expect(nonZero(vector)).toEqual([1]);
    expect(embedOne('a', { dimensions: 16 })).toHaveLength(16);
    // 0xe40c292c mod 16 = 12.
    expect(embedOne('a', { dimensions: 16 })[12]).toBe(1);
  });

  it('weighs a term by the square root of its count, and normalises to length 1', () => {
    // a: 4 times (weight 2), b: once (weight 1); no pairs.
    const vector = embedOne('a a a a b', { bigrams: false });
    const [low, high] = nonZero(vector);
    expect(low).toBeCloseTo(1 / Math.sqrt(5), 12);
    expect(high).toBeCloseTo(2 / Math.sqrt(5), 12);
  });

  it('adds each pair of consecutive words at half weight, unless told not to', () => {
    // a, b, c at 1 and the pairs "a b", "b c" at 0.5: weights 1, 1, 1, √0.5, √0.5.
    const withPairs = nonZero(embedOne('a b c'));
    const norm = Math.sqrt(3 + 2 * 0.5);
    expect(withPairs).toHaveLength(5);
    expect(withPairs[0]).toBeCloseTo(Math.sqrt(0.5) / norm, 12);
    expect(withPairs[4]).toBeCloseTo(1 / norm, 12);
    expect(nonZero(embedOne('a b c', { bigrams: false }))).toEqual(Array(3).fill(1 / Math.sqrt(3)));
  });

  it('reads lower-cased words and numbers with their separators as terms', () => {
    expect(embedOne('APPLE pie')).toEqual(embedOne('apple pie'));
    // One term each: no pair, one bucket.
    for (const term of ['42', '3.14', '1,000,000', 'seven'])
      expect(nonZero(embedOne(term))).toEqual([1]);
    // Punctuation and spaces separate terms: two terms and their pair.
    expect(nonZero(embedOne('x-ray'))).toHaveLength(3);
  });

  it('gives text without terms the zero vector', () => {
    for (const text of ['', '!!! ...', '   ']) expect(nonZero(embedOne(text))).toEqual([]);
  });

  it('embeds each text of a batch alone, in order', () => {
    const embedding = createLexicalEmbedding();
    expect(embedding.embed(['a', 'b c'])).toEqual([embedOne('a'), embedOne('b c')]);
  });

  it.each([0, -2, 1.5, Number.NaN])('refuses %s dimensions', (dimensions) => {
    let error: unknown;
    try {
      createLexicalEmbedding({ dimensions });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'dimensions',
      message: `dimensions must be a positive integer; received ${dimensions}. Try 512.`,
    });
  });
});
