import { hasErrorCode, ReinsError } from './reins-error.js';

/** The model called a tool that is not defined. Recorded as the call's error result. */
export class UnknownToolError extends ReinsError {
  /** The name the model used. */
  readonly toolName: string;
  /** The tools that are defined. */
  readonly definedTools: readonly string[];

  constructor(toolName: string, definedTools: readonly string[]) {
    const defined = definedTools.length > 0 ? definedTools.join(', ') : '(none)';
    super(
      'unknown-tool',
      `Tool '${toolName}' is not defined. Defined tools: ${defined}. Call one of the defined tools, or add '${toolName}' to createAgent({ tools }).`,
    );
    this.name = 'UnknownToolError';
    this.toolName = toolName;
    this.definedTools = definedTools;
  }

  /** Whether `value` is an {@link UnknownToolError}. */
  static override isInstance(value: unknown): value is UnknownToolError {
    return hasErrorCode(value, 'unknown-tool');
  }
}
