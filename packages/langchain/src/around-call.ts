/** A model or tool call the middleware is about to let through to LangChain. */
export interface ReinsCall {
  readonly kind: 'model' | 'tool';
  /** The Reins run the call belongs to. */
  readonly runId: string;
  /** The run's turn (model call number). */
  readonly turn: number;
  /** The tool's name, for a tool call. */
  readonly toolName?: string;
  /** The tool call's id, for a tool call. */
  readonly toolCallId?: string;
}

/**
 * Runs a call: must call `next` once and return what it returns (or its rejection), e.g.
 * inside an OpenTelemetry span made active, so that the model's and the tool's code see it.
 */
export type AroundCall = <TResult>(
  call: ReinsCall,
  next: () => Promise<TResult>,
) => Promise<TResult>;

/**
 * The handler LangChain passed to a hook, run through `around` when one is set.
 * @example
 * ```ts
 * const call = aroundHandler(context.aroundCall, handler, () => ({ kind: 'model', runId, turn }));
 * ```
 */
export function aroundHandler<TRequest, TResult>(
  around: AroundCall | undefined,
  handler: (request: TRequest) => TResult | Promise<TResult>,
  describe: () => ReinsCall,
): (request: TRequest) => TResult | Promise<TResult> {
  if (around === undefined) return handler;
  return (request) => around(describe(), async () => handler(request));
}
