import { describe, expect, it } from 'vitest';
import { callToolResultText } from './call-tool-result-text.js';

describe('callToolResultText', () => {
  it('joins text, and describes what the model cannot read as text', () => {
    expect(
      callToolResultText({
        content: [
          { type: 'text', text: 'first' },
          { type: 'image', data: 'AAAA', mimeType: 'image/png' },
          { type: 'resource', resource: { uri: 'file:///a.txt', text: 'inside' } },
          { type: 'resource', resource: { uri: 'file:///a.bin', mimeType: 'application/zip' } },
          { type: 'resource_link', uri: 'file:///b', name: 'b' },
        ],
      }),
    ).toBe(
      'first\n[image image/png, 3 bytes]\ninside\n[resource file:///a.bin (application/zip)]\n[resource link file:///b b]',
    );
  });

  it('uses the structured content when there is no text', () => {
    expect(callToolResultText({ content: [], structuredContent: { total: 3 } })).toBe(
      '{"total":3}',
    );
  });
});
