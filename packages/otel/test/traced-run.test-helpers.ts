import { createController, createTurnBudget } from '@reins/controller';
import { type AgentOptions, defineTool } from '@reins/core';
import { createScriptedBackend, type ScriptedResponse } from '@reins/core/testing';
import { z } from 'zod';

/** What the `run` tool does with each command: `fail` throws, `wait` blocks until cancelled. */
export const shell = defineTool({
  name: 'run',
  description: 'Runs a command.',
  input: z.object({ command: z.string() }),
  execute: async ({ command }, { signal }) => {
    if (command === 'fail') throw new Error('exit status 2: no such file tests/test_api.py');
    if (command === 'wait')
      return new Promise<string>((_, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    return `ran ${command}`;
  },
});

const act = (command: string): ScriptedResponse => ({
  toolCalls: [{ name: 'run', arguments: { command } }],
  usage: { inputTokens: 100, outputTokens: 10, cachedInputTokens: 60 },
});

/**
 * A run that meets every kind of span: a failed tool (turn 2), a tool cancelled by an urgent
 * interruption (turn 3), the turn budget's extension when its 3 turns are used up, and the stop
 * at the extended limit of 5, with a forced final answer (turn 6).
 */
export function eventfulAgentOptions(): AgentOptions & {
  backend: ReturnType<typeof createScriptedBackend>;
} {
  const backend = createScriptedBackend({
    responses: [
      act('ls'),
      act('fail'),
      act('wait'),
      act('pytest'),
      act('pytest -x'),
      { text: 'Tests pass except one.', usage: { inputTokens: 120, outputTokens: 8 } },
    ],
  });
  return {
    backend,
    tools: [shell],
    controller: createController({
      budget: createTurnBudget({ mode: 'dynamic', initial: 3, extension: 2 }),
    }),
  };
}
