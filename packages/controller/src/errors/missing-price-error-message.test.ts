import { ReinsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { ControllerStateError } from './controller-state-error.js';
import { MissingPriceError } from './missing-price-error.js';

describe('MissingPriceError', () => {
  it('names the model, its provider, the known models and the fix', () => {
    const error = new MissingPriceError('openai', 'gpt-x', ['gpt-4o', 'o3']);
    expect(error).toBeInstanceOf(ReinsError);
    expect(error.code).toBe('missing-price');
    expect(error.name).toBe('MissingPriceError');
    expect(error.modelId).toBe('gpt-x');
    expect(error.provider).toBe('openai');
    expect(error.message).toBe(
      "The cost budget has no price for model 'gpt-x' (provider 'openai'), so it cannot cap what the run spends; known: gpt-4o, o3. Add it: createCostBudget({ prices: { 'gpt-x': { inputPerMillion: …, outputPerMillion: … } } }).",
    );
  });

  it('says none when the price table is empty, and lists a single model alone', () => {
    expect(new MissingPriceError('p', 'm', []).message).toContain('spends; known: none. Add it:');
    expect(new MissingPriceError('p', 'm', ['only']).message).toContain(
      'spends; known: only. Add it:',
    );
  });

  it('recognises its own errors only', () => {
    expect(MissingPriceError.isInstance(new MissingPriceError('p', 'm', []))).toBe(true);
    expect(MissingPriceError.isInstance(new ReinsError('missing-price', 'm'))).toBe(true);
    expect(MissingPriceError.isInstance(new ControllerStateError('p', 'm'))).toBe(false);
    expect(MissingPriceError.isInstance({ code: 'missing-price' })).toBe(false);
    expect(MissingPriceError.isInstance(null)).toBe(false);
  });
});
