import type { Directive, ToolDirective } from './directive.js';
import type { ToolCall, ToolResult } from './message.js';

/** What a controller's `beforeTool` directives decide for one tool call. */
export interface ToolDirectives {
  /** The call's result when a directive decided it (the first `deny` or `resolve` wins). */
  readonly decided: ToolResult | undefined;
  /** The call's timeout set by a `timeout` directive, in milliseconds. */
  readonly timeoutMs: number | undefined;
  /** Every other directive, in order, for the loop to apply to the run. */
  readonly others: readonly Directive[];
}

/**
 * Sorts a controller's `beforeTool` directives for one call into the outcome they decide, the
 * timeout they set and the directives left for the run, so that the Reins loop and the LangChain
 * middleware read them the same way.
 */
export function readToolDirectives(
  call: ToolCall,
  directives: readonly ToolDirective[] | undefined,
): ToolDirectives {
  let timeoutMs: number | undefined;
  let decided: ToolResult | undefined;
  const others: Directive[] = [];
  for (const directive of directives ?? []) {
    if (directive.type === 'deny') {
      decided ??= {
        status: 'error',
        error: {
          code: 'tool-denied',
          message: `Tool call '${call.name}' was denied by ${directive.source}: ${directive.reason}`,
        },
      };
    } else if (directive.type === 'resolve') {
      decided ??= { status: 'ok', output: directive.output };
    } else if (directive.type === 'timeout') {
      timeoutMs = directive.ms;
    } else {
      others.push(directive);
    }
  }
  return { decided, timeoutMs, others };
}
