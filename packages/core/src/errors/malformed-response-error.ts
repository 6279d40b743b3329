import { describeUnknown } from '../describe-unknown.js';
import { hasErrorCode, ReinsError } from './reins-error.js';

/** A backend produced a stream part that does not match the stream-part schema. The run fails. */
export class MalformedResponseError extends ReinsError {
  /** The offending part, as received. */
  readonly part: unknown;

  constructor(part: unknown, issues: string) {
    super(
      'malformed-response',
      `The model backend produced a malformed stream part: ${issues}. Received: ${describeUnknown(part)}. The backend must yield ModelStreamPart values (see modelStreamPartSchema).`,
    );
    this.name = 'MalformedResponseError';
    this.part = part;
  }

  /** Whether `value` is a {@link MalformedResponseError}. */
  static override isInstance(value: unknown): value is MalformedResponseError {
    return hasErrorCode(value, 'malformed-response');
  }
}
