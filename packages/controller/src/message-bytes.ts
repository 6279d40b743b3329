import type { Message } from '@reins/core';
import { toolResultText, utf8Length } from '@reins/core';

/**
 * Creates a counter of the UTF-8 bytes of a run's messages that counts each message once: the
 * sums of the longest prefix of the same message objects as last time are kept, so a history
 * that only grows costs one message per new message, and a rewritten one (a compaction) is
 * recounted from where it changed.
 *
 * @returns a function of the messages and a start index giving the bytes of `messages[from..]`.
 * @example
 * ```ts
 * const bytesOf = createMessageBytesCounter();
 * bytesOf(view.messages, 0); // every message, counted
 * bytesOf(view.messages, 0); // the same, from the kept sums
 * ```
 */
export function createMessageBytesCounter(): (
  messages: readonly Message[],
  from: number,
) => number {
  const counted: Message[] = [];
  /** `sums[i]` is the bytes of `counted[0..i)`. */
  const sums: number[] = [0];
  return (messages, from) => {
    let same = 0;
    const shared = Math.min(counted.length, messages.length);
    while (same < shared && counted[same] === messages[same]) same++;
    counted.length = same;
    sums.length = same + 1;
    for (let index = same; index < messages.length; index++) {
      const message = messages[index] as Message;
      counted.push(message);
      sums.push((sums[index] as number) + messageBytes(message));
    }
    return (sums[messages.length] as number) - (sums[Math.min(from, messages.length)] as number);
  };
}

/**
 * The UTF-8 bytes a message adds to a prompt: its text, reasoning and tool calls, plus a few
 * bytes of framing.
 * @example
 * ```ts
 * messageBytes({ role: 'user', content: 'hi' }); // 10
 * ```
 */
export function messageBytes(message: Message): number {
  if (message.role === 'tool') return utf8Length(toolResultText(message.result)) + 16;
  let bytes = utf8Length(message.content) + 8;
  if (message.role === 'assistant') {
    if (message.reasoning !== undefined) bytes += utf8Length(message.reasoning);
    for (const call of message.toolCalls)
      bytes += utf8Length(call.name) + utf8Length(call.arguments) + 16;
  }
  return bytes;
}
