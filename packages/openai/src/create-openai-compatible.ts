import {
  type Clock,
  type FinishReason,
  InvalidOptionsError,
  type ModelBackend,
  type ModelCapabilities,
  type ModelRequest,
  type ModelStreamPart,
  systemClock,
} from '@reins/core';
import {
  type ChatCompletionChunk,
  createChatChunkParser,
  MultipleChoicesError,
} from './chat-chunk-parser.js';
import { classifyServerFailure } from './classify-server-failure.js';
import { convertToOpenAIMessages, convertToOpenAITools } from './convert-to-openai-messages.js';
import { type HintFieldOptions, mapSchedulingHints } from './map-scheduling-hints.js';
import type { OpenAIBackendEvent } from './openai-backend-event.js';
import { excerptOf, OpenAICallError, type OpenAICallErrorKind } from './openai-call-error.js';
import { flavorProfiles, type OpenAIFlavor, openAIFlavors } from './openai-flavor.js';
import { parseServerSentEvents } from './parse-sse.js';
import { computeCost, defaultPriceTable, findModelPrice, type PriceTable } from './price-table.js';
import type { UsageConvention } from './read-chunk-usage.js';
import { readStreamError } from './read-stream-error.js';
import {
  computeRetryDelay,
  defaultRetrySettings,
  parseRetryAfter,
  type RetrySettings,
} from './retry-policy.js';

/** Time limits of one request attempt. A limit that passes fails the attempt (and may retry it). */
export interface TimeoutSettings {
  /**
   * From sending the request to receiving the response headers.
   * @defaultValue 30 000 ms
   */
  readonly connectMs?: number;
  /**
   * From the response headers to the first streamed part (prefill time of a long prompt).
   * @defaultValue 300 000 ms
   */
  readonly firstTokenMs?: number;
  /**
   * Longest silence between two chunks once output has started.
   * @defaultValue 60 000 ms
   */
  readonly idleMs?: number;
}

/** The defaults of {@link TimeoutSettings}. */
export const defaultTimeoutSettings = Object.freeze({
  connectMs: 30_000,
  firstTokenMs: 300_000,
  idleMs: 60_000,
});

/** Where each flavour's server listens by default. */
export const defaultBaseURLs: Readonly<Record<OpenAIFlavor, string>> = Object.freeze({
  openai: 'https://api.openai.com/v1',
  vllm: 'http://127.0.0.1:8000/v1',
  sglang: 'http://127.0.0.1:30000/v1',
  llamacpp: 'http://127.0.0.1:8080/v1',
  ollama: 'http://127.0.0.1:11434/v1',
  xai: 'https://api.x.ai/v1',
});

/** Settings of {@link createOpenAICompatible}. */
export interface OpenAICompatibleSettings {
  /** The model's name at the server, e.g. `'gpt-4.1-mini'` or `'Qwen/Qwen3-8B'`. */
  readonly model: string;
  /**
   * Which server this is; see {@link OpenAIFlavor}.
   * @defaultValue `'openai'`
   */
  readonly flavor?: OpenAIFlavor;
  /**
   * The API root, ending in `/v1`.
   * @defaultValue `OPENAI_BASE_URL` for `openai`, else the flavour's local default ({@link defaultBaseURLs})
   */
  readonly baseURL?: string;
  /**
   * Sent as `Authorization: Bearer …`.
   * @defaultValue `OPENAI_API_KEY` for `openai`, `XAI_API_KEY` for `xai`; none for self-hosted flavours
   */
  readonly apiKey?: string;
  /** Extra headers for every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The fetch implementation.
   * @defaultValue `globalThis.fetch`
   */
  readonly fetch?: typeof fetch;
  /**
   * Prices for cost accounting; extend with `createPriceTable(defaultPriceTable, yours)`.
   * @defaultValue {@link defaultPriceTable}
   */
  readonly prices?: PriceTable;
  /** Retry policy; see {@link RetrySettings}. */
  readonly retry?: RetrySettings;
  /** Time limits; see {@link TimeoutSettings}. */
  readonly timeouts?: TimeoutSettings;
  /** Opt-in server features for scheduling hints; see {@link HintFieldOptions}. */
  readonly hintFields?: HintFieldOptions;
  /**
   * More `finish_reason` values the server sends, and what they mean. A value nobody declared
   * ends the call with `other` (its raw value in the `finish` part's `rawReason`) and a
   * `finish.unmapped` event.
   */
  readonly finishReasons?: Readonly<Record<string, FinishReason>>;
  /**
   * Where the server counts reasoning tokens; see {@link UsageConvention}.
   * @defaultValue the flavour's ({@link flavorProfiles})
   */
  readonly usageConvention?: UsageConvention;
  /**
   * Extra request body fields sent with every request (server-specific sampling options).
   * `n` above 1 is refused: a call reads one choice.
   */
  readonly body?: Readonly<Record<string, unknown>>;
  /** Overrides of what the model supports. */
  readonly capabilities?: Partial<ModelCapabilities>;
  /** Receives every request, retry and end; see {@link OpenAIBackendEvent}. */
  readonly onEvent?: (event: OpenAIBackendEvent) => void;
  /**
   * Time source for timeouts and retry delays.
   * @defaultValue `systemClock`
   */
  readonly clock?: Clock;
  /**
   * Numbers in [0, 1) for retry jitter.
   * @defaultValue `Math.random`
   */
  readonly random?: () => number;
}

