/**
 * A Reins `ModelBackend` for any OpenAI-compatible chat-completions server: OpenAI, vLLM,
 * SGLang, llama.cpp's server and Ollama. `createOpenAICompatible({ model, flavor, baseURL })`
 * streams text, reasoning, tool calls, log-probabilities and usage with cached tokens and
 * cost; maps the controller's scheduling hints to each server's request fields; retries
 * rate limits, server errors and resets with backoff; and closes the connection on abort.
 *
 * Stream order per call: `reasoning-delta`* and `text-delta`* and `tool-call-delta`* and
 * `logprobs`* as the server sends them, then the complete `tool-call`s, one `usage` (when the
 * server reports it), and exactly one `finish`. An aborted call ends without `finish`.
 * Backend events per call: `request.start`, (`request.retry`, `request.start`)*, `request.end`.
 *
 * @module @reins/openai
 */
export {
  type BackendEnvironment,
  createOpenAICompatibleFromEnvironment,
} from './backend-from-environment.js';
export {
  type ChatChunkParser,
  type ChatChunkParserOptions,
  type ChatCompletionChunk,
  type ChunkParserState,
  createChatChunkParser,
  MultipleChoicesError,
} from './chat-chunk-parser.js';
export {
  classifyServerFailure,
  type FailureContext,
  type ServerFailureClass,
} from './classify-server-failure.js';
export {
  convertToOpenAIMessages,
  convertToOpenAITools,
  type OpenAIChatMessage,
  type OpenAIChatTool,
} from './convert-to-openai-messages.js';
export {
  createOpenAICompatible,
  defaultBaseURLs,
  defaultTimeoutSettings,
  type OpenAICompatibleBackend,
  type OpenAICompatibleSettings,
  type TimeoutSettings,
} from './create-openai-compatible.js';
export { mapOpenAIFinishReason, openAIFinishReasons } from './map-openai-finish-reason.js';
export {
  type HintFieldOptions,
  type MappedHints,
  mapSchedulingHints,
} from './map-scheduling-hints.js';
export type {
  OpenAIBackendEvent,
  OpenAIBackendEventBase,
  OpenAIBackendEventType,
} from './openai-backend-event.js';
export {
  excerptOf,
  OpenAICallError,
  type OpenAICallErrorFields,
  type OpenAICallErrorKind,
} from './openai-call-error.js';
export {
  type FlavorProfile,
  flavorProfiles,
  type OpenAIFlavor,
  openAIFlavors,
} from './openai-flavor.js';
export { parseServerSentEvents } from './parse-sse.js';
export {
  computeCost,
  createPriceTable,
  defaultPriceTable,
  findModelPrice,
  type ModelPrice,
  type PriceTable,
} from './price-table.js';
export {
  type ChunkTimings,
  type ChunkUsage,
  readChunkUsage,
  type UsageConvention,
  type UsageSources,
} from './read-chunk-usage.js';
export {
  type DeltaContent,
  type DeltaContentPart,
  type ReadContent,
  readDeltaContent,
} from './read-delta-content.js';
export { readStreamError, type StreamErrorReport } from './read-stream-error.js';
export {
  computeRetryDelay,
  defaultRetrySettings,
  parseRetryAfter,
  type RetrySettings,
} from './retry-policy.js';
