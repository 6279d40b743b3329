import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { ModelCallError } from '../errors/model-call-error.js';
import type { ModelBackend, ModelCapabilities, ModelRequest } from '../model-backend.js';
import type { FinishReason, ModelStreamPart, TokenLogprob } from '../stream-part.js';
import type { Usage } from '../usage.js';

/** One scripted model response. */
export interface ScriptedResponse {
  /** The answer text, streamed in chunks. */
  readonly text?: string;
  /** Reasoning text, streamed before the answer. */
  readonly reasoning?: string;
  /** Tool calls; `arguments` may be an object (serialised as JSON) or raw text. */
  readonly toolCalls?: readonly {
    readonly name: string;
    readonly arguments: unknown;
    readonly id?: string;
  }[];
  /** Reported usage. */
  readonly usage?: Partial<Usage>;
  /** Log-probabilities to report with the text. */
  readonly logprobs?: readonly TokenLogprob[];
  /** @defaultValue `'tool-calls'` when there are tool calls, else `'stop'` */
  readonly finishReason?: FinishReason;
  /** Throw this instead of answering (after streaming any text). */
  readonly error?: Error;
}

/** What a script entry may be: a response, or a function of the request that returns one. */
export type ScriptStep =
  | ScriptedResponse
  | ((request: ModelRequest, index: number) => ScriptedResponse);

/** Settings of {@link createScriptedBackend}. */
export interface ScriptedBackendSettings {
  /** The responses, in order. */
  readonly responses: readonly ScriptStep[];
  /**
   * Delay before each stream part, in milliseconds (on `clock`).
   * @defaultValue 0
   */
  readonly delayMs?: number;
  /**
   * Characters per text delta.
   * @defaultValue 16
   */
  readonly chunkSize?: number;
  /** @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** @defaultValue `'scripted-1'` */
  readonly modelId?: string;
  /** @defaultValue tool calls, reasoning and log-probabilities all supported */
  readonly capabilities?: Partial<ModelCapabilities>;
}

/** A scripted backend, which also records the requests it received. */
export interface ScriptedBackend extends ModelBackend {
  /** Every request received, in order (without its signal). */
  readonly requests: readonly Omit<ModelRequest, 'signal'>[];
}

/**
 * A backend that plays a script, for tests and for running examples without a model.
 *
 * Which response answers a request is decided by the request itself: the number of completed
 * (not interrupted) assistant messages in it. So a run resumed in a new process from a
 * checkpoint gets the same next response as the uninterrupted run would have. The stream
 * honours `signal`: an abort ends it at once.
 *
 * @example
 * ```ts
 * const backend = createScriptedBackend({ responses: [
 *   { toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] },
 *   { text: 'The notes say hello.' },
 * ] });
 * ```
 */
export function createScriptedBackend(settings: ScriptedBackendSettings): ScriptedBackend {
  const { responses } = settings;
  const delayMs = settings.delayMs ?? 0;
  const chunkSize = Math.max(1, settings.chunkSize ?? 16);
  const clock = settings.clock ?? systemClock;
  const requests: Omit<ModelRequest, 'signal'>[] = [];

  const wait = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        clock.clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = clock.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, delayMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });

  return {
    specificationVersion: 'v1',
    provider: 'scripted',
    modelId: settings.modelId ?? 'scripted-1',
    capabilities: { toolCalls: true, reasoning: true, logprobs: true, ...settings.capabilities },
    requests,
    async *stream(request) {
      const { signal, ...recorded } = request;
      requests.push({ ...recorded, messages: [...recorded.messages] });
      const index = request.messages.filter(
        (message) => message.role === 'assistant' && message.interrupted !== true,
      ).length;
      const step = responses[index];
      if (step === undefined) {
        throw new ModelCallError(
          'scripted',
          `The script has ${responses.length} responses and the run asked for response ${index + 1}. Add responses, or end the script with a final answer (a response without tool calls).`,
        );
      }
      const response = typeof step === 'function' ? step(request, index) : step;
      const parts: ModelStreamPart[] = [];
      for (const chunk of chunks(response.reasoning ?? '', chunkSize))
        parts.push({ type: 'reasoning-delta', delta: chunk });
      for (const chunk of chunks(response.text ?? '', chunkSize))
        parts.push({ type: 'text-delta', delta: chunk });
      if (response.logprobs !== undefined)
        parts.push({ type: 'logprobs', tokens: [...response.logprobs] });
      const toolCalls = response.toolCalls ?? [];
      toolCalls.forEach((call, position) => {
        const id = call.id ?? `call_${index + 1}_${position + 1}`;
        const text =
          typeof call.arguments === 'string'
            ? call.arguments
            : JSON.stringify(call.arguments ?? {});
        parts.push({ type: 'tool-call-delta', id, name: call.name, argumentsDelta: text });
        parts.push({ type: 'tool-call', id, name: call.name, arguments: text });
      });
      for (const part of parts) {
        if (delayMs > 0) await wait(signal);
        if (signal.aborted) return;
        yield part;
      }
      if (response.error !== undefined) throw response.error;
      if (delayMs > 0) await wait(signal);
      if (signal.aborted) return;
      yield {
        type: 'usage',
        usage: response.usage ?? {
          inputTokens: estimateTokens(request),
          outputTokens: Math.ceil((response.text ?? '').length / 4),
        },
      };
      yield {
        type: 'finish',
        reason: response.finishReason ?? (toolCalls.length > 0 ? 'tool-calls' : 'stop'),
      };
    },
  };
}

function chunks(text: string, size: number): string[] {
  const result: string[] = [];
  for (let start = 0; start < text.length; start += size)
    result.push(text.slice(start, start + size));
  return result;
}

function estimateTokens(request: ModelRequest): number {
  let characters = 0;
  for (const message of request.messages)
    characters += 'content' in message ? message.content.length : 20;
  return Math.ceil(characters / 4);
}
