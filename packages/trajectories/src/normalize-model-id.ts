/**
 * One model's name however the run wrote it: an override from `aliases` (looked up by the name as
 * written, then by its normalised form) or else the name lower-cased without its provider or
 * gateway prefix (`google/`, `openrouter/anthropic/`, `vertex_ai/`) and without a date or
 * version-date suffix (`-2024-05-13`, `-20240513`, `@20240513`, `-0513`, `-latest`).
 *
 * Budgets are calibrated and looked up per normalised name, so runs of one model served through
 * two gateways share one budget instead of splitting it.
 *
 * @param modelId - the name as a run recorded it.
 * @param aliases - overrides, e.g. `{ 'gpt-4o-mini': 'gpt-4o' }`, applied before and after
 *   normalising.
 * @returns the normalised name (`'unknown'` for an empty name).
 * @example
 * ```ts
 * normalizeModelId('google/gemini-3-pro-preview'); // 'gemini-3-pro-preview'
 * normalizeModelId('gpt-4o-2024-05-13'); // 'gpt-4o'
 * normalizeModelId('deepseek-chat-v2', { 'deepseek-chat-v2': 'deepseek-v2' }); // 'deepseek-v2'
 * ```
 */
export function normalizeModelId(
  modelId: string | undefined,
  aliases: Readonly<Record<string, string>> = {},
): string {
  const written = (modelId ?? '').trim();
  const direct = aliases[written];
  if (direct !== undefined) return direct;
  const withoutPrefix = written.slice(written.lastIndexOf('/') + 1).toLowerCase();
  const normalised = withoutPrefix
    .replace(/:.*$/, '')
    .replace(/[-@_](latest|\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$/, '');
  const name = normalised === '' ? 'unknown' : normalised;
  return aliases[name] ?? name;
}
