import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentEventOf } from './agent-event.js';
import type { Controller } from './controller.js';
import { createAgent } from './create-agent.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';

/**
 * A controller that stops before the second model call and forces an answer, capped when
 * given a cap, ending the run as done when told to.
 */
function stopAtSecondTurn(
  answerMaxTokens?: number,
  options: { message?: string; endAs?: 'done' } = {},
): Controller {
  return {
    name: 'cap',
    open: () => ({
      beforeModel: (view) =>
        view.turn >= 1
          ? [
              {
                type: 'stop',
                reason: 'turn-budget',
                message: options.message ?? 'Turn budget used.',
                finalAnswer: 'force',
                ...(answerMaxTokens === undefined ? {} : { answerMaxTokens }),
                ...(options.endAs === undefined ? {} : { endAs: options.endAs }),
                source: 'cap',
              },
            ]
          : undefined,
    }),
  };
}

const script = () =>
  createScriptedBackend({
    responses: [{ toolCalls: [{ name: 'missing', arguments: {} }] }, { text: 'It is 42.' }],
  });

describe('the forced final answer', () => {
  it("asks for the answer in the stop's words, without tools", async () => {
    const backend = script();
    const result = await createAgent({ backend, controller: stopAtSecondTurn() }).run('Go.').result;
    expect(result).toMatchObject({ status: 'stopped', output: 'It is 42.', reason: 'turn-budget' });
    const forced = backend.requests.at(-1);
    expect(forced?.tools).toEqual([]);
    expect(forced?.messages.at(-1)).toMatchObject({
      role: 'user',
      content:
        'Turn budget used. Give your final answer now, from what you know, without calling tools.',
    });
  });

  it('asks for the answer alone within the cap the stop gives', async () => {
    const backend = script();
    await createAgent({ backend, controller: stopAtSecondTurn(50) }).run('Go.').result;
    const forced = backend.requests.at(-1);
    expect(forced?.messages.at(-1)).toMatchObject({
      content:
        'Turn budget used. Give your final answer now, from what you know, without calling tools. Reply with the answer only, in at most 50 tokens: no reasoning, no explanation.',
    });
    expect(forced?.settings?.maxTokens).toBe(50);
  });

  it('is not asked when the controller stops again before it: the run stops without output', async () => {
    const controller: Controller = {
      name: 'cap',
      open: () => ({
        ...stopAtSecondTurn().open({ runId: 'r', task: 'Go.' }),
        beforeForcedAnswer: () => [
          { type: 'stop', reason: 'cost-budget', message: 'No money left.', source: 'cap' },
        ],
      }),
    };
    const backend = createScriptedBackend({
      responses: [
        { text: 'Let me look.', toolCalls: [{ name: 'missing', arguments: {} }] },
        { text: 'never asked' },
      ],
    });
    const result = await createAgent({ backend, controller }).run('Go.').result;
    expect(backend.requests).toHaveLength(1);
    expect(result.status).toBe('stopped');
    expect(result.output).toBeUndefined();
  });

  it('keeps the last text as the output of a run ended as done whose forced answer failed, and the failure as its error', async () => {
    const endAsDone = stopAtSecondTurn(undefined, { message: 'That is enough.', endAs: 'done' });
    const script = (forced: { text: string } | { error: Error }) =>
      createScriptedBackend({
        responses: [{ text: 'Found it.', toolCalls: [{ name: 'missing', arguments: {} }] }, forced],
      });
    const failed = await createAgent({
      backend: script({ error: new Error('server overloaded') }),
      controller: endAsDone,
    }).run('Go.').result;
    const overloaded = {
      code: 'model-call',
      message: expect.stringContaining('server overloaded'),
    };
    expect(failed).toMatchObject({ status: 'done', output: 'Found it.', error: overloaded });
    const stopped = await createAgent({
      backend: script({ error: new Error('server overloaded') }),
      controller: stopAtSecondTurn(),
    }).run('Go.').result;
    expect(stopped).toMatchObject({ status: 'stopped', error: overloaded });
    expect(stopped.output).toBeUndefined();
    const answered = await createAgent({
      backend: script({ text: 'It is 42.' }),
      controller: endAsDone,
    }).run('Go.').result;
    expect(answered).toMatchObject({ status: 'done', output: 'It is 42.' });
    expect(answered.error).toBeUndefined();
  });

  it("is made with the agent's settings, toolChoice none and no tools, and model.start says so", async () => {
    const backend = script();
    const handle = createAgent({
      backend,
      controller: stopAtSecondTurn(),
      modelSettings: { temperature: 0.3, maxTokens: 300 },
    }).run('Go.');
    const starts: AgentEventOf<'model.start'>[] = [];
    handle.on('model.start', (event) => starts.push(event));
    await handle.result;
    const settings = { temperature: 0.3, maxTokens: 300, toolChoice: 'none' };
    expect(backend.requests.at(-1)?.settings).toEqual(settings);
    expect(backend.requests.at(-1)?.tools).toEqual([]);
    expect(starts.map(({ turn, toolNames }) => ({ turn, toolNames }))).toEqual([
      { turn: 1, toolNames: [] },
      { turn: 2, toolNames: [] },
    ]);
    expect(starts[1]?.settings).toEqual(settings);
  });

  it('drops tool calls the model makes anyway, runs none, and answers with the text', async () => {
    const executed: unknown[] = [];
    const lookup = defineTool({
      name: 'lookup',
      description: 'Looks a thing up.',
      input: z.object({ q: z.string() }),
      execute: ({ q }) => void executed.push(q),
    });
    const steps: string[] = [];
    const controller: Controller = {
      name: 'cap',
      open: () => ({
        ...stopAtSecondTurn().open({ runId: 'r', task: 'Go.' }),
        afterModel: (_view, step) => void steps.push(step.message.content),
      }),
    };
    const backend = createScriptedBackend({
      responses: [
        { text: 'Looking.', toolCalls: [{ name: 'lookup', arguments: { q: 'first' } }] },
        { text: 'It is 42.', toolCalls: [{ name: 'lookup', arguments: { q: 'more' } }] },
      ],
    });
    const result = await createAgent({ backend, tools: [lookup], controller }).run('Go.').result;
    expect(result).toMatchObject({ status: 'stopped', output: 'It is 42.' });
    expect(executed).toEqual(['first']);
    expect(steps).toEqual(['Looking.']);
    expect(result.messages.at(-1)).toMatchObject({
      role: 'assistant',
      content: 'It is 42.',
      toolCalls: [],
    });
  });
});
