import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { createController, createStuckMonitor, createTurnBudget } from '@reins/controller';
import { reinsMiddleware } from '@reins/langchain';
import { createAgent, tool } from 'langchain';
import { z } from 'zod';

/** The shop's orders, as the agent's tools see them. */
export const orders: Readonly<Record<string, { item: string; status: string; paidUsd: number }>> = {
  'A-1001': { item: 'kettle', status: 'delivered', paidUsd: 39 },
  'A-1002': { item: 'toaster', status: 'lost in transit', paidUsd: 54 },
};

const lookupOrder = tool(
  async ({ orderId }: { orderId: string }) => {
    const order = orders[orderId];
    return order === undefined ? `No order ${orderId}.` : JSON.stringify({ orderId, ...order });
  },
  {
    name: 'lookup_order',
    description: 'Looks up an order by its id, e.g. A-1001.',
    schema: z.object({ orderId: z.string() }),
  },
);

const refund = tool(
  async ({ orderId, amountUsd }: { orderId: string; amountUsd: number }) =>
    `Refunded ${amountUsd} USD for order ${orderId}.`,
  {
    name: 'refund',
    description: 'Refunds an amount for an order.',
    schema: z.object({ orderId: z.string(), amountUsd: z.number() }),
  },
);

/**
 * The Reins middleware of this agent: at most 6 model calls, reminders of the turns left, the
 * stuck monitor. Returned so that the caller can listen to its events and interrupt runs.
 */
export function createOrderReins() {
  return reinsMiddleware(
    createController({
      budget: createTurnBudget({ mode: 'fixed', limit: 6 }),
      monitors: [createStuckMonitor()],
    }),
  );
}

/**
 * A support agent built with LangChain's `createAgent`, as it existed before Reins. The one
 * line that gives it budgets, monitors and interruptions is `middleware: [reins]`.
 */
export function createOrderAgent(model: BaseChatModel, reins = createOrderReins()) {
  return createAgent({
    model,
    tools: [lookupOrder, refund],
    systemPrompt: 'You are a support agent for a small shop. Check orders before refunding.',
    middleware: [reins], // ← the one line that adds Reins
  });
}
