import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import {
  createController,
  createOverthinkingMonitor,
  createStuckMonitor,
  createTurnBudget,
} from '@reins/controller';
import {
  type Controller,
  type ControllerSession,
  createAgent as createReinsAgent,
  defineTool,
} from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { reinsMiddleware } from './reins-middleware.js';
import { toLangChainTool } from './to-langchain-tool.js';

/** One controller decision: the hook, the turn it saw, and what it returned. */
interface Decision {
  readonly hook: string;
  readonly turn: number;
  readonly output: string;
}

/** Wraps a controller so that every hook call and its answer is recorded. */
function recording(inner: Controller, log: Decision[]): Controller {
  return {
    name: inner.name,
    open(context) {
      const session = inner.open(context);
      const wrapped: ControllerSession = {};
      const hooks = [
        'beforeModel',
        'afterModel',
        'beforeTool',
        'afterTool',
        'onInterrupt',
        'hints',
      ] as const;
      for (const hook of hooks) {
        const original = session[hook] as ((...args: never[]) => unknown) | undefined;
        if (original === undefined) continue;
        (wrapped as Record<string, unknown>)[hook] = (...args: never[]) => {
          const output = original.apply(session, args);
          const view = args[0] as unknown as { turn: number };
          log.push({ hook, turn: view.turn, output: JSON.stringify(output ?? null) });
          return output;
        };
      }
      if (session.snapshot !== undefined) wrapped.snapshot = () => session.snapshot?.();
      return wrapped;
    },
  };
}

const makeController = () =>
  createController({
    budget: createTurnBudget({ mode: 'fixed', limit: 6, finalAnswer: 'none' }),
    monitors: [createStuckMonitor(), createOverthinkingMonitor()],
  });

const script: { text: string; tool?: { text: string } }[] = [
  { text: 'Looking.', tool: { text: 'same' } },
  { text: 'Again.', tool: { text: 'same' } },
  { text: 'Again.', tool: { text: 'same' } },
  { text: 'Again.', tool: { text: 'same' } },
  { text: 'Something else.', tool: { text: 'other' } },
  { text: 'Still going.', tool: { text: 'more' } },
  { text: 'Never reached.' },
];

const echo = defineTool({
  name: 'echo',
  description: 'Echoes the text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => `echo: ${text}`,
});

describe('parity of the Reins loop and createAgent with reinsMiddleware', () => {
  it('makes the same sequence of controller decisions on the same scripted model', async () => {
    const reinsLog: Decision[] = [];
    const backend = createScriptedBackend({
      responses: script.map((step) => ({
        text: step.text,
        ...(step.tool === undefined ? {} : { toolCalls: [{ name: 'echo', arguments: step.tool }] }),
      })),
    });
    const reinsResult = await createReinsAgent({
      backend,
      tools: [echo],
      controller: recording(makeController(), reinsLog),
    }).run('Echo until done.', { runId: 'parity-run' }).result;

    const langChainLog: Decision[] = [];
    let model = fakeModel();
    for (const step of script) {
      model = model.respond(
        new AIMessage({
          content: step.text,
          tool_calls:
            step.tool === undefined
              ? []
              : [
                  {
                    name: 'echo',
                    args: step.tool,
                    id: `call-${model.callCount}-${step.tool.text}`,
                  },
                ],
        }),
      );
    }
    const reins = reinsMiddleware(recording(makeController(), langChainLog), {
      generateId: () => 'parity-run',
      model: { provider: 'scripted', modelId: 'scripted-1' },
    });
    const agent = createAgent({ model, tools: [toLangChainTool(echo)], middleware: [reins] });
    const result = await agent.invoke(
      { messages: [{ role: 'user', content: 'Echo until done.' }] },
      { recursionLimit: 100 },
    );

    expect(reinsResult.status).toBe('stopped');
    expect(langChainLog.length).toBeGreaterThan(20);
    expect(langChainLog).toEqual(reinsLog);
    const decided = reinsLog.filter((decision) => decision.output !== 'null');
    expect(decided.some((decision) => decision.output.includes('stuck.detected'))).toBe(true);
    expect(decided.some((decision) => decision.output.includes('"type":"stop"'))).toBe(true);
    expect(String(result.messages.at(-1)?.content)).toBe(
      `Run stopped (turn-budget): ${reinsResult.message}`,
    );
  });
});
