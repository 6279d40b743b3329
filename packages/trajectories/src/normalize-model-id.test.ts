import { describe, expect, it } from 'vitest';
import { normalizeModelId } from './normalize-model-id.js';

describe('normalizeModelId', () => {
  it('drops provider and gateway prefixes and date suffixes', () => {
    expect(normalizeModelId('google/gemini-3-pro-preview')).toBe('gemini-3-pro-preview');
    expect(normalizeModelId('gemini-3-pro-preview')).toBe('gemini-3-pro-preview');
    expect(normalizeModelId('openrouter/anthropic/claude-3-5-sonnet-20241022')).toBe(
      'claude-3-5-sonnet',
    );
    expect(normalizeModelId('gpt-4o-2024-05-13')).toBe('gpt-4o');
    expect(normalizeModelId('gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini');
    expect(normalizeModelId('GPT-4o@20240513')).toBe('gpt-4o');
    expect(normalizeModelId('gpt-4-0613')).toBe('gpt-4');
    expect(normalizeModelId('claude-3-opus-latest')).toBe('claude-3-opus');
    expect(normalizeModelId('deepseek-coder-v2')).toBe('deepseek-coder-v2');
    expect(normalizeModelId('qwen2.5:72b')).toBe('qwen2.5');
  });

  it('applies an override to the name as written or to its normalised form', () => {
    const aliases = { 'gpt-4o-mini': 'gpt-4o', 'vendor/special-2024-01-01': 'special' };
    expect(normalizeModelId('openai/gpt-4o-mini-2024-07-18', aliases)).toBe('gpt-4o');
    expect(normalizeModelId('vendor/special-2024-01-01', aliases)).toBe('special');
    expect(normalizeModelId('gpt-4o', aliases)).toBe('gpt-4o');
  });

  it('names a missing model unknown', () => {
    expect(normalizeModelId(undefined)).toBe('unknown');
    expect(normalizeModelId('  ')).toBe('unknown');
  });
});
