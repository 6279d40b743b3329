import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessageChunk } from '@langchain/core/messages';
import {
  type Clock,
  type FinishReason,
  type ModelBackend,
  ModelCallError,
  type ModelCapabilities,
  type ModelRequest,
  type ModelStreamPart,
  ReinsError,
  systemClock,
  type TokenLogprob,
  type UsagePatch,
} from '@reins/core';
import { reasoningOf, textOf } from './convert-from-langchain-messages.js';
import { toLangChainMessages } from './convert-to-langchain-messages.js';
import { mapLangChainFinishReason } from './map-langchain-finish-reason.js';
import { mapLangChainUsage } from './map-langchain-usage.js';

/** Options of {@link fromLangChainModel}. */
export interface LangChainModelOptions {
  /** @defaultValue the model's `_llmType()`, e.g. `'openai'` */
  readonly provider?: string;
  /** @defaultValue the model's `model` or `modelName` field */
  readonly modelId?: string;
  /** Overrides of what the model supports. @defaultValue tool calls if it has `bindTools`, reasoning, no log-probabilities */
  readonly capabilities?: Partial<ModelCapabilities>;
  /**
   * Map `hints.ttlMs` to Anthropic `cache_control` with `ttl` on the last message.
   * `'auto'` does so for models whose `_llmType()` is `'anthropic'`.
   * @defaultValue `'auto'`
   */
  readonly cacheControl?: 'auto' | 'anthropic' | 'none';
  /**
   * Fails the call when the model's stream is silent this long once it has started (a stalled
   * server). LangChain models have no idle limit of their own.
   * @defaultValue 60 000 ms
   */
  readonly idleTimeoutMs?: number;
  /**
   * Fails the call when no chunk arrives this long after it starts (the model's own retries
   * and the prompt's prefill happen in this time).
   * @defaultValue 300 000 ms
   */
  readonly firstChunkTimeoutMs?: number;
  /** Computes the cost in US dollars of a call's usage, when you know the price. */
  readonly cost?: (usage: UsagePatch) => number;
  /** Extra call options for every `stream()` call (model-specific). */
  readonly callOptions?: Readonly<Record<string, unknown>>;
  /** @defaultValue `systemClock` */
  readonly clock?: Clock;
}

interface PendingCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Turns any LangChain chat model into a Reins `ModelBackend`. Tools are bound with
 * `bindTools` (as name, description and JSON Schema), the call streams with `.stream()` and
 * the request's abort signal, tool-call chunks become `tool-call-delta` parts and complete
 * `tool-call`s, reasoning blocks (or `reasoning_content`) become `reasoning-delta`, and
 * `usage_metadata` becomes one `usage` part. For Anthropic models, `hints.ttlMs` marks the
 * prompt for caching with `cache_control: { type: 'ephemeral', ttl: '5m' | '1h' }`.
 * Failures are `ModelCallError`s with `retryable` set for rate limits, server errors and resets.
 *
 * @param chatModel - any `BaseChatModel` (ChatOpenAI, ChatAnthropic, fakes…).
 * @param options - names, capabilities, cache control, idle limit, cost.
 * @returns a backend for `createAgent({ backend })`.
 * @example
 * ```ts
 * const backend = fromLangChainModel(new ChatOpenAI({ model: 'gpt-4.1-mini' }));
 * const result = await createAgent({ backend, tools }).run('Summarise README.md').result;
 * ```
 */
