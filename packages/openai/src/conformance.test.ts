import { createScriptedBackend, type ScriptedResponse } from '@reins/core/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createOpenAICompatible } from './create-openai-compatible.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { createBackendConformanceCases } from './testing/backend-conformance.js';
import {
  type ChatCompletionsServer,
  createChatCompletionsServer,
} from './testing/chat-completions-server.js';
import type { ScriptedCompletion } from './testing/scripted-completion.js';

let server: ChatCompletionsServer;
beforeAll(async () => {
  server = await createChatCompletionsServer();
});
afterAll(async () => {
  await server.close();
});

describe('conformance: @reins/openai against the loopback server', () => {
  const cases = createBackendConformanceCases({
    name: 'openai',
    features: { reasoning: true, logprobs: true, cachedTokens: true, cost: true, faults: true },
    prepare: (...completions) => {
      server.enqueue(...completions);
      const first = server.requests.length;
      return {
        backend: createOpenAICompatible({
          baseURL: server.baseURL,
          apiKey: 'test-key',
          model: 'gpt-4.1-mini',
          retry: { initialDelayMs: 5, maxDelayMs: 20 },
          timeouts: { firstTokenMs: 500, idleMs: 300 },
        }),
        served: (index) => server.waitForRequest(first + index),
      };
    },
  });
  for (const check of cases) it(check.name, check.run);
});

describe('conformance: the scripted backend of @reins/core', () => {
  const toResponse = (completion: ScriptedCompletion): ScriptedResponse => {
    const tokens = completion.tokens ?? [];
    const usage = completion.usage;
    return {
      text: `${completion.text ?? ''}${tokens.map((token) => token.token).join('')}`,
      ...(completion.reasoning === undefined ? {} : { reasoning: completion.reasoning }),
      ...(completion.toolCalls === undefined
        ? {}
        : {
            toolCalls: completion.toolCalls.map((call) => ({ ...call, id: call.id ?? call.name })),
          }),
      ...(tokens.length === 0
        ? {}
        : {
            logprobs: tokens.map((token) => ({
              ...token,
              topLogprobs: [...(token.topLogprobs ?? [])],
            })),
          }),
      ...(usage === undefined
        ? {}
        : {
            usage: {
              inputTokens: usage.promptTokens,
              outputTokens: usage.completionTokens,
              cachedInputTokens: usage.cachedTokens ?? 0,
            },
          }),
      ...(completion.finishReason === undefined
        ? {}
        : { finishReason: mapOpenAIFinishReason(completion.finishReason) ?? 'other' }),
    };
  };
  const cases = createBackendConformanceCases({
    name: 'scripted',
    features: { reasoning: true, logprobs: true, cachedTokens: true },
    prepare: (...completions) => {
      const responses = completions.map(toResponse);
      let next = 0;
      return {
        backend: createScriptedBackend({
          // Each call plays the next completion, whatever the request's history.
          responses: responses.map(() => () => responses[next++] ?? {}),
          delayMs: completions[0]?.delayMs ?? 0,
          chunkSize: completions[0]?.chunkSize ?? 16,
        }),
      };
    },
  });
  for (const check of cases) it(check.name, check.run);
});
