import { z } from 'zod';

/**
 * The kinds of interruption; see {@link interruptInputSchema}.
 *
 * @example
 * ```ts
 * interruptKindSchema.options; // ['addition', 'revision', 'retraction', 'stop', 'answer-now']
 * ```
 */
export const interruptKindSchema = z.enum([
  'addition',
  'revision',
  'retraction',
  'stop',
  'answer-now',
]);

/**
 * A user's change of mind while a run is going:
 * - `addition`: a new requirement;
 * - `revision`: a corrected value or goal;
 * - `retraction`: a requirement dropped, or (with `scope: 'task'`) the whole task dropped;
 * - `stop`: end now with what is done;
 * - `answer-now`: close the reasoning and answer at once, in at most `answerMaxTokens` tokens
 *   (urgent unless `urgency` says otherwise).
 *
 * `urgency: 'next-turn'` applies it at the next decision point; `'now'` aborts in-flight work
 * (the model request and running tools) first.
 */
export const interruptInputSchema = z.object({
  kind: interruptKindSchema,
  text: z.string().default(''),
  urgency: z.enum(['next-turn', 'now']).default('next-turn'),
  /** For retractions: `'task'` drops the whole task; `'requirement'` (default) drops a part. */
  scope: z.enum(['requirement', 'task']).optional(),
  /** For `answer-now` and `stop`: cap on the forced answer's tokens, against reasoning leaking into it. */
  answerMaxTokens: z.number().int().positive().optional(),
});

/** What a caller passes to `handle.interrupt(...)`; see {@link interruptInputSchema}. */
export type InterruptInput = z.input<typeof interruptInputSchema>;

/** An interruption as the run records it: the input plus id, arrival time and turn. */
export const interruptSchema = interruptInputSchema.extend({
  id: z.string(),
  receivedAt: z.number(),
  turn: z.number().int().nonnegative(),
});

/** An interruption as recorded; see {@link interruptSchema}. */
export type Interrupt = z.infer<typeof interruptSchema>;

/** The kind of an interruption. */
export type InterruptKind = Interrupt['kind'];
