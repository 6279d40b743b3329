/**
 * `beforeForcedAnswer` is asked before the extra call that forces an answer, and only then: it
 * may set that call's settings, or refuse the call with a stop.
 */
import { describe, expect, it } from 'vitest';
import type { Controller } from './controller.js';
import { createAgent } from './create-agent.js';
import type { Directive } from './directive.js';
import { createScriptedBackend } from './testing/scripted-backend.js';

/**
 * A controller that stops the run before its second model call with `stop`, answering
 * `beforeForcedAnswer` with `beforeForced`, and counting how often it was asked.
 */
function stopping(
  stop: Partial<Extract<Directive, { type: 'stop' }>>,
  beforeForced?: readonly Directive[],
) {
  const asked: number[] = [];
  const controller: Controller = {
    name: 'cap',
    open: () => ({
      beforeModel: (view) =>
        view.turn >= 1
          ? [
              {
                type: 'stop',
                reason: 'turn-budget',
                message: 'Turn budget used.',
                source: 'cap',
                ...stop,
              },
            ]
          : undefined,
      beforeForcedAnswer: (view) => {
        asked.push(view.turn);
        return beforeForced;
      },
    }),
  };
  return { controller, asked };
}

/** A tool turn (whose tool is unknown: its result is an error), then an answer. */
const twoCalls = () =>
  createScriptedBackend({
    responses: [
      { text: 'Let me look.', toolCalls: [{ name: 'missing', arguments: {} }] },
      { text: 'It is 42.' },
    ],
  });

const shorter: Directive = { type: 'model-settings', settings: { maxTokens: 7 }, source: 'cap' };
const refusal: Directive = {
  type: 'stop',
  reason: 'cost-budget',
  message: 'No money left.',
  source: 'cap',
};

describe('beforeForcedAnswer', () => {
  it('is asked once before the forced call, whose settings it may set', async () => {
    const backend = twoCalls();
    const { controller, asked } = stopping({ finalAnswer: 'force' }, [shorter]);
    const result = await createAgent({ backend, controller }).run('Go.').result;
    expect(result).toMatchObject({ status: 'stopped', reason: 'turn-budget', output: 'It is 42.' });
    expect(asked).toEqual([1]);
    expect(backend.requests).toHaveLength(2);
    expect(backend.requests[1]?.settings).toEqual({ maxTokens: 7, toolChoice: 'none' });
  });

  it('is asked as well when the stop ends the run as done', async () => {
    const backend = twoCalls();
    const { controller, asked } = stopping({ finalAnswer: 'force', endAs: 'done' }, [shorter]);
    const result = await createAgent({ backend, controller }).run('Go.').result;
    expect(result).toMatchObject({ status: 'done', output: 'It is 42.' });
    expect(asked).toEqual([1]);
    expect(backend.requests[1]?.settings).toEqual({ maxTokens: 7, toolChoice: 'none' });
  });

  it('is not asked when the stop forces no answer, and no extra call is made', async () => {
    const backend = twoCalls();
    const { controller, asked } = stopping({});
    const result = await createAgent({ backend, controller }).run('Go.').result;
    expect(result).toMatchObject({ status: 'stopped', reason: 'turn-budget' });
    expect(result.output).toBeUndefined();
    expect(asked).toEqual([]);
    expect(backend.requests).toHaveLength(1);
  });

  it('is not asked when the run ends done by itself', async () => {
    const backend = createScriptedBackend({ responses: [{ text: 'It is 42.' }] });
    const { controller, asked } = stopping({ finalAnswer: 'force' });
    const result = await createAgent({ backend, controller }).run('Go.').result;
    expect(result).toMatchObject({ status: 'done', output: 'It is 42.' });
    expect(asked).toEqual([]);
  });

  it('refuses the call with a stop among its directives: the run stops for the first reason, without output', async () => {
    const backend = twoCalls();
    const { controller } = stopping({ finalAnswer: 'force' }, [shorter, refusal]);
    const result = await createAgent({ backend, controller }).run('Go.').result;
    expect(backend.requests).toHaveLength(1);
    expect(result).toMatchObject({
      status: 'stopped',
      reason: 'turn-budget',
      message: 'Turn budget used.',
    });
    expect(result.output).toBeUndefined();
  });

  it('refused for a run ending as done, leaves the last text as its output', async () => {
    const backend = twoCalls();
    const { controller } = stopping({ finalAnswer: 'force', endAs: 'done' }, [refusal]);
    const result = await createAgent({ backend, controller }).run('Go.').result;
    expect(backend.requests).toHaveLength(1);
    expect(result).toMatchObject({ status: 'done', output: 'Let me look.' });
  });
});