export function fromLangChainModel(
  chatModel: BaseChatModel,
  options: LangChainModelOptions = {},
): ModelBackend {
  const llmType = safeLlmType(chatModel);
  const provider = options.provider ?? llmType;
  const fields = chatModel as unknown as { model?: unknown; modelName?: unknown };
  const modelId =
    options.modelId ??
    (typeof fields.model === 'string' ? fields.model : undefined) ??
    (typeof fields.modelName === 'string' ? fields.modelName : undefined) ??
    llmType;
  const canBind = typeof chatModel.bindTools === 'function';
  const anthropic =
    options.cacheControl === 'anthropic' ||
    ((options.cacheControl ?? 'auto') === 'auto' && llmType === 'anthropic');
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const firstChunkTimeoutMs = options.firstChunkTimeoutMs ?? 300_000;
  const clock = options.clock ?? systemClock;

  return {
    specificationVersion: 'v1',
    provider,
    modelId,
    capabilities: { toolCalls: canBind, reasoning: true, logprobs: false, ...options.capabilities },
    async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
      const { signal } = request;
      if (signal.aborted) return;
      const ttlMs = request.hints?.ttlMs;
      const messages = toLangChainMessages(
        request.messages,
        anthropic && ttlMs !== undefined ? { cacheControlTtl: ttlMs > 300_000 ? '1h' : '5m' } : {},
      );
      const controller = new AbortController();
      const onAbort = () => controller.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      let idleError: ModelCallError | undefined;
      let timer: unknown;
      let lastActivity = clock.now();
      let started = false;
      const watch = (ms: number) => {
        timer = clock.setTimeout(() => {
          const limit = started ? idleTimeoutMs : firstChunkTimeoutMs;
          const silent = clock.now() - lastActivity;
          if (silent >= limit) {
            idleError = new ModelCallError(
              provider,
              started
                ? `The ${provider} model sent nothing for ${idleTimeoutMs} ms in the middle of a stream. The server stalled; raise fromLangChainModel(model, { idleTimeoutMs }) if it is only slow.`
                : `The ${provider} model sent no chunk within ${firstChunkTimeoutMs} ms. The server is down or overloaded; raise fromLangChainModel(model, { firstChunkTimeoutMs }) for long prompts.`,
              { retryable: true },
            );
            controller.abort(idleError);
          } else watch(limit - silent);
        }, ms);
      };
      watch(firstChunkTimeoutMs);

      const calls: PendingCall[] = [];
      let finishReason: FinishReason | undefined;
      let usage: UsagePatch | undefined;
      try {
        const tools = request.tools.map((spec) => ({
          name: spec.name,
          description: spec.description,
          schema: spec.inputSchema,
        }));
        const toolChoice = request.settings?.toolChoice;
        const runnable =
          tools.length > 0 && canBind
            ? (chatModel.bindTools as NonNullable<BaseChatModel['bindTools']>)(
                tools,
                toolChoice === undefined ? {} : { tool_choice: toolChoice },
              )
            : chatModel;
        const stream = await runnable.stream(messages, {
          ...options.callOptions,
          signal: controller.signal,
        });
        for await (const chunk of stream as AsyncIterable<AIMessageChunk>) {
          lastActivity = clock.now();
          if (!started) {
            started = true;
            clock.clearTimeout(timer);
            watch(idleTimeoutMs);
          }
          if (controller.signal.aborted) break;
          const reasoning = reasoningOf(chunk);
          if (reasoning !== '') yield { type: 'reasoning-delta', delta: reasoning };
          const text = textOf(chunk.content);
          if (text !== '') yield { type: 'text-delta', delta: text };
          for (const part of chunk.tool_call_chunks ?? []) {
            const index =
              part.index ?? (part.id ? calls.findIndex((call) => call.id === part.id) : -1);
            const position = index === -1 || index === undefined ? calls.length : index;
            let call = calls[position];
            if (call === undefined) {
              call = { id: part.id ?? `call_${position}`, name: '', arguments: '' };
              calls[position] = call;
            }
            if (part.name && call.name === '') call.name = part.name;
            const argumentsDelta = part.args ?? '';
            call.arguments += argumentsDelta;
            yield {
              type: 'tool-call-delta',
              id: call.id,
              ...(call.name === '' ? {} : { name: call.name }),
              argumentsDelta,
            };
          }
          if ((chunk.tool_call_chunks ?? []).length === 0) {
            for (const complete of chunk.tool_calls ?? []) {
              calls.push({
                id: complete.id ?? `call_${calls.length}`,
                name: complete.name,
                arguments: JSON.stringify(complete.args ?? {}),
              });
            }
          }
          const logprobs = logprobsOf(chunk.response_metadata);
          if (logprobs !== undefined) yield { type: 'logprobs', tokens: logprobs };
          const metadata = chunk.response_metadata as Record<string, unknown> | undefined;
          finishReason = mapLangChainFinishReason(metadata) ?? finishReason;
          if (chunk.usage_metadata !== undefined) {
            const next = mapLangChainUsage(chunk.usage_metadata);
            usage = usage === undefined ? next : sumUsage(usage, next);
          }
        }
        if (idleError !== undefined) throw idleError;
        if (signal.aborted) return;
      } catch (error) {
        if (signal.aborted) return;
        throw idleError ?? toModelCallError(provider, modelId, error);
      } finally {
        clock.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        controller.abort(new Error('The stream was closed by its consumer.'));
      }
      for (const call of calls) {
        if (call.name === '') {
          throw new ModelCallError(
            provider,
            `The ${provider} model streamed tool call '${call.id}' without a name (arguments: ${call.arguments.slice(0, 120)}). The model or its LangChain integration sent an incomplete tool call; check that the integration streams tool_call_chunks with names.`,
          );
        }
        yield { type: 'tool-call', id: call.id, name: call.name, arguments: call.arguments };
      }
      if (usage !== undefined) {
        yield {
          type: 'usage',
          usage: options.cost === undefined ? usage : { ...usage, costUsd: options.cost(usage) },
        };
      }
      yield { type: 'finish', reason: finishReason ?? (calls.length > 0 ? 'tool-calls' : 'stop') };
    },
  };
}

