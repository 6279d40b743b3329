/**
 * The agents of the benchmark, shared by the in-process baseline and the worker processes:
 * `short`, two tool turns and an answer, instant; `slow`, one long streamed answer that an
 * urgent interrupt cuts short (the script then plays it again), for interrupt latency.
 */
import { type AgentOptions, defineTool } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { z } from 'zod';

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

/** Options of the `short` agent. */
export function shortAgent(): Omit<AgentOptions, 'checkpointer'> {
  return {
    backend: createScriptedBackend({
      responses: [
        { text: 'Looking.', toolCalls: [{ name: 'echo', arguments: { text: 'one' } }] },
        { text: 'Checking.', toolCalls: [{ name: 'echo', arguments: { text: 'two' } }] },
        { text: 'Done.' },
      ],
    }),
    tools: [echo],
  };
}

/** Options of the `slow` agent: 20 000 characters streamed 8 at a time, 2 ms apart. */
export function slowAgent(): Omit<AgentOptions, 'checkpointer'> {
  return {
    backend: createScriptedBackend({
      delayMs: 2,
      chunkSize: 8,
      responses: [{ text: 'x'.repeat(20_000) }],
    }),
  };
}
