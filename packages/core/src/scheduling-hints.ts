import { z } from 'zod';

/**
 * Scheduling hints for the model server, produced by the controller per request and passed
 * through the backend, which maps them to the fields its server understands (and drops the rest).
 */
export const schedulingHintsSchema = z.object({
  /** Identifies the agent program (run) across its requests. */
  programId: z.string(),
  /** The turn this request belongs to (1-based). */
  turn: z.number().int().positive(),
  /** Whether this is likely the run's last model call: no cache need be kept after it. */
  isLastStep: z.boolean().optional(),
  /** Expected pause, in milliseconds, between this response and the next request (tool time). */
  expectedPauseMs: z.number().nonnegative().optional(),
  /** How long the server should keep this program's KV cache after the response, in milliseconds. */
  ttlMs: z.number().nonnegative().optional(),
  /** Whether the server should pin (not evict) the cache for `ttlMs`. */
  pin: z.boolean().optional(),
  /** Scheduling priority; lower runs first (e.g. program arrival time, for program-level FCFS). */
  priority: z.number().optional(),
  /** Key grouping requests that share a prompt prefix (e.g. OpenAI `prompt_cache_key`). */
  cacheKey: z.string().optional(),
  /** Provider-specific extras, passed through as they are. */
  extra: z.record(z.string(), z.unknown()).optional(),
});

/** Scheduling hints for the model server; see {@link schedulingHintsSchema}. */
export type SchedulingHints = z.infer<typeof schedulingHintsSchema>;
