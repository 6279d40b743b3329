/**
 * A LangChain `createAgent` agent with the Reins controller as middleware: the turn budget stops
 * an agent that would otherwise call its tool forever.
 */

import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { createController, createTurnBudget } from '@reins/controller';
import { reinsMiddleware } from '@reins/langchain';
import { createAgent, tool } from 'langchain';
import { z } from 'zod';

const echo = tool(({ text }: { text: string }) => `echo: ${text}`, {
  name: 'echo',
  description: 'Echoes its text.',
  schema: z.object({ text: z.string() }),
});
let model = fakeModel();
for (let index = 0; index < 10; index++)
  model = model.respondWithTools([{ name: 'echo', args: { text: `step ${index}` } }]);
model = model.respond(new AIMessage('never reached'));

const reins = reinsMiddleware(
  createController({ budget: createTurnBudget({ mode: 'fixed', limit: 3 }) }),
);
const agent = createAgent({ model, tools: [echo], middleware: [reins] });
const result = await agent.invoke({ messages: [{ role: 'user', content: 'Echo forever.' }] });
const toolMessages = result.messages.filter((message) => message.type === 'tool');
if (toolMessages.length >= 10) throw new Error('The turn budget did not stop the agent.');
console.log(`langchain-agent: stopped after ${toolMessages.length} tool calls`);
