/** What a server's failure means for the caller. */
export interface ServerFailureClass {
  /** The HTTP status the failure stands for (given, or inferred from a string code). */
  readonly status: number | undefined;
  /** Whether trying again may succeed. */
  readonly retryable: boolean;
  /** One sentence telling the user what to do. */
  readonly fix: string;
}

/** Where the request went, for the advice in a message. */
export interface FailureContext {
  readonly baseURL: string;
  readonly modelId: string;
}

/**
 * String codes and types servers send (in an error body or inside a stream) and the HTTP
 * status each stands for.
 */
const statusOfCode: Readonly<Record<string, number>> = Object.freeze({
  invalid_request_error: 400,
  badrequesterror: 400,
  context_length_exceeded: 400,
  invalid_prompt: 400,
  authentication_error: 401,
  invalid_api_key: 401,
  permission_error: 403,
  permission_denied: 403,
  not_found_error: 404,
  notfounderror: 404,
  model_not_found: 404,
  request_timeout: 408,
  timeout: 408,
  rate_limit_exceeded: 429,
  rate_limit_error: 429,
  too_many_requests: 429,
  insufficient_quota: 429,
  server_error: 500,
  internal_error: 500,
  internal_server_error: 500,
  internalservererror: 500,
  api_error: 500,
  bad_gateway: 502,
  overloaded: 503,
  overloaded_error: 503,
  service_unavailable: 503,
  serviceunavailableerror: 503,
  engine_overloaded: 503,
});

/** Codes that come with a retryable status but never succeed on a retry. */
const permanentCodes = new Set(['insufficient_quota']);

/**
 * Classifies a server failure the same way whether it came as an HTTP status or as an error
 * object inside a 200 stream: 408, 409, 429 and 5xx are retryable (except a spent quota);
 * anything else is not. A failure with neither a status nor a known code is treated as a
 * server failure (retryable).
 *
 * @param failure - the status and the string codes (`code`, `type`) the server sent.
 * @param context - the base URL and model, for the advice.
 * @returns the status it stands for, whether to retry, and the fix to tell the user.
 * @example
 * ```ts
 * classifyServerFailure({ codes: ['rate_limit_exceeded'] }, { baseURL, modelId }).status; // 429
 * ```
 */
export function classifyServerFailure(
  failure: { readonly status?: number | undefined; readonly codes?: readonly unknown[] },
  context: FailureContext,
): ServerFailureClass {
  const codes = (failure.codes ?? [])
    .filter((code): code is string => typeof code === 'string')
    .map((code) => code.toLowerCase());
  const status = failure.status ?? codes.map((code) => statusOfCode[code]).find(Boolean);
  if (codes.some((code) => permanentCodes.has(code))) {
    return {
      status,
      retryable: false,
      fix: 'The account has no quota left: add credit or raise the limit at the provider.',
    };
  }
  if (codes.includes('content_filter')) {
    return {
      status: status ?? 400,
      retryable: false,
      fix: "The provider's content filter rejected the request; change the prompt, or the provider's filter settings.",
    };
  }
  if (status === undefined) {
    return {
      status,
      retryable: true,
      fix: 'The server failed without saying why; it is retried when retry.maxRetries allows.',
    };
  }
  const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
  const fix =
    status === 401 || status === 403
      ? 'Check the API key: createOpenAICompatible({ apiKey }) or OPENAI_API_KEY.'
      : status === 404
        ? `Check baseURL (${context.baseURL}, the API root ending in /v1) and that model '${context.modelId}' is served there.`
        : status === 408
          ? 'The server timed out; it is retried when retry.maxRetries allows.'
          : status === 409
            ? 'The server reported a conflict; it is retried when retry.maxRetries allows.'
            : status === 429
              ? 'The server is rate limiting: lower concurrency, or raise retry.maxRetries.'
              : status >= 500
                ? 'The server failed; it is retried when retry.maxRetries allows.'
                : `Check the model name ('${context.modelId}') and the request settings the server rejected.`;
  return { status, retryable, fix };
}
