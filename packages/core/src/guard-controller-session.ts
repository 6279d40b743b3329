import type { ControllerSession } from './controller.js';

/**
 * The session with every one of its hooks guarded: a hook that throws (any value at all) is
 * reported to `onError` and answers `undefined`, so that the loop, not the exception, decides
 * how the run ends. Hooks the session lacks stay absent; a hook that cannot even be read is
 * reported and treated as absent.
 *
 * @param session - the controller session, as `open()` returned it.
 * @param onError - told of each throw, with the hook's name.
 */
export function guardControllerSession(
  session: ControllerSession,
  onError: (error: unknown, hook: string) => void,
): ControllerSession {
  const guarded = new Map<PropertyKey, unknown>();
  return new Proxy(session, {
    get(target, key) {
      if (guarded.has(key)) return guarded.get(key);
      let value: unknown;
      try {
        value = Reflect.get(target, key);
      } catch (error) {
        onError(error, String(key));
        return undefined;
      }
      if (typeof value !== 'function') return value;
      const hook = value as (...args: unknown[]) => unknown;
      const wrapped = (...args: unknown[]) => {
        try {
          return hook.apply(target, args);
        } catch (error) {
          onError(error, String(key));
          return undefined;
        }
      };
      guarded.set(key, wrapped);
      return wrapped;
    },
  });
}
