import { describe, expect, it } from 'vitest';
import { CheckpointError } from './checkpoint-error.js';
import { ControllerHookError } from './controller-hook-error.js';
import { InvalidOptionsError } from './invalid-options-error.js';
import { InvalidToolInputError } from './invalid-tool-input-error.js';
import { MalformedResponseError } from './malformed-response-error.js';
import { ModelCallError } from './model-call-error.js';
import { ReinsError } from './reins-error.js';
import { RunStateError } from './run-state-error.js';
import { ToolExecutionError } from './tool-execution-error.js';
import { ToolTimeoutError } from './tool-timeout-error.js';
import { UnknownToolError } from './unknown-tool-error.js';

/** One instance of each error class, with its class, code and name. */
const errors = [
  [CheckpointError, new CheckpointError('run-1', 'disk full'), 'checkpoint', 'CheckpointError'],
  [
    ControllerHookError,
    new ControllerHookError('budget', 'beforeModel', new Error('boom')),
    'controller-hook',
    'ControllerHookError',
  ],
  [
    InvalidOptionsError,
    new InvalidOptionsError('x', 'bad'),
    'invalid-options',
    'InvalidOptionsError',
  ],
  [
    InvalidToolInputError,
    new InvalidToolInputError('echo', '{}', ['text: Required']),
    'invalid-tool-input',
    'InvalidToolInputError',
  ],
  [
    MalformedResponseError,
    new MalformedResponseError({ type: 'nope' }, 'invalid'),
    'malformed-response',
    'MalformedResponseError',
  ],
  [ModelCallError, new ModelCallError('vllm', 'reset'), 'model-call', 'ModelCallError'],
  [RunStateError, new RunStateError('run-1', 'ended'), 'run-state', 'RunStateError'],
  [
    ToolExecutionError,
    new ToolExecutionError('echo', 'call-1', new Error('boom')),
    'tool-execution',
    'ToolExecutionError',
  ],
  [
    ToolTimeoutError,
    new ToolTimeoutError('echo', 'call-1', 50),
    'tool-timeout',
    'ToolTimeoutError',
  ],
  [UnknownToolError, new UnknownToolError('rm', ['echo']), 'unknown-tool', 'UnknownToolError'],
] as const;

describe('Reins errors', () => {
  it.each(errors)(
    '%o has its code and name, and is recognised only as itself',
    (Class, error, code, name) => {
      expect(error).toBeInstanceOf(ReinsError);
      expect([error.code, error.name]).toEqual([code, name]);
      expect(Class.isInstance(error)).toBe(true);
      expect(ReinsError.isInstance(error)).toBe(true);
      for (const [Other, other] of errors)
        if (Other !== Class) expect(Class.isInstance(other)).toBe(false);
      expect(Class.isInstance(new Error(error.message))).toBe(false);
      expect(Class.isInstance({ code })).toBe(false);
      expect(Class.isInstance(undefined)).toBe(false);
    },
  );

  it('keeps the fields each error names', () => {
    expect(new RunStateError('run-1', 'ended')).toMatchObject({ runId: 'run-1', message: 'ended' });
    expect(new ModelCallError('vllm', 'reset', { retryable: true })).toMatchObject({
      provider: 'vllm',
      retryable: true,
    });
    expect(new ModelCallError('vllm', 'reset').retryable).toBe(false);
  });

  it('names the defined tools when a tool is unknown, or says there are none', () => {
    expect(new UnknownToolError('rm', ['echo', 'add']).message).toBe(
      "Tool 'rm' is not defined. Defined tools: echo, add. Call one of the defined tools, or add 'rm' to createAgent({ tools }).",
    );
    expect(new UnknownToolError('rm', []).message).toContain('Defined tools: (none).');
  });

  it('quotes at most 200 characters of invalid tool arguments', () => {
    const exactly = 'a'.repeat(200);
    expect(new InvalidToolInputError('echo', exactly, ['x']).message).toContain(
      `Received: ${exactly}. Call`,
    );
    expect(new InvalidToolInputError('echo', `${exactly}b`, ['x', 'y']).message).toBe(
      `Invalid arguments for tool 'echo': x; y. Received: ${exactly}…. Call 'echo' again with arguments that match its schema.`,
    );
  });
});
