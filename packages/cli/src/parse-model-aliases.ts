import { InvalidArgumentError } from './errors/invalid-argument-error.js';

/**
 * Parses repeated `--model-alias name=canonical` values into an override map for
 * `normalizeModelId`.
 * @throws {InvalidArgumentError} naming a value without `=` or with an empty side.
 * @example
 * ```ts
 * parseModelAliases(['gpt-4o-mini=gpt-4o']); // { 'gpt-4o-mini': 'gpt-4o' }
 * ```
 */
export function parseModelAliases(values: readonly string[]): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    const name = value.slice(0, at).trim();
    const canonical = value.slice(at + 1).trim();
    if (at < 0 || name === '' || canonical === '') {
      throw new InvalidArgumentError({
        option: '--model-alias',
        value,
        expected: 'name=canonical, e.g. --model-alias openai/gpt-4o-2024-05-13=gpt-4o',
      });
    }
    aliases[name] = canonical;
  }
  return aliases;
}