/** A backend for an OpenAI-compatible server. */
export interface OpenAICompatibleBackend extends ModelBackend {
  /** The flavour in use. */
  readonly flavor: OpenAIFlavor;
  /** The chat-completions URL called. */
  readonly url: string;
}

/**
 * Creates a backend for any server that speaks OpenAI chat completions with SSE streaming:
 * OpenAI, vLLM, SGLang, llama.cpp's server or Ollama (see {@link OpenAIFlavor}).
 *
 * Streams text, reasoning, tool calls with streamed arguments, log-probabilities and usage
 * with cached prompt tokens and cost. Aborting `request.signal` closes the connection at once
 * and ends the stream without a `finish`. Failed attempts (429, 5xx, resets, timeouts) are
 * retried with exponential backoff and jitter, honouring `Retry-After`, but never once parts
 * have reached the caller unless `retry.retryAfterOutput` is set (a call's
 * `settings.retryAfterOutput` overrides it); such a retry first yields a `restart` part, so the
 * caller discards the voided attempt's output. Each retry is a `request.retry` event. Failures are {@link OpenAICallError}s.
 *
 * @param settings - model, flavour, base URL, key and the rest of {@link OpenAICompatibleSettings}.
 * @returns a `ModelBackend` for `createAgent({ backend })`.
 * @throws {InvalidOptionsError} for a missing model, an unknown flavour or a bad base URL.
 * @example
 * ```ts
 * const backend = createOpenAICompatible({
 *   flavor: 'vllm',
 *   baseURL: 'http://127.0.0.1:8000/v1',
 *   model: 'Qwen/Qwen3-8B',
 *   hintFields: { priorityScheduling: true },
 *   onEvent: (event) => { if (event.type === 'request.retry') console.warn(event.cause.message); },
 * });
 * const agent = createAgent({ backend, tools });
 * ```
 */
