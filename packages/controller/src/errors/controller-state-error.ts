import { ReinsError } from '@reins/core';

/**
 * A controller session was opened with a saved state it cannot read: a snapshot from another
 * version or another configuration of the controller. Thrown by `open()`, before the run goes on.
 *
 * @example
 * ```ts
 * try { controller.open({ runId, task, state }); } catch (error) {
 *   if (ControllerStateError.isInstance(error)) console.error(error.policy, error.message);
 * }
 * ```
 */
export class ControllerStateError extends ReinsError {
  /** The policy whose state could not be read, e.g. `'turn-budget'`. */
  readonly policy: string;

  /**
   * @param policy - the policy whose saved state is unreadable.
   * @param message - what is wrong and how to fix it.
   */
  constructor(policy: string, message: string, options?: { cause?: unknown }) {
    super('controller-state', message, options);
    this.name = 'ControllerStateError';
    this.policy = policy;
  }

  /** Whether `value` is a {@link ControllerStateError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is ControllerStateError {
    return ReinsError.isInstance(value) && value.code === 'controller-state';
  }
}

/**
 * Reads a policy's saved state: `undefined` stays `undefined`; an object with the expected
 * `version` is returned; anything else throws a {@link ControllerStateError} naming the value.
 * @internal
 */
export function readState<TState extends { readonly version: number }>(
  policy: string,
  state: unknown,
  version: number,
): TState | undefined {
  if (state === undefined || state === null) return undefined;
  if (typeof state !== 'object' || (state as { version?: unknown }).version !== version) {
    const seen =
      typeof state === 'object'
        ? `version ${String((state as { version?: unknown }).version)}`
        : typeof state;
    throw new ControllerStateError(
      policy,
      `The saved state of '${policy}' has ${seen}; this controller reads version ${version}. Resume the run with the controller configuration and package version that started it, or start a new run.`,
    );
  }
  return state as TState;
}
