import { describe, expect, it } from 'vitest';
import { cosineSimilarity, fromLangChainEmbeddings } from './text-embedding.js';

describe('cosineSimilarity', () => {
  it('is the cosine of two vectors, the longer one counted whole', () => {
    expect(cosineSimilarity([1, 0], [1, 0])).toBe(1);
    expect(cosineSimilarity([1, 0], [0, 2])).toBe(0);
    // [3, 4] against [3, 4, 12]: 25 / (5 × 13).
    expect(cosineSimilarity([3, 4], [3, 4, 12])).toBeCloseTo(25 / 65, 12);
    expect(cosineSimilarity([3, 4, 12], [3, 4])).toBeCloseTo(25 / 65, 12);
  });

  it('is 0 against a zero vector', () => {
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(cosineSimilarity([1, 1], [])).toBe(0);
  });
});

describe('fromLangChainEmbeddings', () => {
  it('embeds a batch through embedDocuments, with a copy of the texts', async () => {
    const received: string[][] = [];
    const embedding = fromLangChainEmbeddings({
      embedDocuments: async (documents: string[]) => {
        received.push(documents);
        return documents.map((document) => [document.length]);
      },
    });
    const texts = Object.freeze(['ab', 'abc']);
    expect(await embedding.embed(texts)).toEqual([[2], [3]]);
    expect(received).toEqual([['ab', 'abc']]);
    expect(Object.isFrozen(received[0])).toBe(false);
  });
});
