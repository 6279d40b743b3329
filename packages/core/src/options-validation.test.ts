import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { thrownBy } from '../../../scripts/thrown-by.js';
import { createAgent } from './create-agent.js';
import { InvalidOptionsError } from './errors/invalid-options-error.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';
import { resolveToolSet } from './tool-set.js';

const backend = createScriptedBackend({ responses: [{ text: 'done' }] });
const echo = defineTool({
  name: 'echo',
  description: 'Echoes.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

/** Expects `run` to throw an InvalidOptionsError with this field and message. */
function expectRefusal(run: () => unknown, field: string, message: string) {
  const error = thrownBy(run);
  expect(error).toBeInstanceOf(InvalidOptionsError);
  expect(error).toMatchObject({ code: 'invalid-options', field, message });
}

describe('createAgent refuses invalid options, naming the field and the fix', () => {
  it.each([undefined, null, 'backend'])('refuses %s as the options', (options) => {
    expectRefusal(
      () => createAgent(options as never),
      'options',
      'createAgent() needs an options object: createAgent({ backend, tools }).',
    );
  });

  it('refuses a backend without stream(), describing what it received', () => {
    const fix = 'Use createOpenAICompatible(), fromLangChainModel() or createScriptedBackend().';
    expectRefusal(
      () => createAgent({ backend: null } as never),
      'backend',
      `createAgent({ backend }) needs a ModelBackend with a stream() method; received null. ${fix}`,
    );
    expectRefusal(
      () => createAgent({ backend: 'gpt-4o' } as never),
      'backend',
      `createAgent({ backend }) needs a ModelBackend with a stream() method; received string gpt-4o. ${fix}`,
    );
    expectRefusal(
      () => createAgent({ backend: { stream: 'no' } } as never),
      'backend',
      expect.stringContaining('needs a ModelBackend with a stream() method; received ') as never,
    );
  });

  it('refuses a backend of another contract version', () => {
    expectRefusal(
      () =>
        createAgent({
          backend: { ...backend, stream: backend.stream, specificationVersion: 'v2' } as never,
        }),
      'backend.specificationVersion',
      "The backend implements ModelBackend version 'v2'; this Reins supports 'v1'. Upgrade the backend package to a release built for this Reins.",
    );
  });

  it('refuses invalid tools by their position, and a name used twice', () => {
    expectRefusal(
      () => createAgent({ backend, tools: [echo, { ...echo, name: '' }] }),
      'tools[1].name',
      `Tool name "" is invalid: use 1–64 letters, digits, '_' or '-'.`,
    );
    expectRefusal(
      () => createAgent({ backend, tools: [{ ...echo, name: 'x'.repeat(65) }] }),
      'tools[0].name',
      `Tool name "${'x'.repeat(65)}" is invalid: use 1–64 letters, digits, '_' or '-'.`,
    );
    expect(() =>
      createAgent({ backend, tools: [{ ...echo, name: 'x'.repeat(64) }] }),
    ).not.toThrow();
    expectRefusal(
      () => createAgent({ backend, tools: [{ ...echo, execute: undefined } as never] }),
      'tools[0].execute',
      "Tool 'echo' has no execute function. Define it with defineTool({ execute }).",
    );
    expectRefusal(
      () => createAgent({ backend, tools: [{ ...echo, input: {} } as never] }),
      'tools[0].input',
      "Tool 'echo' needs a zod schema as input, e.g. input: z.object({ path: z.string() }).",
    );
    expectRefusal(
      () => createAgent({ backend, tools: [{ ...echo, timeoutMs: 0 }] }),
      'tools[0].timeoutMs',
      "Tool 'echo' has timeoutMs 0; use a positive number of milliseconds.",
    );
    expect(() => createAgent({ backend, tools: [{ ...echo, timeoutMs: 1 }] })).not.toThrow();
    expectRefusal(
      () => createAgent({ backend, tools: [echo, echo] }),
      'tools[1].name',
      "Tool 'echo' is defined twice. Give each tool a unique name.",
    );
  });

  it('refuses tool sources that are not an array of sources', () => {
    expectRefusal(
      () => createAgent({ backend, toolSources: {} as never }),
      'toolSources',
      'toolSources is {}; pass an array of tool sources, e.g. toolSources: [mcpServer].',
    );
    expectRefusal(
      () =>
        createAgent({
          backend,
          toolSources: [{ name: 'a', currentTools: () => [] }, null as never],
        }),
      'toolSources[1]',
      'toolSources[1] has no currentTools() method; received null. Pass a ToolSource such as an MCP server connection.',
    );
  });

  it.each([0, -5, Number.NaN])('refuses toolTimeoutMs %s', (toolTimeoutMs) => {
    expectRefusal(
      () => createAgent({ backend, toolTimeoutMs }),
      'toolTimeoutMs',
      `toolTimeoutMs is ${toolTimeoutMs}; use a positive number of milliseconds (or Infinity for none).`,
    );
  });

  it('accepts toolTimeoutMs of Infinity and interruptQuietMs of 0', () => {
    expect(() =>
      createAgent({ backend, toolTimeoutMs: Number.POSITIVE_INFINITY, interruptQuietMs: 0 }),
    ).not.toThrow();
  });

  it.each([-1, Number.POSITIVE_INFINITY, Number.NaN])(
    'refuses interruptQuietMs %s',
    (interruptQuietMs) => {
      expectRefusal(
        () => createAgent({ backend, interruptQuietMs }),
        'interruptQuietMs',
        `interruptQuietMs is ${interruptQuietMs}; use 0 (gather the interrupts of one tick) or a positive number of milliseconds.`,
      );
    },
  );

  it('refuses a controller without open() and a checkpointer without save() and load()', () => {
    expectRefusal(
      () => createAgent({ backend, controller: { name: 'x' } as never }),
      'controller',
      "controller has no open() method; received { name: 'x' }. Use createController() from @reins/controller.",
    );
    const message =
      'checkpointer needs save() and load(). Use createMemoryCheckpointer() or createFileCheckpointer({ directory }).';
    expectRefusal(
      () => createAgent({ backend, checkpointer: { load: async () => undefined } as never }),
      'checkpointer',
      message,
    );
    expectRefusal(
      () => createAgent({ backend, checkpointer: { save: async () => undefined } as never }),
      'checkpointer',
      message,
    );
  });
});

describe('resolveToolSet', () => {
  it("refuses a source's tool whose name another tool has, naming both origins", () => {
    expectRefusal(
      () => resolveToolSet([echo], [{ name: 'mcp:files', currentTools: () => [echo] }]),
      'toolSources[0][0].name',
      "Tool 'echo' from tool source 'mcp:files' is defined twice (also by the agent). Give each tool a unique name, e.g. with a prefix per tool source.",
    );
  });

  it('refuses a source that returns something other than an array', () => {
    expectRefusal(
      () => resolveToolSet([], [{ name: 'mcp:files', currentTools: () => undefined as never }]),
      'toolSources[0]',
      "Tool source 'mcp:files' returned undefined from currentTools(); return an array of tools.",
    );
  });

  it('returns the previous set while every source returns the same array', () => {
    const list = [echo];
    const source = { name: 's', currentTools: () => list };
    const first = resolveToolSet([], [source]);
    expect(resolveToolSet([], [source], first)).toBe(first);
    expect(first.names).toEqual(['echo']);
    const changed = resolveToolSet([], [{ name: 's', currentTools: () => [echo] }], first);
    expect(changed).not.toBe(first);
    expect(changed.names).toEqual(['echo']);
  });
});
