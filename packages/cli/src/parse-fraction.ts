import { InvalidArgumentError } from './errors/invalid-argument-error.js';

/**
 * Parses an option that must be a fraction in `[0, 1)`, such as `--max-resolved-loss 0.03`.
 * @throws {InvalidArgumentError} naming the option, the value and an example.
 * @example
 * ```ts
 * parseFraction('--max-resolved-loss', '0.03'); // 0.03
 * ```
 */
export function parseFraction(option: string, value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed >= 1) {
    throw new InvalidArgumentError({
      option,
      value,
      expected: 'a fraction from 0 up to (not including) 1, e.g. 0.03 for 3%',
    });
  }
  return parsed;
}

/**
 * Parses an option that must be a positive whole number, such as `--folds 5`.
 * @throws {InvalidArgumentError} naming the option, the value and the smallest allowed.
 * @example
 * ```ts
 * parseCount('--folds', '5', 2); // 5
 * ```
 */
export function parseCount(option: string, value: string, minimum = 1): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum) {
    throw new InvalidArgumentError({
      option,
      value,
      expected: `a whole number of at least ${minimum}`,
    });
  }
  return parsed;
}
