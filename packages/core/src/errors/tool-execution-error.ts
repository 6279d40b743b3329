import { describeUnknown } from '../describe-unknown.js';
import { hasErrorCode, ReinsError } from './reins-error.js';

/** A tool threw (or rejected). Recorded as the call's error result; the run goes on. */
export class ToolExecutionError extends ReinsError {
  /** The tool that failed. */
  readonly toolName: string;
  /** The id of the failed call. */
  readonly callId: string;

  constructor(toolName: string, callId: string, cause: unknown) {
    const reason = describeUnknown(cause);
    super('tool-execution', `Tool '${toolName}' failed (call ${callId}): ${reason}`, { cause });
    this.name = 'ToolExecutionError';
    this.toolName = toolName;
    this.callId = callId;
  }

  /** Whether `value` is a {@link ToolExecutionError}. */
  static override isInstance(value: unknown): value is ToolExecutionError {
    return hasErrorCode(value, 'tool-execution');
  }
}
