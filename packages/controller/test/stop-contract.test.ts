import { type Controller, createAgent, defineTool } from '@reins/core';
import { createScriptedBackend, type ScriptedResponse } from '@reins/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTokenBudget } from '../src/token-budget.js';
import { createTurnBudget } from '../src/turn-budget.js';

const run = defineTool({
  name: 'run',
  description: 'Runs a command.',
  input: z.object({ command: z.string() }),
  execute: ({ command }) => `ran ${command}`,
});
const act = (command: string): ScriptedResponse => ({
  text: `Running ${command}.`,
  toolCalls: [{ name: 'run', arguments: { command } }],
  usage: { inputTokens: 100, outputTokens: 20 },
});
/** Two turns of work, then whatever the model says when asked for its answer without tools. */
const script = [act('ls'), act('pytest'), { text: 'Best answer from what I know: 42.' }];

async function runWith(controller: Controller) {
  const backend = createScriptedBackend({ responses: script });
  const result = await createAgent({ backend, tools: [run], controller }).run('Find the answer.')
    .result;
  return { result, requests: backend.requests };
}

describe('the stop contract at a budget end', () => {
  it('asks the model for a final answer by default, without tools, and keeps it as the output', async () => {
    const { result, requests } = await runWith(createTurnBudget({ mode: 'fixed', limit: 2 }));
    expect(result).toMatchObject({
      status: 'stopped',
      reason: 'turn-budget',
      output: 'Best answer from what I know: 42.',
      turns: 3,
    });
    expect(requests).toHaveLength(3);
    expect(requests[2]?.tools).toEqual([]);
  });

  it("ends with no extra call and no output with finalAnswer: 'none'", async () => {
    const { result, requests } = await runWith(
      createTurnBudget({ mode: 'fixed', limit: 2, finalAnswer: 'none' }),
    );
    expect(result).toMatchObject({ status: 'stopped', reason: 'turn-budget', turns: 2 });
    expect(result.output).toBeUndefined();
    expect(requests).toHaveLength(2);
  });

  it('ends done, with the final answer, when isDone holds on the last turn of a dynamic budget', async () => {
    const { result } = await runWith(
      createTurnBudget({ mode: 'dynamic', initial: 2, extension: 2, isDone: () => true }),
    );
    expect(result).toMatchObject({ status: 'done', output: 'Best answer from what I know: 42.' });
    expect(result.reason).toBeUndefined();
  });

  it('extends a dynamic budget whose task is not done, and stops it with an answer at maxTotal', async () => {
    const { result } = await runWith(
      createTurnBudget({ mode: 'dynamic', initial: 1, extension: 1, isDone: () => false }),
    );
    expect(result).toMatchObject({
      status: 'stopped',
      reason: 'turn-budget',
      output: 'Best answer from what I know: 42.',
    });
  });

  it('asks for a final answer at the end of a token budget too', async () => {
    const { result } = await runWith(createTokenBudget({ maxTokens: 200, warnAt: false }));
    expect(result).toMatchObject({
      status: 'stopped',
      reason: 'token-budget',
      output: 'Best answer from what I know: 42.',
    });
  });
});
