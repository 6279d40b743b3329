import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Checkpointer } from './checkpointer.js';
import type { Controller } from './controller.js';
import { type AgentOptions, createAgent } from './create-agent.js';
import { describeUnknown } from './describe-unknown.js';
import { createMemoryCheckpointer } from './memory-checkpointer.js';
import type { ModelBackend } from './model-backend.js';
import type { RunResult } from './run-result.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';

/** Values user code can throw that break `String(value)`, `value.message` or JSON. */
function oddValues(): [string, () => unknown][] {
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  const trap = () => {
    throw new Error('trap');
  };
  return [
    ['Object.create(null)', () => Object.create(null)],
    [
      'an object whose getters and toString throw',
      () => ({
        get message(): string {
          throw new Error('getter');
        },
        toString: trap,
        [Symbol.toPrimitive]: trap,
      }),
    ],
    ['a symbol', () => Symbol('boom')],
    ['a bigint', () => 10n ** 30n],
    ['a cyclic object', () => cyclic],
    [
      'a proxy whose every trap throws',
      () =>
        new Proxy(
          {},
          {
            get: trap,
            getPrototypeOf: trap,
            ownKeys: trap,
            has: trap,
            getOwnPropertyDescriptor: trap,
          },
        ),
    ],
    [
      'an Error whose message and name getters throw',
      () => {
        const error = new Error('x');
        Object.defineProperty(error, 'message', { get: trap });
        Object.defineProperty(error, 'name', { get: trap });
        return error;
      },
    ],
  ];
}

const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => unhandled.push(reason);
// An application handler: without the fix, the run would hang instead of crashing.
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', recordUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', recordUnhandled);
});

async function settle(options: AgentOptions): Promise<RunResult> {
  const handle = createAgent(options).run('Do it.');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`The run hung in phase ${handle.phase}`)), 5_000);
  });
  try {
    return await Promise.race([handle.result, hung]);
  } finally {
    clearTimeout(timer);
    // Let any stray rejection surface before checking.
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled.map(describeUnknown)).toEqual([]);
  }
}

const script = () =>
  createScriptedBackend({
    responses: [{ toolCalls: [{ name: 'act', arguments: {} }] }, { text: 'Done.' }],
  });

const throwingTool = (value: () => unknown) =>
  defineTool({
    name: 'act',
    description: 'Acts.',
    input: z.object({}),
    execute: () => {
      throw value();
    },
  });
const quietTool = defineTool({
  name: 'act',
  description: 'Acts.',
  input: z.object({}),
  execute: () => 'ok',
});

describe.each(oddValues())('a thrown %s', (_name, value) => {
  it('describeUnknown describes it in one bounded line', () => {
    const text = describeUnknown(value());
    expect(typeof text).toBe('string');
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(500);
  });

  it('from a tool becomes the call’s error result; the run goes on', async () => {
    const result = await settle({ backend: script(), tools: [throwingTool(value)] });
    expect(result.status).toBe('done');
    const tool = result.messages.find((message) => message.role === 'tool');
    expect(tool).toMatchObject({ result: { status: 'error', error: { code: 'tool-execution' } } });
  });

  it('from a backend fails the run with a model-call error', async () => {
    const backend: ModelBackend = {
      ...script(),
      // biome-ignore lint/correctness/useYield: the backend fails before its first part
      async *stream() {
        throw value();
      },
    };
    const result = await settle({ backend });
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('model-call');
    expect(typeof result.error?.message).toBe('string');
  });

  it('from a controller hook fails the run with a described error', async () => {
    for (const hook of ['beforeModel', 'afterModel', 'beforeTool', 'afterTool'] as const) {
      const controller: Controller = {
        name: 'odd',
        open: () => ({
          [hook]: () => {
            throw value();
          },
        }),
      };
      const result = await settle({ backend: script(), tools: [quietTool], controller });
      expect(result.status, hook).toBe('failed');
      expect(typeof result.error?.message).toBe('string');
    }
  });

  it('from a checkpointer fails the run with a checkpoint error', async () => {
    for (const failing of ['save', 'snapshot'] as const) {
      const memory = createMemoryCheckpointer();
      const checkpointer: Checkpointer = {
        ...memory,
        save: async (checkpoint) => {
          if (failing === 'save') throw value();
          await memory.save(checkpoint);
        },
      };
      const controller: Controller = {
        name: 'odd-snapshot',
        open: () => ({
          snapshot: () => {
            if (failing === 'snapshot') throw value();
            return {};
          },
        }),
      };
      const result = await settle({
        backend: script(),
        tools: [quietTool],
        checkpointer,
        controller,
      });
      expect(result.status, failing).toBe('failed');
      expect(typeof result.error?.message).toBe('string');
    }
  });

  it('as an abort reason cancels the run', async () => {
    const controller = new AbortController();
    controller.abort(value());
    const handle = createAgent({ backend: script(), tools: [quietTool] }).run('Do it.', {
      signal: controller.signal,
    });
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    expect(typeof result.message).toBe('string');
  });
});
