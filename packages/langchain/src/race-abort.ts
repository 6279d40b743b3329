/**
 * Settles with the promise, or rejects with the signal's reason as soon as it aborts. The
 * promise keeps running (its late rejection is ignored): the objects behind it are untouched.
 *
 * @param promise - the work.
 * @param signal - ends the wait.
 * @returns the promise's outcome, unless the signal aborted first.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
