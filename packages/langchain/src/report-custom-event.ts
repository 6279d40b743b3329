import { dispatchCustomEvent } from '@langchain/core/callbacks/dispatch';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';

/**
 * Dispatches a controller event as a LangChain custom event (`on_custom_event` in
 * `streamEvents`, `handleCustomEvent` of callbacks), when the running LangChain call has a
 * callback handler to receive it. Without one (no callbacks, no tracing, no event stream), it
 * does nothing: building LangChain's callback manager for an event nobody receives costs more
 * than the rest of a controller's turn.
 *
 * @param event - the event; its `type` is the custom event's name.
 */
export function reportCustomEvent(event: { readonly type: string }): void {
  if (!hasCallbackHandlers()) return;
  dispatchCustomEvent(event.type, event).catch(() => {
    // Outside a LangChain run there is no callback to dispatch to.
  });
}

/**
 * Whether the running LangChain call has callback handlers, its own or inherited: whether
 * {@link reportCustomEvent} would dispatch anything now.
 *
 * @returns false outside a LangChain call or without handlers.
 * @example
 * ```ts
 * if (hasCallbackHandlers()) reportCustomEvent(buildEvent());
 * ```
 */
export function hasCallbackHandlers(): boolean {
  const config = AsyncLocalStorageProviderSingleton.getRunnableConfig() as
    | { callbacks?: unknown }
    | undefined;
  const callbacks = config?.callbacks as
    | readonly unknown[]
    | { handlers?: readonly unknown[]; inheritableHandlers?: readonly unknown[] }
    | undefined
    | null;
  if (callbacks === undefined || callbacks === null) return false;
  if (Array.isArray(callbacks)) return callbacks.length > 0;
  const manager = callbacks as { handlers?: readonly unknown[] };
  return (manager.handlers?.length ?? 0) > 0;
}
