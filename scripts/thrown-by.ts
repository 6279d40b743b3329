/** What `run` threw, or `undefined` when it returned: a test helper shared by the packages' suites. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
