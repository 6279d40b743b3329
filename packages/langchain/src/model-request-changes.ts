import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { tool as createLangChainTool } from '@langchain/core/tools';
import type { ModelCapabilities } from '@reins/core';
import type { LangChainRunModel } from './langchain-run.js';

/** The model's identity, when it cannot be read from the model object. */
export interface ReinsModelIdentity {
  readonly provider: string;
  readonly modelId: string;
  readonly capabilities?: Partial<ModelCapabilities>;
}

/** The model before any call told who it is. */
export const unknownModel: LangChainRunModel = Object.freeze({
  provider: 'unknown',
  modelId: 'unknown',
  capabilities: Object.freeze({ toolCalls: true, reasoning: false, logprobs: false }),
});

/** The model as `view.model` tells controllers: given, or read from a LangChain chat model. */
export function describeModel(model: object | ReinsModelIdentity): LangChainRunModel {
  const given = model as Partial<ReinsModelIdentity>;
  if (typeof given.provider === 'string' && typeof given.modelId === 'string') {
    return {
      provider: given.provider,
      modelId: given.modelId,
      capabilities: { ...unknownModel.capabilities, ...given.capabilities },
    };
  }
  let target = model as Record<string, unknown>;
  if (typeof target.bound === 'object' && target.bound !== null)
    target = target.bound as Record<string, unknown>;
  const configured = target._defaultConfig as Record<string, unknown> | undefined;
  let provider =
    typeof configured?.modelProvider === 'string' ? configured.modelProvider : 'unknown';
  try {
    if (provider === 'unknown' && typeof target._llmType === 'function')
      provider = String(target._llmType());
  } catch {
    // Some models cannot name their type before they are configured.
  }
  const modelId =
    (typeof target.model === 'string' ? target.model : undefined) ??
    (typeof target.modelName === 'string' ? target.modelName : undefined) ??
    (typeof configured?.model === 'string' ? configured.model : undefined) ??
    provider;
  return {
    provider,
    modelId,
    capabilities: {
      ...unknownModel.capabilities,
      toolCalls: typeof target.bindTools === 'function',
    },
  };
}

/** The LangChain tool made for each tool spec (a controller offers the same spec every turn). */
const offeredTools = new WeakMap<object, ReturnType<typeof createOfferedTool>>();

/**
 * A LangChain tool standing for a controller tool; the controller answers its calls. Made once
 * per spec object.
 */
export function toOfferedTool(spec: { name: string; description: string; inputSchema: object }) {
  let tool = offeredTools.get(spec);
  if (tool === undefined) {
    tool = createOfferedTool(spec);
    offeredTools.set(spec, tool);
  }
  return tool;
}

function createOfferedTool(spec: { name: string; description: string; inputSchema: object }) {
  return createLangChainTool(
    () => {
      throw new Error(`Tool '${spec.name}' is answered by the Reins controller.`);
    },
    { name: spec.name, description: spec.description, schema: spec.inputSchema as never },
  );
}

/** A copy of the request's messages with the last one marked as an Anthropic cache breakpoint. */
export function withCacheControl(messages: BaseMessage[], ttl: '5m' | '1h'): BaseMessage[] {
  const last = messages.at(-1);
  if (last === undefined) return messages;
  const blocks =
    typeof last.content === 'string'
      ? [{ type: 'text', text: last.content, cache_control: { type: 'ephemeral', ttl } }]
      : (last.content as Record<string, unknown>[]).map((block, index, all) =>
          index === all.length - 1
            ? { ...block, cache_control: { type: 'ephemeral', ttl } }
            : block,
        );
  let copy: BaseMessage;
  if (ToolMessage.isInstance(last)) {
    copy = new ToolMessage({
      content: blocks as never,
      tool_call_id: last.tool_call_id,
      ...(last.name === undefined ? {} : { name: last.name }),
      ...(last.status === undefined ? {} : { status: last.status }),
      ...(last.id === undefined ? {} : { id: last.id }),
    });
  } else if (AIMessage.isInstance(last)) {
    copy = new AIMessage({
      content: blocks as never,
      tool_calls: last.tool_calls ?? [],
      ...(last.id === undefined ? {} : { id: last.id }),
    });
  } else if (SystemMessage.isInstance(last)) {
    copy = new SystemMessage({ content: blocks as never });
  } else {
    copy = new HumanMessage({
      content: blocks as never,
      ...(last.id === undefined ? {} : { id: last.id }),
    });
  }
  return [...messages.slice(0, -1), copy];
}
