/**
 * Turns texts into vectors, for the convergence exit's step similarity. May answer
 * synchronously (the built-in lexical embedding) or with a promise (a model).
 *
 * @example
 * ```ts
 * const embedding: TextEmbedding = { embed: (texts) => texts.map((text) => [text.length]) };
 * ```
 */
export interface TextEmbedding {
  /** One vector per text, in order. */
  embed(
    texts: readonly string[],
  ): readonly (readonly number[])[] | PromiseLike<readonly (readonly number[])[]>;
}

/**
 * The part of a LangChain `Embeddings` (from `@langchain/core/embeddings`) that Reins uses;
 * any LangChain embeddings class (OpenAIEmbeddings, OllamaEmbeddings, …) fits.
 */
export interface LangChainEmbeddingsLike {
  embedDocuments(documents: string[]): Promise<number[][]>;
}

/**
 * Wraps a LangChain `Embeddings` as a {@link TextEmbedding}.
 *
 * @param embeddings - any LangChain embeddings object.
 * @returns the embedding for `createConvergenceExit({ embedding })`.
 * @example
 * ```ts
 * import { OpenAIEmbeddings } from '@langchain/openai';
 * const exit = createConvergenceExit({ embedding: fromLangChainEmbeddings(new OpenAIEmbeddings()) });
 * ```
 */
export function fromLangChainEmbeddings(embeddings: LangChainEmbeddingsLike): TextEmbedding {
  return { embed: (texts) => embeddings.embedDocuments([...texts]) };
}

/**
 * Cosine similarity of two vectors (0 when either is all zeros).
 * @example
 * ```ts
 * cosineSimilarity([1, 0], [1, 1]); // 0.7071…
 * ```
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const length = Math.min(a.length, b.length);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < length; index++) {
    const x = a[index] as number;
    const y = b[index] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  for (let index = length; index < a.length; index++) normA += (a[index] as number) ** 2;
  for (let index = length; index < b.length; index++) normB += (b[index] as number) ** 2;
  if (normA === 0 || normB === 0) return 0;
  return dot / Math.sqrt(normA * normB);
}
