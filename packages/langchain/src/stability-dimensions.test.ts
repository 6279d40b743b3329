import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { createController, createDriftMonitor } from '@reins/controller';
import { createAgent as createReinsAgent, defineTool } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ReinsEvent } from './reins-event.js';
import { reinsMiddleware } from './reins-middleware.js';
import { toLangChainTool } from './to-langchain-tool.js';

// Turns 1–4 are the baseline window, turns 5–8 the scored one, turn 9 answers.
// Reasoning (the answer text): the same thought throughout the baseline (d = 0); then
// thoughts alternating by one word in four (each consecutive pair 0.25 apart, d = 0.25), so
// reasoningPath = 1 − 0.25 = 0.75. Hand-offs: one in four turns, then two in four, so
// handoffEfficiency = 0.25 ÷ 0.5 = 0.5.
const parser = 'Open the parser file.';
const lexers = 'Open the lexers file.';
const script: { text: string; tool?: 'echo' | 'transfer_to_reviewer' }[] = [
  { text: parser, tool: 'transfer_to_reviewer' },
  { text: parser, tool: 'echo' },
  { text: parser, tool: 'echo' },
  { text: parser, tool: 'echo' },
  { text: parser, tool: 'transfer_to_reviewer' },
  { text: lexers, tool: 'echo' },
  { text: parser, tool: 'transfer_to_reviewer' },
  { text: lexers, tool: 'echo' },
  { text: 'Done.' },
];

const echo = defineTool({
  name: 'echo',
  description: 'Echoes the text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => `echo: ${text}`,
});
const transfer = defineTool({
  name: 'transfer_to_reviewer',
  description: 'Hands the change to the reviewer.',
  input: z.object({ text: z.string() }),
  execute: () => 'The reviewer has it.',
});

const makeController = () =>
  createController({
    monitors: [createDriftMonitor({ window: 4, threshold: 1.01, consecutiveWindows: 1 })],
  });

describe('the reasoning-path and hand-off dimensions in both loops', () => {
  it('reports the hand-computed values in drift.detected from the Reins loop and from createAgent', async () => {
    const backend = createScriptedBackend({
      responses: script.map((step) => ({
        text: step.text,
        ...(step.tool === undefined
          ? {}
          : { toolCalls: [{ name: step.tool, arguments: { text: 'x' } }] }),
      })),
    });
    const handle = createReinsAgent({
      backend,
      tools: [echo, transfer],
      controller: makeController(),
    }).run('Review the parser.');
    const reinsDrift: Record<string, unknown>[] = [];
    handle.on('drift.detected', (event) => reinsDrift.push({ ...event.evidence }));
    await handle.result;

    let model = fakeModel();
    for (const step of script) {
      model = model.respond(
        new AIMessage({
          content: step.text,
          tool_calls:
            step.tool === undefined
              ? []
              : [{ name: step.tool, args: { text: 'x' }, id: `call-${model.callCount}` }],
        }),
      );
    }
    const reins = reinsMiddleware(makeController());
    const langChainDrift: Record<string, unknown>[] = [];
    reins.on('*', (event: ReinsEvent) => {
      if (event.type === 'drift.detected') langChainDrift.push({ ...event.evidence });
    });
    const agent = createAgent({
      model,
      tools: [toLangChainTool(echo), toLangChainTool(transfer)],
      middleware: [reins],
    });
    await agent.invoke(
      { messages: [{ role: 'user', content: 'Review the parser.' }] },
      { recursionLimit: 100 },
    );

    expect(reinsDrift).toHaveLength(1);
    expect(reinsDrift[0]).toMatchObject({ reasoningPath: 0.75, handoffEfficiency: 0.5 });
    expect(langChainDrift).toEqual(reinsDrift);
  });
});
