import { describe, expect, it } from 'vitest';
import { createOpenAICompatibleFromEnvironment } from './backend-from-environment.js';
import { createChatCompletionsServer } from './testing/index.js';

describe('createOpenAICompatibleFromEnvironment', () => {
  it('makes no backend without REINS_MODEL', () => {
    expect(createOpenAICompatibleFromEnvironment({ OPENAI_API_KEY: 'sk-test' })).toBeUndefined();
  });

  it('names the missing variable and the way out', () => {
    expect(() => createOpenAICompatibleFromEnvironment({ REINS_MODEL: 'gpt-5-mini' })).toThrow(
      /OPENAI_API_KEY nor OPENAI_BASE_URL/,
    );
    expect(() =>
      createOpenAICompatibleFromEnvironment({ REINS_MODEL: 'm', REINS_FLAVOR: 'tgi' }),
    ).toThrow(/use one of openai, vllm/);
  });

  it('streams from the configured server', async () => {
    const server = await createChatCompletionsServer({
      responses: [{ text: 'Hello from the server.' }],
    });
    try {
      const backend = createOpenAICompatibleFromEnvironment({
        REINS_MODEL: 'local-model',
        OPENAI_BASE_URL: server.baseURL,
        REINS_FLAVOR: 'vllm',
      });
      expect(backend?.modelId).toBe('local-model');
      let text = '';
      for await (const part of backend?.stream({
        messages: [{ role: 'user', content: 'hi' }],
        tools: [],
        signal: new AbortController().signal,
      }) ?? []) {
        if (part.type === 'text-delta') text += part.delta;
      }
      expect(text).toBe('Hello from the server.');
      expect(server.requests[0]?.body).toMatchObject({ model: 'local-model' });
    } finally {
      await server.close();
    }
  });
});
