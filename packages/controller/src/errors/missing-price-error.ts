import { ReinsError } from '@reins/core';

/**
 * A cost budget has no price for the model a run calls, so it cannot bound what the run spends.
 * Thrown when the run opens its controller (before any call); a host that does not say which
 * model it calls gets the same refusal at the first call, as a `stop` with reason
 * `'cost-budget'`.
 *
 * @example
 * ```ts
 * try { agent.run('Fix the bug'); } catch (error) {
 *   if (MissingPriceError.isInstance(error)) console.error(error.modelId, error.message);
 * }
 * ```
 */
export class MissingPriceError extends ReinsError {
  /** The model without a price. */
  readonly modelId: string;
  /** Who serves it. */
  readonly provider: string;

  /**
   * @param provider - who serves the model.
   * @param modelId - the model's id.
   * @param known - the models the price table has.
   */
  constructor(provider: string, modelId: string, known: readonly string[]) {
    super(
      'missing-price',
      `The cost budget has no price for model '${modelId}' (provider '${provider}'), so it cannot cap what the run spends; known: ${known.join(', ') || 'none'}. Add it: createCostBudget({ prices: { '${modelId}': { inputPerMillion: …, outputPerMillion: … } } }).`,
    );
    this.name = 'MissingPriceError';
    this.modelId = modelId;
    this.provider = provider;
  }

  /** Whether `value` is a {@link MissingPriceError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is MissingPriceError {
    return ReinsError.isInstance(value) && value.code === 'missing-price';
  }
}
