import { z } from 'zod';
import { interruptKindSchema } from './interrupt.js';
import { usageSchema } from './usage.js';

/**
 * A tool call requested by the model. `arguments` is the raw JSON text the model produced.
 * `id` is made by Reins, unique within the run and stable across a crash once the step that
 * holds the call is saved (the idempotency key tools receive as `callId`); `providerCallId` is
 * the id the model server gave the call, which backends send back with its result.
 */
export const toolCallSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  providerCallId: z.string().min(1).optional(),
});

/** A tool call requested by the model; see {@link toolCallSchema}. */
export type ToolCall = z.infer<typeof toolCallSchema>;

/**
 * The one result every tool call gets: its output, its error, or `cancelled`
 * (interrupted, aborted or stopped before it finished).
 */
export const toolResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), output: z.string() }),
  z.object({
    status: z.literal('error'),
    error: z.object({ code: z.string(), message: z.string(), name: z.string().optional() }),
  }),
  z.object({ status: z.literal('cancelled'), reason: z.string() }),
]);

/** The result of one tool call; see {@link toolResultSchema}. */
export type ToolResult = z.infer<typeof toolResultSchema>;

/** Where a user message came from: the task, an interruption, or a controller. */
const userOriginSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('task') }),
  z.object({
    kind: z.literal('interrupt'),
    interruptId: z.string(),
    interruptKind: interruptKindSchema,
    /** Every interruption the message carries, in order, when several were merged into it. */
    interruptIds: z.array(z.string()).optional(),
  }),
  z.object({ kind: z.literal('controller'), source: z.string() }),
]);

/** A message in a run's history. Discriminated on `role`. */
export const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }),
  z.object({ role: z.literal('user'), content: z.string(), origin: userOriginSchema.optional() }),
  z.object({
    role: z.literal('assistant'),
    content: z.string(),
    reasoning: z.string().optional(),
    /** The model's refusal to answer, when it refused (OpenAI's `refusal`); `content` is then usually empty. */
    refusal: z.string().optional(),
    toolCalls: z.array(toolCallSchema),
    /** Set when the call was cut short by an interrupt, a stop or an abort: the output is partial. */
    interrupted: z.boolean().optional(),
    usage: usageSchema.optional(),
  }),
  z.object({
    role: z.literal('tool'),
    toolCallId: z.string(),
    toolName: z.string(),
    result: toolResultSchema,
  }),
]);

/** A message in a run's history; see {@link messageSchema}. */
export type Message = z.infer<typeof messageSchema>;
/** A system message. */
export type SystemMessage = Extract<Message, { role: 'system' }>;
/** A user message: the task, an interruption's update, or an injected controller message. */
export type UserMessage = Extract<Message, { role: 'user' }>;
/** A model turn: text, optional reasoning, tool calls. */
export type AssistantMessage = Extract<Message, { role: 'assistant' }>;
/** The result of one tool call. */
export type ToolMessage = Extract<Message, { role: 'tool' }>;

/**
 * Renders a tool result as the text a model reads.
 * @example
 * ```ts
 * toolResultText({ status: 'ok', output: '42' }); // '42'
 * ```
 */
export function toolResultText(result: ToolResult): string {
  switch (result.status) {
    case 'ok':
      return result.output;
    case 'error':
      return `Error (${result.error.code}): ${result.error.message}`;
    case 'cancelled':
      return `Cancelled: ${result.reason}`;
  }
}
