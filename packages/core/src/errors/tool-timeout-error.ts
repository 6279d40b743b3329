import { hasErrorCode, ReinsError } from './reins-error.js';

/**
 * A tool ran past its timeout. Its signal is aborted and it is detached: a late result is
 * discarded. Recorded as the call's error result.
 */
export class ToolTimeoutError extends ReinsError {
  /** The tool that timed out. */
  readonly toolName: string;
  /** The id of the call. */
  readonly callId: string;
  /** The timeout that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(toolName: string, callId: string, timeoutMs: number) {
    super(
      'tool-timeout',
      `Tool '${toolName}' did not finish within ${timeoutMs} ms (call ${callId}) and was cancelled. Raise defineTool({ timeoutMs }) or createAgent({ toolTimeoutMs }) if it needs longer.`,
    );
    this.name = 'ToolTimeoutError';
    this.toolName = toolName;
    this.callId = callId;
    this.timeoutMs = timeoutMs;
  }

  /** Whether `value` is a {@link ToolTimeoutError}. */
  static override isInstance(value: unknown): value is ToolTimeoutError {
    return hasErrorCode(value, 'tool-timeout');
  }
}
