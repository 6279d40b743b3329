import { z } from 'zod';

/**
 * Token and cost accounting for one model call or a whole run.
 * `cachedInputTokens` and `reasoningTokens` are parts of `inputTokens` and `outputTokens`.
 */
export const usageSchema = z.object({
  /** Prompt tokens, cached ones included. */
  inputTokens: z.number().int().nonnegative(),
  /** Prompt tokens served from the provider's prompt cache. */
  cachedInputTokens: z.number().int().nonnegative(),
  /** Completion tokens, reasoning included. */
  outputTokens: z.number().int().nonnegative(),
  /** Completion tokens spent on reasoning. */
  reasoningTokens: z.number().int().nonnegative(),
  /** Cost in US dollars, when the backend knows the price. */
  costUsd: z.number().nonnegative(),
});

/** Token and cost accounting; see {@link usageSchema}. */
export type Usage = z.infer<typeof usageSchema>;

/** Some fields of a usage, as a backend reports them part by part. */
export type UsagePatch = { readonly [TKey in keyof Usage]?: number | undefined };

/** A usage of zero. */
export const emptyUsage: Usage = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  costUsd: 0,
});

/**
 * Adds two usages field by field.
 * @example
 * ```ts
 * const total = addUsage(emptyUsage, { ...emptyUsage, inputTokens: 10 });
 * ```
 */
export function addUsage(a: Usage, b: UsagePatch): Usage {
  return {
    inputTokens: a.inputTokens + (b.inputTokens ?? 0),
    cachedInputTokens: a.cachedInputTokens + (b.cachedInputTokens ?? 0),
    outputTokens: a.outputTokens + (b.outputTokens ?? 0),
    reasoningTokens: a.reasoningTokens + (b.reasoningTokens ?? 0),
    costUsd: a.costUsd + (b.costUsd ?? 0),
  };
}
