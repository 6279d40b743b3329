import type { ModelCapabilities } from '@reins/core';
import type { UsageConvention } from './read-chunk-usage.js';

/**
 * Which OpenAI-compatible server a backend talks to. The flavour decides the request fields
 * (token limit, `stream_options`, scheduling hints) and how the response is read.
 *
 * | flavour | reasoning field | cached tokens in usage | hint fields sent |
 * |---|---|---|---|
 * | `openai` | (none streamed) | `prompt_tokens_details.cached_tokens` | `prompt_cache_key`, `prompt_cache_retention` |
 * | `vllm` | `reasoning` (≥ 0.10), `reasoning_content` (older) | same, with `--enable-prompt-tokens-details` | `priority` (opt-in), `request_id`, Continuum `job_id`/`is_last_step` (opt-in), a session header (opt-in) |
 * | `sglang` | `reasoning_content` | same, with `--enable-cache-report` | `priority` (opt-in), `rid` |
 * | `llamacpp` | `reasoning_content` | `timings.cache_n` (or `prompt_tokens_details`) | `cache_prompt`, `id_slot` (with `slots`) |
 * | `ollama` | `reasoning` | not reported | none |
 * | `xai` | `reasoning_content` | `prompt_tokens_details.cached_tokens`; reasoning tokens outside `completion_tokens` | none |
 *
 * Servers without a flavour of their own (DeepSeek, Mistral, Groq, Alibaba, Moonshot,
 * Perplexity, OpenRouter) are read with the `openai` flavour; the package README lists what
 * each sends.
 */
export type OpenAIFlavor = 'openai' | 'vllm' | 'sglang' | 'llamacpp' | 'ollama' | 'xai';

/** The flavours this package knows, in documentation order. */
export const openAIFlavors: readonly OpenAIFlavor[] = Object.freeze([
  'openai',
  'vllm',
  'sglang',
  'llamacpp',
  'ollama',
  'xai',
]);

/** What differs between servers, as data. */
export interface FlavorProfile {
  /** Provider name reported by the backend. */
  readonly provider: string;
  /** The request field for the completion-token cap. */
  readonly maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Sent as `stream_options` so that the last chunk carries usage. */
  readonly streamOptions: Readonly<Record<string, boolean>>;
  /** What the server supports. */
  readonly capabilities: ModelCapabilities;
  /** Whether the server rejects unknown request fields (then only known fields are sent). */
  readonly rejectsUnknownFields: boolean;
  /** Where the server counts reasoning tokens in its usage. */
  readonly usageConvention: UsageConvention;
}

/**
 * The profile of each flavour.
 * @example
 * ```ts
 * flavorProfiles.vllm.maxTokensField; // 'max_tokens'
 * ```
 */
export const flavorProfiles: Readonly<Record<OpenAIFlavor, FlavorProfile>> = Object.freeze({
  openai: {
    provider: 'openai',
    maxTokensField: 'max_completion_tokens',
    streamOptions: { include_usage: true },
    capabilities: { toolCalls: true, reasoning: false, logprobs: true },
    rejectsUnknownFields: true,
    usageConvention: 'reasoning-in-completion',
  },
  vllm: {
    provider: 'vllm',
    maxTokensField: 'max_tokens',
    streamOptions: { include_usage: true, continuous_usage_stats: false },
    capabilities: { toolCalls: true, reasoning: true, logprobs: true },
    rejectsUnknownFields: false,
    usageConvention: 'reasoning-in-completion',
  },
  sglang: {
    provider: 'sglang',
    maxTokensField: 'max_tokens',
    streamOptions: { include_usage: true, continuous_usage_stats: false },
    capabilities: { toolCalls: true, reasoning: true, logprobs: true },
    rejectsUnknownFields: false,
    usageConvention: 'reasoning-in-completion',
  },
  llamacpp: {
    provider: 'llamacpp',
    maxTokensField: 'max_tokens',
    streamOptions: { include_usage: true },
    capabilities: { toolCalls: true, reasoning: true, logprobs: true },
    rejectsUnknownFields: false,
    usageConvention: 'reasoning-in-completion',
  },
  ollama: {
    provider: 'ollama',
    maxTokensField: 'max_tokens',
    streamOptions: { include_usage: true },
    capabilities: { toolCalls: true, reasoning: true, logprobs: false },
    rejectsUnknownFields: false,
    usageConvention: 'reasoning-in-completion',
  },
  xai: {
    provider: 'xai',
    maxTokensField: 'max_completion_tokens',
    streamOptions: { include_usage: true },
    capabilities: { toolCalls: true, reasoning: true, logprobs: true },
    rejectsUnknownFields: true,
    usageConvention: 'reasoning-beside-completion',
  },
});
