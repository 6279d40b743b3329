import { InvalidArgumentError } from './errors/invalid-argument-error.js';

/**
 * Parses a comma-separated list of arrival rates per second, such as `--rates 0.02,0.05,0.08`:
 * each a number above 0, in the order given.
 * @throws {InvalidArgumentError} naming the option, the value and an example.
 * @example
 * ```ts
 * parseRates('--rates', '0.02,0.05'); // [0.02, 0.05]
 * ```
 */
export function parseRates(option: string, value: string): number[] {
  const parts = value.split(',').map((part) => part.trim());
  const rates = parts.map(Number);
  if (
    parts.some((part) => part === '') ||
    rates.some((rate) => !Number.isFinite(rate) || rate <= 0)
  ) {
    throw new InvalidArgumentError({
      option,
      value,
      expected: 'comma-separated program arrivals per second, each above 0, e.g. 0.02,0.05,0.08',
    });
  }
  return rates;
}
