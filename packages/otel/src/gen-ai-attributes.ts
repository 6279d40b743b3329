/**
 * Attribute names of the OpenTelemetry semantic conventions for generative AI (development
 * status, as of semantic conventions 1.37+), and Reins' own under `reins.`. Spans carry
 * these names so that any GenAI-aware backend shows a run's model and tool calls as such.
 */
export const genAiAttributes = Object.freeze({
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  agentName: 'gen_ai.agent.name',
  agentId: 'gen_ai.agent.id',
  conversationId: 'gen_ai.conversation.id',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  usageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  usageReasoningOutputTokens: 'gen_ai.usage.reasoning.output_tokens',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  errorType: 'error.type',
});

/** Values of `gen_ai.operation.name` that Reins' spans use. */
export const genAiOperations = Object.freeze({
  invokeAgent: 'invoke_agent',
  chat: 'chat',
  executeTool: 'execute_tool',
});

/** Reins' own attribute names (`reins.*`). */
export const reinsAttributes = Object.freeze({
  runId: 'reins.run.id',
  runResumed: 'reins.run.resumed',
  runStatus: 'reins.run.status',
  runReason: 'reins.run.reason',
  runMessage: 'reins.run.message',
  runTurns: 'reins.run.turns',
  turn: 'reins.turn',
  costUsd: 'reins.usage.cost_usd',
  messageCount: 'reins.model.message_count',
  interrupted: 'reins.interrupted',
  toolStatus: 'reins.tool.status',
  toolProviderCallId: 'reins.tool.provider_call_id',
  hintsPrefix: 'reins.hints.',
  evidencePrefix: 'reins.evidence.',
  policy: 'reins.policy',
  source: 'reins.source',
  message: 'reins.message',
  directive: 'reins.directive',
  interruptId: 'reins.interrupt.id',
  interruptKind: 'reins.interrupt.kind',
  interruptUrgency: 'reins.interrupt.urgency',
  interruptText: 'reins.interrupt.text',
});
