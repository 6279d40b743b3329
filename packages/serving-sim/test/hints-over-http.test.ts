import { createController, createKvCacheHintsPolicy } from '@reins/controller';
import { createAgent, defineTool } from '@reins/core';
import { createOpenAICompatible } from '@reins/openai';
import { type ChatCompletionsServer, createChatCompletionsServer } from '@reins/openai/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

let server: ChatCompletionsServer;
beforeAll(async () => {
  server = await createChatCompletionsServer();
});
afterAll(async () => {
  await server.close();
});

const bash = defineTool({
  name: 'bash',
  description: 'Runs a shell command.',
  input: z.object({ command: z.string() }),
  execute: ({ command }) => `ran ${command}`,
});

describe('KV-cache hints through createAgent and @reins/openai to a loopback server', () => {
  it('puts program id, last step and program-arrival priority in the vLLM request body', async () => {
    server.enqueue(
      {
        toolCalls: [{ name: 'bash', arguments: { command: 'ls' } }],
        usage: { promptTokens: 900, completionTokens: 20 },
      },
      { text: 'Done.', usage: { promptTokens: 950, completionTokens: 5 } },
    );
    const backend = createOpenAICompatible({
      baseURL: server.baseURL,
      apiKey: 'test',
      model: 'meta-llama/Llama-3.1-70B-Instruct',
      flavor: 'vllm',
      hintFields: { continuum: true, priorityScheduling: true },
    });
    const agent = createAgent({
      backend,
      tools: [bash],
      controller: createController({
        hints: createKvCacheHintsPolicy({ rule: 'continuum', turnLimit: 2 }),
      }),
    });
    const first = server.requests.length;
    const handle = agent.run('List the files.', { runId: 'swe-run-1' });
    const result = await handle.result;
    expect(result.status).toBe('done');
    const bodies = server.requests.slice(first).map((request) => request.body);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toMatchObject({
      job_id: 'swe-run-1',
      is_last_step: false,
      request_id: 'swe-run-1-t1-a1',
    });
    expect(bodies[1]).toMatchObject({ job_id: 'swe-run-1', is_last_step: true });
    // priority is the run's start (program arrival), the same for both requests
    expect(typeof bodies[0]?.priority).toBe('number');
    expect(bodies[1]?.priority).toBe(bodies[0]?.priority);
  });

  it('sends the run as prompt_cache_key and a retention from the TTL to OpenAI', async () => {
    server.enqueue({ text: 'Hello.', usage: { promptTokens: 100, completionTokens: 2 } });
    const backend = createOpenAICompatible({
      baseURL: server.baseURL,
      apiKey: 'test',
      model: 'gpt-4.1-mini',
    });
    const agent = createAgent({
      backend,
      controller: createController({ hints: createKvCacheHintsPolicy() }),
    });
    const first = server.requests.length;
    await agent.run('Say hello.', { runId: 'chat-7' }).result;
    expect(server.requests[first]?.body).toMatchObject({
      prompt_cache_key: 'chat-7',
      prompt_cache_retention: 'in_memory',
    });
  });
});
