import { fromCallback } from 'xstate';
import { describeUnknown } from './describe-unknown.js';
import { MalformedResponseError } from './errors/malformed-response-error.js';
import { ModelCallError } from './errors/model-call-error.js';
import { ReinsError } from './errors/reins-error.js';
import type { ModelBackend, ModelRequest } from './model-backend.js';
import { createOutputMeter } from './output-meter.js';
import { finishReasonSchema, type ModelStreamPart, modelStreamPartSchema } from './stream-part.js';

/** Events the model-call actor sends to the loop. */
export type ModelCallEvent =
  | { readonly type: 'MODEL.END' }
  | { readonly type: 'MODEL.ERROR'; readonly error: ReinsError };

/** Input of the model-call actor. */
export interface ModelCallInput {
  readonly backend: ModelBackend;
  readonly request: Omit<ModelRequest, 'signal'>;
  /** Receives each well-formed part, until the actor is stopped. */
  readonly onPart: (part: ModelStreamPart) => void;
}

/**
 * A fast structural check of a stream part, on the hot path (every token). When it fails, the
 * zod schema explains why.
 */
function isModelStreamPart(part: ModelStreamPart): boolean {
  if (typeof part !== 'object' || part === null) return false;
  switch (part.type) {
    case 'text-delta':
    case 'reasoning-delta':
    case 'refusal-delta':
      return typeof part.delta === 'string';
    case 'tool-call':
      return isName(part.id) && isName(part.name) && typeof part.arguments === 'string';
    case 'finish':
      return (
        finishReasons.has(part.reason) &&
        (part.rawReason === undefined || typeof part.rawReason === 'string')
      );
    case 'restart':
      return typeof part.reason === 'string';
    case 'usage':
      return (
        typeof part.usage === 'object' &&
        part.usage !== null &&
        Object.values(part.usage).every(isCount)
      );
    case 'tool-call-delta':
    case 'logprobs':
      return modelStreamPartSchema.safeParse(part).success;
    default:
      return false;
  }
}

const finishReasons = new Set<unknown>(finishReasonSchema.options);
const isName = (value: unknown) => typeof value === 'string' && value !== '';
const isCount = (value: unknown) =>
  value === undefined || (typeof value === 'number' && value >= 0 && Number.isFinite(value));

/**
 * Streams one model call. Stopping the actor (the loop leaving `calling` for any reason) aborts
 * the request's signal; nothing the backend yields afterwards reaches the loop.
 *
 * With `settings.maxOutputBytes`, the actor aborts the request once the streamed output passes
 * that many UTF-8 bytes and ends the call itself with finish reason `'length'`. With
 * `settings.retryAfterOutput: false`, a `restart` part fails the call.
 */
export const modelCallActor = fromCallback<ModelCallEvent, ModelCallInput>(
  ({ input, sendBack }) => {
    const abort = new AbortController();
    const { signal } = abort;
    /** Set when the loop left the call: nothing more reaches it. */
    let left = false;
    const send = (event: ModelCallEvent) => {
      if (!left) sendBack(event);
    };
    /** Set once the stream has ended with its finish: nothing is left to abort. */
    let completed = false;
    const settings = input.request.settings;
    const ceiling = settings?.maxOutputBytes;
    const meter = ceiling === undefined ? undefined : createOutputMeter();
    void (async () => {
      let finished = false;
      try {
        for await (const part of input.backend.stream({ ...input.request, signal })) {
          if (left) return;
          if (!isModelStreamPart(part)) {
            const checked = modelStreamPartSchema.safeParse(part);
            throw new MalformedResponseError(part, checked.error?.issues[0]?.message ?? 'invalid');
          }
          if (part.type === 'restart' && settings?.retryAfterOutput === false) {
            throw new ModelCallError(
              input.backend.provider,
              `The ${input.backend.provider} backend restarted the stream after output (${part.reason}) although the call set retryAfterOutput: false. The backend must honour settings.retryAfterOutput.`,
            );
          }
          input.onPart(part);
          if (part.type === 'finish') finished = true;
          else if (meter !== undefined && meter.add(part) > (ceiling as number)) {
            // Past its ceiling: close the connection and end the call here, cut at its length.
            abort.abort(new Error(`The call streamed more than its ${ceiling} output bytes.`));
            input.onPart({ type: 'finish', reason: 'length' });
            finished = true;
            break;
          }
        }
        if (left) return;
        if (!finished) {
          throw new ModelCallError(
            input.backend.provider,
            `The ${input.backend.provider} stream ended without a 'finish' part. The backend must end every stream with { type: 'finish' }.`,
          );
        }
        completed = true;
        send({ type: 'MODEL.END' });
      } catch (error) {
        send({ type: 'MODEL.ERROR', error: toReinsError(input.backend.provider, error) });
      }
    })();
    return () => {
      left = true;
      if (!completed) abort.abort(new Error('The model call was left by the agent loop.'));
    };
  },
);

function toReinsError(provider: string, error: unknown): ReinsError {
  if (ReinsError.isInstance(error)) return error;
  return new ModelCallError(provider, `The ${provider} backend failed: ${describeUnknown(error)}`, {
    cause: error,
  });
}
