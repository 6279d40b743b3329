/**
 * Test parts for code that talks to OpenAI-compatible servers: a real HTTP server on
 * 127.0.0.1 that streams scripted chat completions and injects faults, and the conformance
 * suite every Reins backend passes.
 *
 * A scripted stream is: a role chunk, reasoning chunks, content chunks (or tokens with
 * log-probabilities), tool-call chunks (id and name, then argument pieces), a chunk with
 * `finish_reason`, a usage chunk when the request asked for one, and `data: [DONE]`.
 *
 * @module @reins/openai/testing
 */
export {
  type ConformanceCase,
  type ConformanceFeatures,
  type ConformanceSubject,
  type ConformanceTarget,
  createBackendConformanceCases,
} from './backend-conformance.js';
export {
  type ChatCompletionsServer,
  type ChatCompletionsServerSettings,
  createChatCompletionsServer,
  type RecordedRequest,
  type RequestOutcome,
} from './chat-completions-server.js';
export {
  loadRecordedStreams,
  type RecordedStream,
  type RecordedStreamExpectation,
  type RecordedStreamSource,
  recordedStreamsDirectory,
  toRawReplay,
} from './recorded-stream.js';
export {
  type RenderCompletionOptions,
  renderCompletion,
  renderCompletionChunks,
} from './render-completion-chunks.js';
export type {
  RawReplay,
  ScriptedCompletion,
  ScriptedFault,
  ScriptedToken,
} from './scripted-completion.js';
export { type ModelStreamSummary, summarizeModelStream } from './summarize-model-stream.js';
