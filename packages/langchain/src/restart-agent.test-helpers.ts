import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { createController, createStuckMonitor, createTurnBudget } from '@reins/controller';
import { createAgent, tool } from 'langchain';
import { z } from 'zod';
import type { ReinsEvent } from './reins-event.js';
import { reinsMiddleware } from './reins-middleware.js';
import { ToolHungryModel } from './test-agent-parts.test-helpers.js';

/** The thread the restart test runs. */
export const restartThread = { configurable: { thread_id: 'restart-thread' } };

/** The turn budget of the restart test's controller. */
export const restartBudget = 8;

/** An event as the restart test compares it: what happened at which turn. */
export function describeEvent(event: ReinsEvent): string {
  const extra = event.type === 'run.stop' ? `:${event.reason}` : '';
  return `${event.type}@${event.turn}${extra}`;
}

/**
 * The agent of the restart test, on a SQLite checkpoint file: a model that keeps calling the
 * same tool with the same text (so the stuck monitor's window fills), a turn budget of 8 and
 * the stuck monitor. `hangAtCall` makes the tool call with that id never finish.
 */
export function createRestartAgent(options: {
  readonly file: string;
  readonly hangAtCall?: string;
  readonly onHang?: () => void;
  readonly onEvent: (event: ReinsEvent) => void;
}) {
  const checkpointer = SqliteSaver.fromConnString(options.file);
  const model = new ToolHungryModel(Number.POSITIVE_INFINITY, () => 'same');
  const echo = tool(
    (input: { text: string }, config?: { toolCall?: { id?: string } }) => {
      if (config?.toolCall?.id === options.hangAtCall) {
        options.onHang?.();
        return new Promise<string>(() => {});
      }
      return `echo: ${input.text}`;
    },
    { name: 'echo', description: 'Echoes the text.', schema: z.object({ text: z.string() }) },
  );
  const reins = reinsMiddleware(
    createController({
      budget: createTurnBudget({ mode: 'fixed', limit: restartBudget }),
      monitors: [createStuckMonitor()],
    }),
  );
  reins.on('*', options.onEvent);
  const agent = createAgent({ model, tools: [echo], middleware: [reins], checkpointer });
  return { agent, model, checkpointer };
}
