import type { OpenAICallErrorKind } from './openai-call-error.js';

/** Fields every backend event carries. */
export interface OpenAIBackendEventBase {
  /** The backend's provider name. */
  readonly provider: string;
  /** The model called. */
  readonly modelId: string;
  /** Clock time in milliseconds. */
  readonly at: number;
  /** The attempt (1 for the first request, 2 for the first retry…). */
  readonly attempt: number;
}

/**
 * What an OpenAI-compatible backend reports while it works, discriminated on `type`.
 * Per call: `request.start`, then for each failed attempt that is retried `request.retry`
 * followed by another `request.start`, a `finish.unmapped` when the server's finish reason
 * had no mapping, and finally `request.end`.
 */
export type OpenAIBackendEvent =
  | (OpenAIBackendEventBase & { readonly type: 'request.start'; readonly url: string })
  | (OpenAIBackendEventBase & {
      readonly type: 'request.retry';
      /** Milliseconds waited before the next attempt. */
      readonly delayMs: number;
      /** Why the attempt failed. */
      readonly cause: {
        readonly kind: OpenAICallErrorKind;
        readonly status?: number;
        readonly message: string;
      };
      /** Whether parts of the failed attempt had already reached the caller. */
      readonly afterOutput: boolean;
      /** What the server asked to wait, if it did. */
      readonly retryAfterMs?: number;
    })
  | (OpenAIBackendEventBase & {
      /** The server ended with a `finish_reason` nobody declared; the call finished as `other`. */
      readonly type: 'finish.unmapped';
      /** The server's value, e.g. DeepSeek's `'insufficient_system_resource'`. */
      readonly rawReason: string;
    })
  | (OpenAIBackendEventBase & {
      readonly type: 'request.end';
      /** How the call ended. */
      readonly outcome: 'finished' | 'aborted' | 'failed';
      /** Stream parts delivered. */
      readonly parts: number;
    });

/** The `type` of an {@link OpenAIBackendEvent}. */
export type OpenAIBackendEventType = OpenAIBackendEvent['type'];
