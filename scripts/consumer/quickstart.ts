/**
 * A first agent as a user writes it in a project of their own: a tool, a turn budget with
 * reminders, the stuck-loop monitor, and the scripted model from `@reins/core/testing`.
 */
import { createController, createStuckMonitor, createTurnBudget } from '@reins/controller';
import { type AgentEvent, createAgent, defineTool } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { z } from 'zod';

const readNotes = defineTool({
  name: 'read_notes',
  description: 'Reads the notes file.',
  input: z.object({}),
  execute: () => 'Meeting moved to Thursday.',
});

const backend = createScriptedBackend({
  responses: [
    { toolCalls: [{ name: 'read_notes', arguments: {} }] },
    { text: 'The meeting is on Thursday.' },
  ],
});
const controller = createController({
  budget: createTurnBudget({ mode: 'fixed', limit: 5 }),
  monitors: [createStuckMonitor()],
});
const agent = createAgent({ backend, tools: [readNotes], controller, instructions: 'Be brief.' });
const handle = agent.run('When is the meeting?');
const seen: AgentEvent['type'][] = [];
handle.on('*', (event) => seen.push(event.type));
const result = await handle.result;
if (result.status !== 'done' || result.output !== 'The meeting is on Thursday.') {
  throw new Error(`Unexpected result: ${JSON.stringify(result.status)} ${result.output}`);
}
console.log(`quickstart: ${result.status} after ${result.turns} turns, ${seen.length} events`);