function safeLlmType(chatModel: BaseChatModel): string {
  try {
    return chatModel._llmType();
  } catch {
    return 'langchain';
  }
}

function sumUsage(a: UsagePatch, b: UsagePatch): UsagePatch {
  return {
    inputTokens: (a.inputTokens ?? 0) + (b.inputTokens ?? 0),
    outputTokens: (a.outputTokens ?? 0) + (b.outputTokens ?? 0),
    cachedInputTokens: (a.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0),
    reasoningTokens: (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0),
  };
}

function logprobsOf(metadata: unknown): TokenLogprob[] | undefined {
  const content = (metadata as { logprobs?: { content?: unknown } } | undefined)?.logprobs?.content;
  if (!Array.isArray(content) || content.length === 0) return undefined;
  return content.map(
    (token: {
      token: string;
      logprob: number;
      top_logprobs?: { token: string; logprob: number }[];
    }) => ({
      token: token.token,
      logprob: token.logprob,
      ...(token.top_logprobs === undefined
        ? {}
        : {
            topLogprobs: token.top_logprobs.map((top) => ({
              token: top.token,
              logprob: top.logprob,
            })),
          }),
    }),
  );
}

function toModelCallError(provider: string, modelId: string, error: unknown): ReinsError {
  if (ReinsError.isInstance(error)) return error;
  const details = error as { status?: unknown; code?: unknown; name?: unknown; cause?: unknown };
  const status = typeof details.status === 'number' ? details.status : undefined;
  const reason = error instanceof Error ? error.message : String(error);
  const causeCode = (details.cause as { code?: unknown } | undefined)?.code;
  const connection =
    /ECONNRESET|ECONNREFUSED|terminated|socket|network|fetch failed|Connection error/i.test(
      `${reason} ${String(details.code)} ${String(causeCode)} ${String(details.name)}`,
    );
  const retryable =
    status === 408 ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    (status === undefined && connection);
  const fix =
    status === 401 || status === 403
      ? 'Check the API key the chat model is configured with.'
      : status === 404
        ? `Check the chat model's base URL and that model '${modelId}' exists.`
        : retryable
          ? "LangChain's own retries (the model's maxRetries) are exhausted; retry the run later."
          : 'Check the chat model configuration and the request.';
  return new ModelCallError(
    provider,
    `The ${provider} model failed${status === undefined ? '' : ` with status ${status}`}: ${reason.slice(0, 300)}. ${fix}`,
    { cause: error, retryable },
  );
}
