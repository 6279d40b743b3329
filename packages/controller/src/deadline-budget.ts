import type { Controller, ControllerSession } from '@reins/core';
import { InvalidOptionsError } from '@reins/core';
import { readState } from './errors/controller-state-error.js';
import { type FinalAnswer, finalAnswerField } from './final-answer.js';

/** Options of {@link createDeadlineBudget}. */
export interface DeadlineBudgetOptions {
  /** Wall-clock time the run may take, from its start, in milliseconds (on the loop's clock). */
  readonly deadlineMs: number;
  /**
   * Warn the model once when this share of the time is gone; `false` for no warning.
   * @defaultValue 0.8
   */
  readonly warnAt?: number | false;
  /**
   * The warning; `{left_seconds}` is replaced.
   * @defaultValue `'About {left_seconds} seconds are left. Finish the task soon.'`
   */
  readonly warning?: string;
  /** @defaultValue `'deadline'` */
  readonly name?: string;
  /**
   * At the budget's end, ask the model for a final answer (one more call, without tools) or end
   * the run with no output.
   * @defaultValue `'force'`
   */
  readonly finalAnswer?: FinalAnswer;
}

/** Defaults of {@link DeadlineBudgetOptions}. */
export const defaultDeadlineBudgetOptions = Object.freeze({
  name: 'deadline',
  warnAt: 0.8,
  warning: 'About {left_seconds} seconds are left. Finish the task soon.',
});

interface DeadlineState {
  readonly version: 1;
  readonly warned: boolean;
}

/**
 * Creates a wall-clock budget: before each model call, the run stops with reason `'deadline'`
 * once `deadlineMs` have passed since it started (`view.now − view.startedAt`, so the loop's
 * injectable clock drives it); at `warnAt` the model is warned once.
 *
 * @param options - the deadline and the warning.
 * @returns a {@link Controller} for `createController({ budget })`.
 * @example
 * ```ts
 * const deadline = createDeadlineBudget({ deadlineMs: 15 * 60_000, finalAnswer: 'force' });
 * ```
 */
export function createDeadlineBudget(options: DeadlineBudgetOptions): Controller {
  if (!(typeof options?.deadlineMs === 'number' && options.deadlineMs > 0)) {
    throw new InvalidOptionsError(
      'deadlineMs',
      `createDeadlineBudget() deadlineMs is ${String(options?.deadlineMs)}; use a positive number of milliseconds.`,
    );
  }
  const settings = { ...defaultDeadlineBudgetOptions, ...options };
  const { name, deadlineMs } = settings;
  return {
    name,
    open(context): ControllerSession {
      let warned = readState<DeadlineState>(name, context.state, 1)?.warned ?? false;
      return {
        beforeModel(view) {
          const elapsedMs = view.now - view.startedAt;
          const evidence = { elapsedMs, deadlineMs, turn: view.turn };
          if (elapsedMs >= deadlineMs) {
            const message = `The deadline of ${deadlineMs} ms has passed (${elapsedMs} ms elapsed).`;
            return [
              {
                type: 'emit',
                event: { name: 'budget.exhausted', policy: name, message, evidence },
              },
              {
                type: 'stop',
                reason: 'deadline',
                message,
                source: name,
                evidence,
                ...finalAnswerField(settings.finalAnswer),
              },
            ];
          }
          if (!warned && settings.warnAt !== false && elapsedMs >= settings.warnAt * deadlineMs) {
            warned = true;
            const content = settings.warning.replaceAll(
              '{left_seconds}',
              String(Math.ceil((deadlineMs - elapsedMs) / 1000)),
            );
            return [
              { type: 'inject', role: 'user', content, ephemeral: true, source: name },
              {
                type: 'emit',
                event: { name: 'budget.warning', policy: name, message: content, evidence },
              },
            ];
          }
          return undefined;
        },
        snapshot: (): DeadlineState => ({ version: 1, warned }),
      };
    },
  };
}
