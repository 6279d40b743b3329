/**
 * Urgent interrupts against a real streaming HTTP server on loopback: the server must observe
 * the connection closed, not a stream read to its end and ignored.
 */
import { createAgent, defineTool } from '@reins/core';
import { createOpenAICompatible } from '@reins/openai';
import { type ChatCompletionsServer, createChatCompletionsServer } from '@reins/openai/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createController } from '../src/create-controller.js';
import { createInterruptionPolicy } from '../src/interruption-policy.js';

let server: ChatCompletionsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function backendFor(running: ChatCompletionsServer) {
  return createOpenAICompatible({ baseURL: running.baseURL, apiKey: 'test', model: 'gpt-4o' });
}

describe('urgent interrupts on a loopback server', () => {
  it('closes the streaming connection at once and answers the update on a new request', async () => {
    server = await createChatCompletionsServer({
      responses: [
        // Streams a few chunks, then keeps the connection open until the client leaves.
        {
          text: 'I am writing a very long report about everything I found',
          chunkSize: 4,
          fault: { type: 'stall', afterChunks: 4 },
        },
        { text: 'A short answer, as asked.' },
      ],
    });
    const agent = createAgent({
      backend: backendFor(server),
      controller: createController({ interruptions: createInterruptionPolicy(), hints: false }),
    });
    const handle = agent.run('Report on the sales of January.');
    let deltas = 0;
    handle.on('model.delta', (event) => {
      if (event.part.type === 'text-delta' && ++deltas === 2)
        handle.interrupt({ kind: 'revision', text: 'Keep it to one sentence.', urgency: 'now' });
    });
    const result = await handle.result;
    const [first, second] = server.requests;
    expect(await first?.outcome).toBe('client-closed');
    expect(first?.closedEarly).toBe(true);
    expect(await second?.outcome).toBe('completed');
    expect(result.status).toBe('done');
    expect(result.output).toBe('A short answer, as asked.');
    const partial = result.messages.find(
      (message) => message.role === 'assistant' && message.interrupted === true,
    );
    expect(partial).toBeDefined();
    // The second request carries the partial output, then the framed update.
    const sent = second?.body?.messages as { role: string; content: string }[];
    expect(sent.at(-1)?.role).toBe('user');
    expect(sent.at(-1)?.content).toContain('Keep it to one sentence.');
    expect(sent.at(-1)?.content).toContain('verified');
  });

  it('closes the connection of a stop during the forced answer path and ends stopped', async () => {
    server = await createChatCompletionsServer({
      responses: [
        {
          reasoning: 'Let me think step by step about this. '.repeat(10),
          chunkSize: 8,
          fault: { type: 'stall', afterChunks: 3 },
        },
        { text: '42' },
      ],
    });
    const agent = createAgent({
      backend: backendFor(server),
      controller: createController({ interruptions: createInterruptionPolicy(), hints: false }),
    });
    const handle = agent.run('What is six times seven?');
    handle.once('model.delta', () => handle.interrupt({ kind: 'answer-now', answerMaxTokens: 16 }));
    const result = await handle.result;
    const [first, forced] = server.requests;
    expect(await first?.outcome).toBe('client-closed');
    expect(result).toMatchObject({ status: 'stopped', reason: 'user-answer-now', output: '42' });
    // The answer's length is capped on the wire.
    const body = forced?.body ?? {};
    expect(body.max_tokens ?? body.max_completion_tokens).toBe(16);
    expect(body.tools).toBeUndefined();
  });

  it('fires the signal of a running tool and discards its late result', async () => {
    server = await createChatCompletionsServer({
      responses: [
        { toolCalls: [{ name: 'crawl', arguments: { site: 'shop' } }] },
        { text: 'Stopped crawling.' },
      ],
    });
    let fired = false;
    let finishLate: (value: string) => void = () => {};
    const crawl = defineTool({
      name: 'crawl',
      description: 'Crawls a site.',
      input: z.object({ site: z.string() }),
      // Ignores its signal on purpose: it is detached, and its late result is discarded.
      execute: (_input, { signal }) => {
        signal.addEventListener('abort', () => {
          fired = true;
        });
        return new Promise<string>((resolve) => {
          finishLate = resolve;
        });
      },
    });
    const agent = createAgent({
      backend: backendFor(server),
      tools: [crawl],
      controller: createController({ interruptions: createInterruptionPolicy(), hints: false }),
    });
    const handle = agent.run('Crawl the shop.');
    handle.once('tool.start', () =>
      setImmediate(() =>
        handle.interrupt({ kind: 'retraction', text: 'No need to crawl.', urgency: 'now' }),
      ),
    );
    const result = await handle.result;
    finishLate('late pages');
    expect(fired).toBe(true);
    const toolMessage = result.messages.find((message) => message.role === 'tool');
    expect(toolMessage).toMatchObject({ result: { status: 'cancelled' } });
    expect(JSON.stringify(result.messages)).not.toContain('late pages');
    expect(result.output).toBe('Stopped crawling.');
  });
});
