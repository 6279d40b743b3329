import { InvalidOptionsError } from '@reins/core';
import type { TextEmbedding } from './text-embedding.js';

/** Options of {@link createLexicalEmbedding}. */
export interface LexicalEmbeddingOptions {
  /** Vector length (hash buckets). @defaultValue 512 */
  readonly dimensions?: number;
  /** Also hash pairs of consecutive words, so word order counts a little. @defaultValue true */
  readonly bigrams?: boolean;
}

/**
 * Creates the built-in lexical embedding: words and numbers, lower-cased, hashed (FNV-1a) into
 * `dimensions` buckets with square-root term weights, plus word pairs, L2-normalised. No model,
 * no I/O, synchronous: two steps that say the same thing with the same words and numbers score
 * close to 1, and a step that moves on scores low. It does not see paraphrases; pass a model's
 * embeddings (`fromLangChainEmbeddings`) for that.
 *
 * @param options - dimensions and bigrams.
 * @returns the embedding.
 * @example
 * ```ts
 * const embedding = createLexicalEmbedding();
 * const [a, b] = embedding.embed(['So the total is 42.', 'The total is 42.']);
 * cosineSimilarity(a, b); // ≈ 0.8
 * ```
 */
export function createLexicalEmbedding(
  options: LexicalEmbeddingOptions = {},
): TextEmbedding & { embed(texts: readonly string[]): number[][] } {
  const dimensions = options.dimensions ?? 512;
  const bigrams = options.bigrams ?? true;
  if (!(Number.isInteger(dimensions) && dimensions > 0))
    throw new InvalidOptionsError(
      'dimensions',
      `dimensions must be a positive integer; received ${dimensions}. Try 512.`,
    );
  const embedOne = (text: string): number[] => {
    const counts = new Float64Array(dimensions);
    const words = text.toLowerCase().match(/[a-z]+|\d+(?:[.,]\d+)*/g) ?? [];
    let previous: string | undefined;
    for (const word of words) {
      const index = hash(word) % dimensions;
      counts[index] = (counts[index] as number) + 1;
      if (bigrams && previous !== undefined) {
        const pair = hash(`${previous} ${word}`) % dimensions;
        counts[pair] = (counts[pair] as number) + 0.5;
      }
      previous = word;
    }
    let norm = 0;
    for (let index = 0; index < dimensions; index++) {
      const value = Math.sqrt(counts[index] as number);
      counts[index] = value;
      norm += value * value;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    return Array.from(counts, (value) => value * scale);
  };
  return { embed: (texts) => texts.map(embedOne) };
}

/** 32-bit FNV-1a. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}