export function createOpenAICompatible(
  settings: OpenAICompatibleSettings,
): OpenAICompatibleBackend {
  const flavor = settings.flavor ?? 'openai';
  if (!openAIFlavors.includes(flavor)) {
    throw new InvalidOptionsError(
      'flavor',
      `Unknown flavor ${JSON.stringify(flavor)}. Use one of: ${openAIFlavors.join(', ')}.`,
    );
  }
  if (typeof settings.model !== 'string' || settings.model.trim() === '') {
    throw new InvalidOptionsError(
      'model',
      `createOpenAICompatible({ model }) needs the model's name at the server; received ${JSON.stringify(settings.model)}. Pass e.g. model: 'gpt-4.1-mini'.`,
    );
  }
  const choices = settings.body?.n;
  if (choices !== undefined && choices !== null && choices !== 1) {
    throw new InvalidOptionsError(
      'body',
      `createOpenAICompatible({ body: { n: ${JSON.stringify(choices)} } }) asks for several choices per call, but a Reins call reads one choice (the loop acts on one answer). Remove n from body, or make one call per sample.`,
    );
  }
  const profile = flavorProfiles[flavor];
  const usageConvention = settings.usageConvention ?? profile.usageConvention;
  const environment = typeof process === 'undefined' ? {} : process.env;
  const baseURL =
    settings.baseURL ??
    (flavor === 'openai' ? environment.OPENAI_BASE_URL : undefined) ??
    defaultBaseURLs[flavor];
  let url: string;
  try {
    const parsed = new URL(baseURL);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
    url = `${baseURL.replace(/\/+$/, '')}/chat/completions`;
  } catch {
    throw new InvalidOptionsError(
      'baseURL',
      `baseURL ${JSON.stringify(baseURL)} is not an http(s) URL. Pass the API root ending in /v1, e.g. 'http://127.0.0.1:8000/v1'.`,
    );
  }
  const apiKey =
    settings.apiKey ??
    (flavor === 'openai'
      ? environment.OPENAI_API_KEY
      : flavor === 'xai'
        ? environment.XAI_API_KEY
        : undefined);
  const doFetch = settings.fetch ?? globalThis.fetch;
  const clock = settings.clock ?? systemClock;
  const random = settings.random ?? Math.random;
  const retry = { ...defaultRetrySettings, ...settings.retry };
  const timeouts = { ...defaultTimeoutSettings, ...settings.timeouts };
  const price = findModelPrice(settings.prices ?? defaultPriceTable, settings.model);
  const capabilities: ModelCapabilities = { ...profile.capabilities, ...settings.capabilities };
  const provider = profile.provider;
  const modelId = settings.model;
  const baseHeaders: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'text/event-stream',
    ...(apiKey === undefined || apiKey === '' ? {} : { authorization: `Bearer ${apiKey}` }),
    ...settings.headers,
  };

  const emit = (event: OpenAIBackendEvent) => {
    if (settings.onEvent === undefined) return;
    try {
      settings.onEvent(event);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  };

  const buildRequest = (request: ModelRequest, attempt: number) => {
    const call = request.settings ?? {};
    const hints = mapSchedulingHints(flavor, request.hints, settings.hintFields, attempt);
    const body: Record<string, unknown> = {
      model: modelId,
      messages: convertToOpenAIMessages(request.messages),
      stream: true,
      stream_options: profile.streamOptions,
    };
    if (request.tools.length > 0) {
      body.tools = convertToOpenAITools(request.tools);
      if (call.toolChoice !== undefined) body.tool_choice = call.toolChoice;
    }
    if (call.maxTokens !== undefined) body[profile.maxTokensField] = call.maxTokens;
    if (call.temperature !== undefined) body.temperature = call.temperature;
    if (call.logprobs !== undefined && capabilities.logprobs) {
      body.logprobs = true;
      if (call.logprobs.topLogprobs > 0) body.top_logprobs = call.logprobs.topLogprobs;
    }
    Object.assign(body, settings.body, hints.body);
    return { body: JSON.stringify(body), headers: { ...baseHeaders, ...hints.headers } };
  };

  const fail = (
    kind: OpenAICallErrorKind,
    message: string,
    extra: {
      status?: number;
      excerpt?: string;
      retryable?: boolean;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) =>
    new OpenAICallError(message, {
      kind,
      provider,
      url,
      retryable: extra.retryable ?? false,
      ...(extra.status === undefined ? {} : { status: extra.status }),
      ...(extra.excerpt === undefined ? {} : { excerpt: extra.excerpt }),
      ...(extra.retryAfterMs === undefined ? {} : { retryAfterMs: extra.retryAfterMs }),
      ...(extra.cause === undefined ? {} : { cause: extra.cause }),
    });

  const statusError = async (response: Response): Promise<OpenAICallError> => {
    const status = response.status;
    const text = await response.text().catch(() => '');
    const retryAfterMs = parseRetryAfter(response.headers, clock.now());
    const failure = classifyServerFailure(
      { status, codes: errorCodesOf(text) },
      { baseURL, modelId },
    );
    const retryable = failure.retryable;
    const contentType = response.headers.get('content-type') ?? '';
    const excerpt = excerptOf(text);
    const common = {
      status,
      excerpt,
      retryable,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
    if (contentType.includes('html') || /^\s*</.test(text)) {
      return fail(
        'html-response',
        `${url} answered ${status} with an HTML page instead of JSON: "${excerptOf(stripTags(text), 160)}". ${status === 404 ? `Check baseURL (${baseURL}): it must be the API root ending in /v1.` : 'A proxy or gateway in front of the server failed, or baseURL points at a web page; check baseURL and that the server is up.'}`,
        common,
      );
    }
    const detail = errorMessageOf(text) ?? excerpt;
    return fail(
      'http-status',
      `${provider} server answered ${status}: ${detail}. ${failure.fix}`,
      common,
    );
  };

  const connectionError = (error: unknown): OpenAICallError => {
    const code = errorCodeOf(error);
    const reason = error instanceof Error ? error.message : String(error);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return fail(
        'connection',
        `Cannot resolve the host of ${url} (${code}). Check baseURL (${baseURL}).`,
        { retryable: code === 'EAI_AGAIN', cause: error },
      );
    }
    if (code === 'ECONNREFUSED') {
      return fail(
        'connection',
        `Nothing is listening at ${url} (ECONNREFUSED). Start the ${provider} server or fix baseURL (${baseURL}).`,
        { retryable: true, cause: error },
      );
    }
    return fail(
      'connection',
      `The connection to ${url} failed${code === undefined ? '' : ` (${code})`}: ${reason}. The request is retried when nothing was delivered yet.`,
      { retryable: true, cause: error },
    );
  };

  async function* attemptStream(
    request: ModelRequest,
    attempt: number,
    controller: AbortController,
    state: { delivered: number; timeout: OpenAICallError | undefined },
  ): AsyncGenerator<ModelStreamPart> {
    const { body, headers } = buildRequest(request, attempt);
    const timers = createWatchdog(clock);
    try {
      timers.arm(timeouts.connectMs, () => {
        state.timeout = fail(
          'connect-timeout',
          `${url} sent no response headers within ${timeouts.connectMs} ms. Check that the server is up, or raise timeouts.connectMs.`,
          { retryable: true },
        );
        controller.abort(state.timeout);
      });
      let response: Response;
      try {
        response = await doFetch(url, { method: 'POST', headers, body, signal: controller.signal });
      } catch (error) {
        throw state.timeout ?? (request.signal.aborted ? error : connectionError(error));
      }
      timers.disarm();
      if (!response.ok) throw await statusError(response);
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.includes('text/event-stream')) {
        const text = await response.text().catch(() => '');
        const html = contentType.includes('html') || /^\s*</.test(text);
        throw fail(
          html ? 'html-response' : 'unexpected-content-type',
          `${url} answered ${response.status} with ${contentType || 'no content type'} instead of an event stream: "${excerptOf(html ? stripTags(text) : text, 160)}". Check that baseURL (${baseURL}) is an OpenAI-compatible API root ending in /v1.`,
          { status: response.status, excerpt: excerptOf(text) },
        );
      }
      if (response.body === null)
        throw fail('truncated-stream', `${url} sent no body.`, { retryable: true });

      const started = clock.now();
      let lastActivity = started;
      let firstPart = false;
      const check = () => {
        const now = clock.now();
        const limit = firstPart ? timeouts.idleMs : timeouts.firstTokenMs;
        const since = firstPart ? lastActivity : started;
        if (now - since >= limit) {
          state.timeout = firstPart
            ? fail(
                'idle-timeout',
                `${url} sent nothing for ${timeouts.idleMs} ms in the middle of a stream. The server stalled; raise timeouts.idleMs if it is only slow.`,
                { retryable: true },
              )
            : fail(
                'first-token-timeout',
                `${url} produced no output within ${timeouts.firstTokenMs} ms of answering. The server is overloaded or stalled; raise timeouts.firstTokenMs for long prompts.`,
                { retryable: true },
              );
          controller.abort(state.timeout);
        } else timers.arm(limit - (now - since), check);
      };
      timers.arm(timeouts.firstTokenMs, check);
      const body$ = response.body;
      const chunks = (async function* () {
        const reader = body$.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            lastActivity = clock.now();
            yield value;
          }
        } finally {
          reader.releaseLock();
        }
      })();

      const parser = createChatChunkParser({
        ...(settings.finishReasons === undefined ? {} : { finishReasons: settings.finishReasons }),
        generateId: (position) => `call_${attempt}_${position}`,
        usageConvention,
      });
      const out: ModelStreamPart[] = [];
      let sawDone = false;
      try {
        for await (const data of parseServerSentEvents(chunks)) {
          if (data === '[DONE]') {
            sawDone = true;
            break;
          }
          let chunk: ChatCompletionChunk;
          try {
            chunk = JSON.parse(data) as ChatCompletionChunk;
          } catch (error) {
            throw fail(
              'malformed-chunk',
              `${provider} sent a stream chunk that is not JSON: "${excerptOf(data, 160)}". The server or a proxy corrupted the stream; check the server's logs and that baseURL reaches the server directly.`,
              { excerpt: excerptOf(data), cause: error },
            );
          }
          if (typeof chunk !== 'object' || chunk === null) {
            throw fail(
              'malformed-chunk',
              `${provider} sent a stream chunk that is not an object: "${excerptOf(data, 160)}". Check that baseURL is an OpenAI-compatible API root.`,
              { excerpt: excerptOf(data) },
            );
          }
          const reported = readStreamError(chunk as Record<string, unknown>);
          if (reported !== undefined) {
            const failure = classifyServerFailure(reported, { baseURL, modelId });
            throw fail(
              'stream-error',
              `${provider} reported an error in the stream${failure.status === undefined ? '' : ` (status ${failure.status})`}: ${reported.message}. ${failure.fix}`,
              {
                excerpt: excerptOf(data),
                retryable: failure.retryable,
                ...(failure.status === undefined ? {} : { status: failure.status }),
              },
            );
          }
          try {
            parser.push(chunk, out);
          } catch (error) {
            if (error instanceof MultipleChoicesError) {
              throw fail(
                'multiple-choices',
                `${provider} streamed choice ${error.choiceIndex}, but a Reins call reads one choice: "${excerptOf(data, 160)}". Remove n (or best_of) from the request body; make one call per sample instead.`,
                { excerpt: excerptOf(data) },
              );
            }
            throw error;
          }
          if (out.length > 0) {
            if (!firstPart) {
              firstPart = true;
              timers.arm(timeouts.idleMs, check);
            }
            for (const part of out) {
              state.delivered++;
              yield part;
            }
            out.length = 0;
          }
        }
      } catch (error) {
        if (state.timeout !== undefined) throw state.timeout;
        if (OpenAICallError.isInstance(error) || request.signal.aborted) throw error;
        throw connectionError(error);
      }
      timers.disarm();
      if (!sawDone && parser.finishReason === undefined) {
        throw fail(
          'truncated-stream',
          `The stream from ${url} ended without a finish_reason or [DONE]: the connection was cut. It is retried when nothing was delivered yet.`,
          { retryable: true },
        );
      }
      parser.flushToolCalls(out);
      const usage = parser.usage;
      if (usage !== undefined)
        out.push({
          type: 'usage',
          usage: price === undefined ? usage : { ...usage, costUsd: computeCost(price, usage) },
        });
      const rawReason = parser.rawFinishReason;
      if (rawReason !== undefined && !parser.finishReasonKnown) {
        emit({ type: 'finish.unmapped', provider, modelId, at: clock.now(), attempt, rawReason });
        out.push({ type: 'finish', reason: parser.finishReason ?? 'other', rawReason });
      } else out.push({ type: 'finish', reason: parser.finishReason ?? 'stop' });
      for (const part of out) {
        state.delivered++;
        yield part;
      }
    } finally {
      timers.disarm();
    }
  }

  return {
    specificationVersion: 'v1',
    provider,
    modelId,
    capabilities,
    flavor,
    url,
    async *stream(request) {
      const { signal } = request;
      const state = { delivered: 0, timeout: undefined as OpenAICallError | undefined };
      let attempt = 0;
      const end = (outcome: 'finished' | 'aborted' | 'failed') =>
        emit({
          type: 'request.end',
          provider,
          modelId,
          at: clock.now(),
          attempt,
          outcome,
          parts: state.delivered,
        });
      for (;;) {
        attempt++;
        if (signal.aborted) return end('aborted');
        emit({ type: 'request.start', provider, modelId, at: clock.now(), attempt, url });
        const controller = new AbortController();
        const onAbort = () => controller.abort(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        state.timeout = undefined;
        const deliveredBefore = state.delivered;
        let failure: OpenAICallError;
        try {
          yield* attemptStream(request, attempt, controller, state);
          return end('finished');
        } catch (error) {
          if (signal.aborted) return end('aborted');
          failure = OpenAICallError.isInstance(error) ? error : connectionError(error);
        } finally {
          signal.removeEventListener('abort', onAbort);
          controller.abort(new Error('The stream was closed by its consumer.'));
        }
        const afterOutput = state.delivered > deliveredBefore;
        const retries = attempt - 1;
        const tooLong =
          failure.retryAfterMs !== undefined && failure.retryAfterMs > retry.maxRetryAfterMs;
        const retryAfterOutput = request.settings?.retryAfterOutput ?? retry.retryAfterOutput;
        if (
          !failure.retryable ||
          retries >= retry.maxRetries ||
          (afterOutput && !retryAfterOutput) ||
          tooLong
        ) {
          end('failed');
          throw explainGivingUp(failure, {
            attempt,
            afterOutput,
            tooLong,
            maxRetryAfterMs: retry.maxRetryAfterMs,
          });
        }
        // The new attempt streams the whole answer again: void what this one delivered.
        if (afterOutput) yield { type: 'restart', reason: failure.message };
        const delayMs = computeRetryDelay(attempt, failure.retryAfterMs, retry, random);
        emit({
          type: 'request.retry',
          provider,
          modelId,
          at: clock.now(),
          attempt,
          delayMs,
          cause: {
            kind: failure.kind,
            message: failure.message,
            ...(failure.status === undefined ? {} : { status: failure.status }),
          },
          afterOutput,
          ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
        });
        const waited = await sleep(clock, delayMs, signal);
        if (!waited) return end('aborted');
      }
    },
  };
}

