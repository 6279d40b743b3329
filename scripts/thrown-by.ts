/** What `run` threw, or `undefined` when it returned: a test helper shared by the packages' suites. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * What `run` threw, when it is an `ErrorClass`: any other error is thrown again, and a `run`
 * that returns fails with "it was accepted".
 */
export function thrownAs<E extends Error>(
  ErrorClass: abstract new (...args: never[]) => E,
  run: () => unknown,
): E {
  const error = thrownBy(run);
  if (error instanceof ErrorClass) return error;
  throw error ?? new Error('it was accepted');
}
