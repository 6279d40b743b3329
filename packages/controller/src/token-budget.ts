import type { Controller, ControllerSession, Directive, RunView } from '@reins/core';
import { InvalidOptionsError } from '@reins/core';
import { readState } from './errors/controller-state-error.js';
import { type FinalAnswer, finalAnswerField } from './final-answer.js';

/** Options of {@link createTokenBudget}. */
export interface TokenBudgetOptions {
  /** Most tokens (prompt plus completion, summed over the run's calls). */
  readonly maxTokens: number;
  /**
   * Warn the model once when this share of the budget is used; `false` for no warning.
   * @defaultValue 0.8
   */
  readonly warnAt?: number | false;
  /**
   * The warning; `{used}`, `{max}` and `{left}` are replaced.
   * @defaultValue `'You have used {used} of {max} tokens. Finish the task soon.'`
   */
  readonly warning?: string;
  /** @defaultValue `'token-budget'` */
  readonly name?: string;
  /**
   * At the budget's end, ask the model for a final answer (one more call, without tools) or end
   * the run with no output.
   * @defaultValue `'force'`
   */
  readonly finalAnswer?: FinalAnswer;
}

/** Defaults of {@link TokenBudgetOptions}. */
export const defaultTokenBudgetOptions = Object.freeze({
  name: 'token-budget',
  warnAt: 0.8,
  warning: 'You have used {used} of {max} tokens. Finish the task soon.',
});

interface TokenBudgetState {
  readonly version: 1;
  readonly warned: boolean;
}

/**
 * Creates a token budget: before each model call, the run stops with reason `'token-budget'`
 * once its prompt and completion tokens reach `maxTokens`; at `warnAt` the model is warned once
 * (an ephemeral message, not stored in history).
 *
 * @param options - the limit and the warning.
 * @returns a {@link Controller} for `createController({ budget })`.
 * @example
 * ```ts
 * const tokens = createTokenBudget({ maxTokens: 2_000_000, warnAt: 0.9 });
 * ```
 */
export function createTokenBudget(options: TokenBudgetOptions): Controller {
  if (!(typeof options?.maxTokens === 'number' && options.maxTokens > 0)) {
    throw new InvalidOptionsError(
      'maxTokens',
      `createTokenBudget() maxTokens is ${String(options?.maxTokens)}; use a positive number of tokens.`,
    );
  }
  const settings = { ...defaultTokenBudgetOptions, ...options };
  const { name, maxTokens } = settings;
  return {
    name,
    open(context): ControllerSession {
      let warned = readState<TokenBudgetState>(name, context.state, 1)?.warned ?? false;
      const used = (view: RunView) => view.usage.inputTokens + view.usage.outputTokens;
      return {
        beforeModel(view) {
          const spent = used(view);
          const evidence = { usedTokens: spent, maxTokens, turn: view.turn };
          if (spent >= maxTokens) {
            const message = `The token budget of ${maxTokens} tokens is used up (${spent} used).`;
            return [
              {
                type: 'emit',
                event: { name: 'budget.exhausted', policy: name, message, evidence },
              },
              {
                type: 'stop',
                reason: 'token-budget',
                message,
                source: name,
                evidence,
                ...finalAnswerField(settings.finalAnswer),
              },
            ];
          }
          if (!warned && settings.warnAt !== false && spent >= settings.warnAt * maxTokens) {
            warned = true;
            const content = settings.warning
              .replaceAll('{used}', String(spent))
              .replaceAll('{max}', String(maxTokens))
              .replaceAll('{left}', String(maxTokens - spent));
            const directives: Directive[] = [
              { type: 'inject', role: 'user', content, ephemeral: true, source: name },
              {
                type: 'emit',
                event: { name: 'budget.warning', policy: name, message: content, evidence },
              },
            ];
            return directives;
          }
          return undefined;
        },
        snapshot: (): TokenBudgetState => ({ version: 1, warned }),
      };
    },
  };
}
