/** The write function LangGraph gives each task in its config (`CONFIG_KEY_SEND`). */
const taskWriteKey = '__pregel_send';

/**
 * Writes values into the agent's graph state from inside a `wrapModelCall` or `wrapToolCall`
 * hook, as the node's own return value would: the writes belong to the running task, go
 * through the channels' reducers, are checkpointed with the step, and are dropped if the task
 * fails. This leaves the hook's return value (the model's message, the tool's message) as it
 * is, so the middleware around Reins sees exactly what the model or tool returned.
 *
 * @param configurable - `request.runtime.configurable` of the hook.
 * @param writes - channel name and value pairs.
 * @returns whether the writes were made (false outside a LangGraph task).
 */
export function writeGraphState(
  configurable: Record<string, unknown> | undefined,
  writes: readonly (readonly [string, unknown])[],
): boolean {
  const write = configurable?.[taskWriteKey];
  if (typeof write !== 'function') return false;
  (write as (writes: readonly (readonly [string, unknown])[]) => void)(writes);
  return true;
}
