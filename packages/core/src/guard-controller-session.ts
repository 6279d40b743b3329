import type { ControllerSession } from './controller.js';

const hookNames = [
  'beforeModel',
  'afterModel',
  'beforeTool',
  'afterTool',
  'onInterrupt',
  'onInterrupts',
  'hints',
  'snapshot',
] as const;

/**
 * The session with each of its hooks guarded: a hook that throws (any value at all) is reported
 * to `onError` and answers `undefined`, so that the loop, not the exception, decides how the
 * run ends. Hooks the session lacks stay absent.
 *
 * @param session - the controller session, as `open()` returned it.
 * @param onError - told of each throw, with the hook's name.
 */
export function guardControllerSession(
  session: ControllerSession,
  onError: (error: unknown, hook: string) => void,
): ControllerSession {
  const guarded: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of hookNames) {
    let hook: unknown;
    try {
      hook = session[name];
    } catch (error) {
      onError(error, name);
      continue;
    }
    if (typeof hook !== 'function') continue;
    guarded[name] = (...args) => {
      try {
        return hook.apply(session, args);
      } catch (error) {
        onError(error, name);
        return undefined;
      }
    };
  }
  return guarded as ControllerSession;
}
