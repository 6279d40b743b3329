import type { Directive } from './directive.js';
import type { Interrupt } from './interrupt.js';

/**
 * The default cap on an `answer-now` answer's tokens: enough for an answer, too little for a
 * second round of reasoning leaking into it.
 *
 * @example
 * ```ts
 * handle.interrupt({ kind: 'answer-now' }); // the answer is capped at defaultAnswerMaxTokens
 * handle.interrupt({ kind: 'answer-now', answerMaxTokens: 64 });
 * ```
 */
export const defaultAnswerMaxTokens = 512;

/**
 * The default application of an interruption, when the controller leaves it to the loop: the
 * text appended as a user message; `stop` ends the run as stopped (forcing a capped answer when
 * it carries `answerMaxTokens`); `answer-now` forces an answer capped at `answerMaxTokens`; a
 * task retraction cancels the run.
 *
 * @param interrupt - the interruption as recorded.
 * @returns the directives the loop applies for it.
 * @example
 * ```ts
 * const policy: ControllerSession = {
 *   onInterrupt: (view, interrupt) =>
 *     interrupt.kind === 'addition' ? [myFraming(interrupt)] : defaultInterruptDirectives(interrupt),
 * };
 * ```
 */
export function defaultInterruptDirectives(interrupt: Interrupt): Directive[] {
  const source = 'loop';
  if (interrupt.kind === 'stop') {
    return [
      {
        type: 'stop',
        reason: 'user-stop',
        message: interrupt.text || 'Stopped by the user.',
        source,
        ...(interrupt.answerMaxTokens === undefined
          ? {}
          : { finalAnswer: 'force' as const, answerMaxTokens: interrupt.answerMaxTokens }),
      },
    ];
  }
  if (interrupt.kind === 'answer-now') {
    return [
      {
        type: 'stop',
        reason: 'user-answer-now',
        message: interrupt.text || 'The user asked for the answer now.',
        finalAnswer: 'force',
        answerMaxTokens: interrupt.answerMaxTokens ?? defaultAnswerMaxTokens,
        source,
      },
    ];
  }
  if (interrupt.kind === 'retraction' && interrupt.scope === 'task') {
    return [{ type: 'cancel', reason: interrupt.text || 'The user dropped the task.', source }];
  }
  return [{ type: 'inject', role: 'user', content: interrupt.text, ephemeral: false, source }];
}
