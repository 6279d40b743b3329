import type { Message } from './message.js';

/**
 * The id under which each tool call of a history goes back to its model server: the server's
 * own id (`providerCallId`), so that it can match each result to the call it made; Reins' id
 * when the server gave none, or when an earlier call of the same history already carried the
 * server's id (a server that repeats ids, e.g. `call_0` every turn), so that no two calls are
 * ever sent under one id. Backends use it for the assistant's calls and for the tool results
 * alike.
 *
 * @param messages - the history being sent.
 * @returns the id to send, by Reins call id (for every call of `messages`).
 * @example
 * ```ts
 * const sent = providerCallIds(request.messages);
 * const toolCallId = sent.get(message.toolCallId) ?? message.toolCallId;
 * ```
 */
export function providerCallIds(messages: readonly Message[]): ReadonlyMap<string, string> {
  const sent = new Map<string, string>();
  const used = new Set<string>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const call of message.toolCalls) {
      const provided = call.providerCallId;
      const id = provided === undefined || used.has(provided) ? call.id : provided;
      used.add(id);
      sent.set(call.id, id);
    }
  }
  return sent;
}