function explainGivingUp(
  failure: OpenAICallError,
  context: { attempt: number; afterOutput: boolean; tooLong: boolean; maxRetryAfterMs: number },
): OpenAICallError {
  if (!failure.retryable) return failure;
  const why = context.tooLong
    ? ` Not retried: the server asked to wait ${failure.retryAfterMs} ms, more than retry.maxRetryAfterMs (${context.maxRetryAfterMs}).`
    : context.afterOutput
      ? ' Not retried: output had already been delivered (set retry.retryAfterOutput to allow it, unless the call forbids it with settings.retryAfterOutput: false).'
      : context.attempt > 1
        ? ` Gave up after ${context.attempt} attempts (retry.maxRetries).`
        : '';
  if (why === '') return failure;
  return new OpenAICallError(`${failure.message}${why}`, {
    kind: failure.kind,
    provider: failure.provider,
    url: failure.url,
    retryable: failure.retryable,
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(failure.excerpt === undefined ? {} : { excerpt: failure.excerpt }),
    ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
    ...(failure.cause === undefined ? {} : { cause: failure.cause }),
  });
}

/** One re-armable timer on a clock. */
function createWatchdog(clock: Clock) {
  let handle: unknown;
  return {
    arm(ms: number, callback: () => void) {
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = clock.setTimeout(() => {
        handle = undefined;
        callback();
      }, ms);
    },
    disarm() {
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
    },
  };
}

/** Waits `ms` on the clock; resolves `false` when the signal aborts first. */
function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clock.clearTimeout(timer);
      resolve(false);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorCodesOf(text: string): unknown[] {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; type?: unknown } };
    return typeof parsed.error === 'object' && parsed.error !== null
      ? [parsed.error.code, parsed.error.type]
      : [];
  } catch {
    return [];
  }
}

function errorMessageOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as {
      error?: { message?: unknown } | string;
      message?: unknown;
      detail?: unknown;
    };
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
    if (typeof parsed.message === 'string') return parsed.message;
    if (parsed.detail !== undefined) return excerptOf(JSON.stringify(parsed.detail));
  } catch {
    // Not JSON: the caller quotes the text.
  }
  return undefined;
}

function stripTags(html: string): string {
  return html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
}
