/**
 * What a budget does when it ends a run: `'force'` (the default) first asks the model for a
 * final answer, with one more call without tools, so that the run ends with an output; `'none'`
 * ends it at once, with no output.
 */
export type FinalAnswer = 'force' | 'none';

/**
 * The `finalAnswer` field of a budget's stop directive.
 * @param option - the budget's `finalAnswer` option; `undefined` means the default, `'force'`.
 */
export function finalAnswerField(option: FinalAnswer | undefined): {
  readonly finalAnswer?: 'force';
} {
  return option === 'none' ? {} : { finalAnswer: 'force' };
}
