import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length } from './utf8-length.js';

describe('utf8Length', () => {
  it('equals the length of the UTF-8 encoding, lone surrogates included', () => {
    const encoder = new TextEncoder();
    fc.assert(
      // One code unit or pair of each UTF-8 length, and lone halves of a pair.
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', 'é', '汉', '😀', '\ud83d', '\ude00'),
          maxLength: 32,
        }),
        (text) => {
          expect(utf8Length(text)).toBe(encoder.encode(text).length);
        },
      ),
    );
  });

  it('counts CJK at 3 bytes and emoji at 4, where UTF-16 counts 1 and 2', () => {
    expect(utf8Length('汉字')).toBe(6);
    expect(utf8Length('😀')).toBe(4);
  });
});
