import type { DurationDistribution } from './duration-distribution.js';

/**
 * The model server's load, as a client reads it from the server's metrics (vLLM's `/metrics`:
 * `vllm:kv_cache_usage_perc`, `vllm:num_requests_waiting`).
 */
export interface ServerLoad {
  /**
   * Share of the KV cache in use, 0 to 1, as the server reports it: in vLLM, blocks held by
   * running requests (and pinned caches); idle caches kept only for their prefix are free blocks.
   */
  readonly kvUsage: number;
  /** Requests waiting to be admitted. */
  readonly waitingRequests: number;
}

/** What a TTL rule decides from: the predicted pause and what a cache miss would cost. */
export interface TtlRuleInput {
  /** Distribution of the pause after this response (the tool's duration). */
  readonly pause: DurationDistribution;
  /** Tokens of the program's cached context after this response (prompt + output). */
  readonly contextTokens: number;
  /** Whether this is (likely) the program's last model call. */
  readonly isLastStep: boolean;
  /** Expected model calls still to come after this one. */
  readonly remainingTurns: number;
  /** The server's load now, when the client can read it. */
  readonly pressure?: ServerLoad;
}

/** A TTL rule's decision, with the numbers it weighed. */
export interface TtlDecision {
  /** Whether to pin the cache (not evict it) for `ttlMs`. */
  readonly pin: boolean;
  /** How long to keep the cache, in milliseconds (0 when not pinned). */
  readonly ttlMs: number;
  /** The rule that decided. */
  readonly rule: string;
  /** P(the pause ends within `ttlMs`). */
  readonly hitProbability: number;
  /** Expected server time saved by not reloading, in milliseconds (prefill and requeue). */
  readonly expectedSavingMs: number;
  /** Expected cost of holding the memory, in the same unit. */
  readonly expectedCostMs: number;
}

/** Decides whether and how long to pin a program's KV cache after a response. */
export interface TtlRule {
  readonly name: string;
  decide(input: TtlRuleInput): TtlDecision;
}
