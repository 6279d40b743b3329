/**
 * A real Reins run for the watch and report tests: a failed tool (turn 2), a tool cancelled by
 * an urgent interruption (turn 3), the turn budget's extension after turn 3, and its stop after
 * turn 5 with a forced final answer (turn 6). Its events go to an event log, its checkpoints to
 * a folder.
 */
import { createController, createTurnBudget } from '@reins/controller';
import { createAgent, createFileCheckpointer, defineTool, type RunResult } from '@reins/core';
import { createScriptedBackend, type ScriptedResponse } from '@reins/core/testing';
import { recordEventLog } from '@reins/trajectories';
import { z } from 'zod';

const shell = defineTool({
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
  usage: { inputTokens: 100, outputTokens: 10, costUsd: 0.0125 },
});

/** Runs the eventful run; its events are appended to `eventLog`, its checkpoints kept in `checkpoints`. */
export async function runEventfulAgent(options: {
  readonly eventLog?: string;
  readonly checkpoints?: string;
  readonly runId?: string;
}): Promise<RunResult> {
  const backend = createScriptedBackend({
    responses: [
      act('ls'),
      act('fail'),
      act('wait'),
      act('pytest'),
      act('pytest -x'),
      { text: 'One test still fails.', usage: { inputTokens: 120, outputTokens: 8 } },
    ],
  });
  const agent = createAgent({
    backend,
    tools: [shell],
    controller: createController({
      budget: createTurnBudget({ mode: 'dynamic', initial: 3, extension: 2 }),
    }),
    ...(options.checkpoints === undefined
      ? {}
      : { checkpointer: createFileCheckpointer({ directory: options.checkpoints }) }),
  });
  const handle = agent.run('Fix the failing API test.', {
    ...(options.runId === undefined ? {} : { runId: options.runId }),
  });
  if (options.eventLog !== undefined) recordEventLog(handle, { file: options.eventLog });
  handle.on('tool.start', (event) => {
    if (event.call.arguments.includes('wait'))
      handle.interrupt({ kind: 'addition', text: 'Also check the API docs.', urgency: 'now' });
  });
  return handle.result;
}
