import type { ScriptedCompletion } from './scripted-completion.js';

/** Options of {@link renderCompletionChunks}. */
export interface RenderCompletionOptions {
  /** The model name echoed in each chunk. */
  readonly model: string;
  /** Whether the request asked for usage with `stream_options.include_usage`. */
  readonly includeUsage: boolean;
  /** The completion id. */
  readonly id: string;
}

/**
 * Renders a scripted completion as the JSON chunks of a chat-completions stream, in the order
 * OpenAI sends them: a role chunk, reasoning, content, tool calls (name first, then argument
 * pieces), a chunk with `finish_reason`, and a usage chunk with empty `choices`.
 *
 * @returns the chunk objects (without the SSE framing and `[DONE]`).
 * @example
 * ```ts
 * renderCompletionChunks({ text: 'Hi' }, { model: 'm', includeUsage: false, id: 'c1' }).length; // 3
 * ```
 */
export function renderCompletionChunks(
  completion: ScriptedCompletion,
  options: RenderCompletionOptions,
): Record<string, unknown>[] {
  const size = Math.max(1, completion.chunkSize ?? 8);
  const base = {
    id: options.id,
    object: 'chat.completion.chunk',
    created: 0,
    model: options.model,
  };
  const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: null, ...extra }],
  });
  const chunks: Record<string, unknown>[] = [chunk({ role: 'assistant', content: '' })];
  const reasoningField = completion.reasoningField ?? 'reasoning_content';
  for (const piece of pieces(completion.reasoning ?? '', size))
    chunks.push(chunk({ [reasoningField]: piece }));
  for (const piece of pieces(completion.text ?? '', size)) chunks.push(chunk({ content: piece }));
  for (const token of completion.tokens ?? []) {
    chunks.push(
      chunk(
        { content: token.token },
        {
          logprobs: {
            content: [
              {
                token: token.token,
                logprob: token.logprob,
                bytes: [...Buffer.from(token.token)],
                top_logprobs: (token.topLogprobs ?? []).map((top) => ({
                  token: top.token,
                  logprob: top.logprob,
                  bytes: [...Buffer.from(top.token)],
                })),
              },
            ],
          },
        },
      ),
    );
  }
  const toolCalls = completion.toolCalls ?? [];
  toolCalls.forEach((call, index) => {
    const text =
      typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    chunks.push(
      chunk({
        tool_calls: [
          {
            index,
            id: call.id ?? `call_${options.id}_${index}`,
            type: 'function',
            function: { name: call.name, arguments: '' },
          },
        ],
      }),
    );
    for (const piece of pieces(text, size))
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  chunks.push(
    chunk(
      {},
      { finish_reason: completion.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop') },
    ),
  );
  if (options.includeUsage && completion.usage !== undefined) {
    const usage = completion.usage;
    chunks.push({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: usage.promptTokens,
        completion_tokens: usage.completionTokens,
        total_tokens: usage.promptTokens + usage.completionTokens,
        prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0 },
        completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
      },
    });
  }
  return chunks;
}

/**
 * Renders a scripted completion as one non-streamed `chat.completion` object.
 * @example
 * ```ts
 * renderCompletion({ text: 'Hi' }, { model: 'm', includeUsage: true, id: 'c1' }).object; // 'chat.completion'
 * ```
 */
export function renderCompletion(
  completion: ScriptedCompletion,
  options: RenderCompletionOptions,
): Record<string, unknown> & { object: string } {
  const toolCalls = (completion.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${options.id}_${index}`,
    type: 'function',
    function: {
      name: call.name,
      arguments:
        typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
  const text = `${completion.text ?? ''}${(completion.tokens ?? []).map((token) => token.token).join('')}`;
  const usage = completion.usage;
  return {
    id: options.id,
    object: 'chat.completion',
    created: 0,
    model: options.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          ...(completion.reasoning === undefined
            ? {}
            : { [completion.reasoningField ?? 'reasoning_content']: completion.reasoning }),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: completion.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      },
    ],
    ...(usage === undefined
      ? {}
      : {
          usage: {
            prompt_tokens: usage.promptTokens,
            completion_tokens: usage.completionTokens,
            total_tokens: usage.promptTokens + usage.completionTokens,
            prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0 },
            completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
          },
        }),
  };
}

function pieces(text: string, size: number): string[] {
  const result: string[] = [];
  for (let start = 0; start < text.length; start += size)
    result.push(text.slice(start, start + size));
  return result;
}
