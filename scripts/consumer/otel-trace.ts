/**
 * Tracing as a user sets it up in a project of their own: the OpenTelemetry SDK with an
 * in-memory exporter, an agent from `createTracedAgent`, and a check of the spans it made.
 */
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { defineTool } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { createTracedAgent } from '@reins/otel';
import { z } from 'zod';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const readNotes = defineTool({
  name: 'read_notes',
  description: 'Reads the notes file.',
  input: z.object({}),
  execute: () => 'Meeting moved to Thursday.',
});
const backend = createScriptedBackend({
  responses: [{ toolCalls: [{ name: 'read_notes', arguments: {} }] }, { text: 'Thursday.' }],
});
const agent = createTracedAgent(
  { backend, tools: [readNotes] },
  { tracer: provider.getTracer('consumer') },
);
const result = await agent.run('When is the meeting?').result;
const names = exporter
  .getFinishedSpans()
  .map((span) => span.name)
  .sort();
const expected = [
  'chat scripted-1',
  'chat scripted-1',
  'execute_tool read_notes',
  'invoke_agent reins',
  'reins.turn 1',
  'reins.turn 2',
];
if (result.status !== 'done' || JSON.stringify(names) !== JSON.stringify(expected))
  throw new Error(`unexpected trace: ${result.status}, spans ${names.join(', ')}`);
console.log(`otel-trace: ${names.length} spans, ${names.join(', ')}`);
