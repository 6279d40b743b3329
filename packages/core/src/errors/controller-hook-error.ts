import { describeUnknown } from '../describe-unknown.js';
import { hasErrorCode, ReinsError } from './reins-error.js';

/** A controller hook threw. The run fails, its history kept consistent. */
export class ControllerHookError extends ReinsError {
  /** The controller's name. */
  readonly controllerName: string;
  /** The hook that threw, e.g. `'beforeModel'`. */
  readonly hook: string;

  constructor(controllerName: string, hook: string, cause: unknown) {
    super(
      'controller-hook',
      `Controller '${controllerName}' threw in ${hook}(): ${describeUnknown(cause)}. Hooks must return directives, not throw; fix the controller.`,
      { cause },
    );
    this.name = 'ControllerHookError';
    this.controllerName = controllerName;
    this.hook = hook;
  }

  /** Whether `value` is a {@link ControllerHookError}. */
  static override isInstance(value: unknown): value is ControllerHookError {
    return hasErrorCode(value, 'controller-hook');
  }
}
