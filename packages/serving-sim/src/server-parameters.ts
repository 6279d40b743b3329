/**
 * The model server being simulated: KV capacity, batch limits and the cost of one engine step.
 * A step runs every admitted request once: prefill chunks (up to the token budget) and one
 * decode token per decoding request, and lasts
 * `stepBaseMs + Σ chunk × (prefillMsPerToken + context × prefillMsPerTokenPerContextToken) +
 * decodingRequests × decodeMsPerRequest + contextTokens × decodeMsPerContextToken`.
 */
export interface ServerParameters {
  /** KV-cache capacity, in tokens (a whole number of blocks). */
  readonly capacityTokens: number;
  /**
   * Tokens per KV block (vLLM's `block_size`): a request holds whole blocks, and a prefix is
   * found in the cache only in whole blocks.
   * @defaultValue 1
   */
  readonly blockTokens?: number;
  /** Tokens scheduled per step (prefill chunks plus decode tokens), as vLLM's `max_num_batched_tokens`. */
  readonly maxBatchTokens: number;
  /** Requests running at once, as vLLM's `max_num_seqs`. */
  readonly maxRunningRequests: number;
  /** Fixed cost of a step: reading the weights once, plus scheduling. */
  readonly stepBaseMs: number;
  /** Prefill cost per token (compute bound: the weights' matrix products). */
  readonly prefillMsPerToken: number;
  /**
   * Prefill cost per token per token of context before it (attention's products grow with the
   * context). @defaultValue 0
   */
  readonly prefillMsPerTokenPerContextToken?: number;
  /** Decode cost per decoding request (sampling, per-request overhead). */
  readonly decodeMsPerRequest: number;
  /** Decode cost per token of context read by attention (memory bound). */
  readonly decodeMsPerContextToken: number;
}

/**
 * Llama-3.1-70B (bf16) on four 80 GB H100s with tensor parallelism, as in Continuum's SWE-bench
 * setup:
 * - capacity: 4 × 80 GB − 141 GB of weights ≈ 150 GB at 90 % utilisation for KV; a token takes
 *   80 layers × 8 KV heads × 128 dims × 2 (K and V) × 2 bytes = 320 KiB: about 420 000 tokens;
 * - step base 20 ms: 141 GB of weights read at 4 × 3.35 TB/s ≈ 10.5 ms, plus kernel and
 *   scheduling overhead;
 * - prefill 0.1 ms per token (10 000 tokens/s): 2 × 70 G FLOPs per token at about 40 % of
 *   4 × 989 TFLOPs;
 * - decode 0.2 ms per request and 320 KiB per context token read at 13.4 TB/s ≈ 0.000025 ms;
 * - 8192 batched tokens and 256 running requests (vLLM's defaults for chunked prefill).
 */
export const llama70bOnFourH100: ServerParameters = {
  capacityTokens: 420_000,
  blockTokens: 16,
  maxBatchTokens: 8192,
  maxRunningRequests: 256,
  stepBaseMs: 20,
  prefillMsPerToken: 0.1,
  decodeMsPerRequest: 0.2,
  decodeMsPerContextToken: 0.000025,
};
