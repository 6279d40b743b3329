import { hasErrorCode, ReinsError } from './reins-error.js';

/**
 * The model called a tool with arguments that are not JSON or do not match the tool's schema.
 * Recorded as the call's error result, so the model can correct itself.
 */
export class InvalidToolInputError extends ReinsError {
  /** The tool that was called. */
  readonly toolName: string;
  /** The raw argument text the model produced. */
  readonly rawArguments: string;
  /** One line per problem: `path: message`. */
  readonly issues: readonly string[];

  constructor(
    toolName: string,
    rawArguments: string,
    issues: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      'invalid-tool-input',
      `Invalid arguments for tool '${toolName}': ${issues.join('; ')}. Received: ${truncate(rawArguments, 200)}. Call '${toolName}' again with arguments that match its schema.`,
      options,
    );
    this.name = 'InvalidToolInputError';
    this.toolName = toolName;
    this.rawArguments = rawArguments;
    this.issues = issues;
  }

  /** Whether `value` is an {@link InvalidToolInputError}. */
  static override isInstance(value: unknown): value is InvalidToolInputError {
    return hasErrorCode(value, 'invalid-tool-input');
  }
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length)}…`;
}
