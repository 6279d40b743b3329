import { z } from 'zod';
import { usageSchema } from './usage.js';

/** Why a model call ended. */
export const finishReasonSchema = z.enum([
  'stop',
  'tool-calls',
  'length',
  'content-filter',
  'error',
  'other',
]);
/** Why a model call ended; see {@link finishReasonSchema}. */
export type FinishReason = z.infer<typeof finishReasonSchema>;

/** Log-probability of one generated token, with the most likely alternatives. */
export const tokenLogprobSchema = z.object({
  token: z.string(),
  logprob: z.number(),
  topLogprobs: z.array(z.object({ token: z.string(), logprob: z.number() })).optional(),
});
/** Log-probability of one generated token; see {@link tokenLogprobSchema}. */
export type TokenLogprob = z.infer<typeof tokenLogprobSchema>;

/**
 * One part of a streaming model response. A stream is any sequence of deltas, tool calls,
 * log-probabilities and usage, ended by exactly one `finish`.
 *
 * - `tool-call-delta` streams a call's arguments; `tool-call` carries the complete call and is
 *   what the loop acts on.
 * - `refusal-delta` streams the model's refusal to answer (OpenAI's `delta.refusal`): it is
 *   kept apart from the text so that a refusal is never mistaken for an answer.
 * - `usage` may arrive once, anywhere before `finish`.
 * - `restart` says the backend retried the call after output had been streamed: everything
 *   streamed before it is void (the loop empties the draft) and the parts after it are the new
 *   attempt's. The void output still cost money; the loop counts its bytes.
 * - `finish` may carry the server's own reason (`rawReason`) when it had no Reins equivalent
 *   and was mapped to `other`.
 */
export const modelStreamPartSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text-delta'), delta: z.string() }),
  z.object({ type: z.literal('reasoning-delta'), delta: z.string() }),
  z.object({ type: z.literal('refusal-delta'), delta: z.string() }),
  z.object({
    type: z.literal('tool-call-delta'),
    id: z.string(),
    name: z.string().optional(),
    argumentsDelta: z.string(),
  }),
  z.object({
    type: z.literal('tool-call'),
    id: z.string().min(1),
    name: z.string().min(1),
    arguments: z.string(),
  }),
  z.object({ type: z.literal('logprobs'), tokens: z.array(tokenLogprobSchema) }),
  z.object({ type: z.literal('usage'), usage: usageSchema.partial() }),
  z.object({ type: z.literal('restart'), reason: z.string() }),
  z.object({
    type: z.literal('finish'),
    reason: finishReasonSchema,
    /** The server's own finish reason, when it differs from `reason` (e.g. a vendor value mapped to `other`). */
    rawReason: z.string().optional(),
  }),
]);

/** One part of a streaming model response; see {@link modelStreamPartSchema}. */
export type ModelStreamPart = z.infer<typeof modelStreamPartSchema>;
