import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { ReinsEvent } from '@reins/langchain';
import { textOf } from '@reins/langchain';
import { createOrderAgent, createOrderReins } from './order-agent.js';

/** What a run of the support agent produced. */
export interface OrderAgentResult {
  readonly answer: string;
  readonly events: readonly ReinsEvent[];
  readonly toolsCalled: readonly string[];
}

/**
 * Runs the support agent on one customer message, collecting the Reins events.
 *
 * @param model - the chat model (fake or live).
 * @param message - the customer's message.
 * @param onEvent - called with each Reins event as it happens.
 */
export async function runOrderAgent(
  model: BaseChatModel,
  message: string,
  onEvent: (event: ReinsEvent) => void = () => {},
): Promise<OrderAgentResult> {
  const reins = createOrderReins();
  const events: ReinsEvent[] = [];
  reins.on('*', (event) => {
    events.push(event);
    onEvent(event);
  });
  const agent = createOrderAgent(model, reins);
  const result = await agent.invoke({ messages: [{ role: 'user', content: message }] });
  const toolsCalled = result.messages.flatMap((entry) =>
    entry.getType() === 'tool' && entry.name !== undefined ? [entry.name] : [],
  );
  return { answer: textOf(result.messages.at(-1)?.content ?? ''), events, toolsCalled };
}
