import type { RunnableCall } from './agent-context.js';
import { InvalidToolInputError } from './errors/invalid-tool-input-error.js';
import type { ReinsError } from './errors/reins-error.js';
import type { ToolCall } from './message.js';

/**
 * Parses a tool call's raw JSON arguments and validates them against the tool's schema.
 * @returns the validated input, or an {@link InvalidToolInputError} the model will read.
 */
export function parseToolArguments(
  call: ToolCall,
  runnableTool: RunnableCall['tool'],
): { input: unknown } | { error: ReinsError } {
  let raw: unknown;
  try {
    raw = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (error) {
    return {
      error: new InvalidToolInputError(
        call.name,
        call.arguments,
        [`not valid JSON (${(error as Error).message})`],
        {
          cause: error,
        },
      ),
    };
  }
  const parsed = runnableTool.input.safeParse(raw);
  if (parsed.success) return { input: parsed.data };
  const issues = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  return {
    error: new InvalidToolInputError(call.name, call.arguments, issues, { cause: parsed.error }),
  };
}
