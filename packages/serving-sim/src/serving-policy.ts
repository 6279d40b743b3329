import type { Program } from './workload.js';

/**
 * The server's load when a response completes: what a client can read from the server's
 * metrics (vLLM's `/metrics`: `vllm:kv_cache_usage_perc`, `vllm:num_requests_waiting`,
 * `vllm:num_requests_running`).
 */
export interface ServerPressure {
  /**
   * Share of the KV cache that no admission can reclaim, 0 to 1: running requests and pinned
   * caches, as vLLM's `vllm:kv_cache_usage_perc` counts it (idle caches kept for their prefix
   * are free blocks there, and so is the cache of the response just completed).
   */
  readonly kvUsage: number;
  /** Requests waiting to be admitted. */
  readonly waitingRequests: number;
  /** Requests running. */
  readonly runningRequests: number;
}

/** What a policy sees when a program's response completes. */
export interface PinContext {
  readonly program: Program;
  /** The turn (0-based) whose response just completed. */
  readonly turnIndex: number;
  /** Tokens of the program's cache now (prompt and output of this turn). */
  readonly contextTokens: number;
  /** Whether this was the program's last call. */
  readonly isLastStep: boolean;
  readonly nowMs: number;
  /** The server's load now. */
  readonly pressure: ServerPressure;
}

/** Whether and how long to pin a program's cache after its response. */
export interface PinDecision {
  readonly pin: boolean;
  readonly ttlMs: number;
}

/**
 * How the simulated server schedules requests and keeps caches: `'fcfs'` orders waiting and
 * running requests by the request's arrival (vLLM), `'program-fcfs'` by the program's arrival
 * (Continuum); `pin` decides a TTL pin after each response (none: plain LRU eviction).
 */
export interface ServingPolicy {
  readonly name: string;
  readonly scheduling: 'fcfs' | 'program-fcfs';
  pin?(context: PinContext): PinDecision;
  /** Learns the duration of the tool that ran after `turnIndex`, when the next request arrives. */
  observeTool?(program: Program, turnIndex: number, durationMs: number): void;
}
