import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  digestEdgeTokens,
  digestSimilarity,
  digestText,
  digestTextParts,
  fromDigestJson,
  hashExactText,
  sameText,
  toDigestJson,
} from './text-digest.js';

describe('digestText', () => {
  it('ignores numbers, case and spacing in the normalised hash, not in the exact one', () => {
    const a = digestText("sed -n '40,60p' django/forms/fields.py");
    const b = digestText("SED  -n '120,140p'   django/forms/fields.py");
    expect(a.normalised).toBe(b.normalised);
    expect(sameText(a, b)).toBe(false);
    expect(digestText('run tests at 12:30:01').normalised).toBe(
      digestText('run tests at 09:14:59').normalised,
    );
    expect(digestText('cat a.py').normalised).not.toBe(digestText('cat b.py').normalised);
  });

  it('rates similarity in [0, 1], symmetric, 1 for equal texts and low for unrelated ones', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (left, right) => {
        const a = digestText(left);
        const b = digestText(right);
        const similarity = digestSimilarity(a, b);
        expect(similarity).toBeGreaterThanOrEqual(0);
        expect(similarity).toBeLessThanOrEqual(1);
        expect(similarity).toBe(digestSimilarity(b, a));
        expect(digestSimilarity(a, a)).toBe(1);
      }),
    );
    const unrelated = digestSimilarity(
      digestText('git diff --stat HEAD~1 -- src/components'),
      digestText('python -m pytest tests/test_models.py -x -q'),
    );
    expect(unrelated).toBeLessThan(0.2);
  });

  it('round-trips through JSON', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        const digest = digestText(text);
        const again = fromDigestJson(JSON.parse(JSON.stringify(toDigestJson(digest))));
        expect(again).toEqual(digest);
      }),
    );
  });
});

/**
 * A straightforward tokeniser: the normalised hash and signature of the whole text, or, with
 * `edge`, of its first and last `edge` tokens when it has more than twice as many.
 */
function referenceTokens(
  text: string,
  edge = Number.POSITIVE_INFINITY,
): { normalised: number; tokens: number; signature: number[] } {
  const mix = (hash: number) => {
    let value = hash ^ (hash >>> 16);
    value = Math.imul(value, 0x85ebca6b);
    value ^= value >>> 13;
    value = Math.imul(value, 0xc2b2ae35);
    return (value ^ (value >>> 16)) >>> 0;
  };
  const signature = new Array<number>(64).fill(0);
  const set = (bit: number) => {
    signature[bit >>> 5] = ((signature[bit >>> 5] as number) | (1 << (bit & 31))) >>> 0;
  };
  let normalised = 0x811c9dc5;
  let previous: number | undefined;
  let tokens = 0;
  const all = text.split(/[^A-Za-z0-9_\u0080-\uffff]+/).filter((token) => token !== '');
  const read = all.length > 2 * edge ? [...all.slice(0, edge), '', ...all.slice(-edge)] : all;
  for (const token of read) {
    if (token === '') {
      // The untokenised middle: a marker in the normalised hash, no pair across it.
      normalised = Math.imul(normalised ^ 0x6b43a9b5, 0x01000193);
      previous = undefined;
      continue;
    }
    let hash = 0x811c9dc5;
    for (const unit of token.replace(/[A-Z]/g, (letter) => letter.toLowerCase()))
      for (let index = 0; index < unit.length; index++)
        hash = Math.imul(hash ^ unit.charCodeAt(index), 0x01000193);
    const value = /[0-9]/.test(token) ? 0x2f0a3c11 : mix(hash);
    normalised = Math.imul(normalised ^ value, 0x01000193);
    set(value & 2047);
    if (previous !== undefined) set(mix(Math.imul(previous, 31) ^ value) & 2047);
    previous = value;
    tokens += 1;
  }
  return { normalised: normalised >>> 0, tokens, signature };
}

describe('digestText on short and long texts', () => {
  // At most one token per two characters: at most 2 × digestEdgeTokens tokens.
  const longEnough = 4 * digestEdgeTokens;

  it('reads every token of a text of up to 2 × digestEdgeTokens tokens', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: longEnough }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc
            .array(
              fc.constantFrom('sed', '-n', "'40,60p'", 'Models.py', ' ', '\n', 'é', '__init__'),
              {
                maxLength: 120,
              },
            )
            .map((parts) => parts.join(' ').slice(0, longEnough)),
          fc
            .array(fc.constantFrom('a', 'B', '7', 'é', 'x_1', 'Zz'), {
              minLength: digestEdgeTokens,
              maxLength: 2 * digestEdgeTokens,
            })
            .map((parts) => parts.join(' ')),
        ),
        (text) => {
          const digest = digestText(text);
          const reference = referenceTokens(text);
          expect(digest.normalised).toBe(reference.normalised);
          expect(digest.tokens).toBe(reference.tokens);
          expect(Array.from(digest.signature)).toEqual(reference.signature);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads the first and the last digestEdgeTokens tokens of a longer text', () => {
    const tokens = fc.array(
      fc.constantFrom('a', 'Bb', '7', 'é', 'x_1', 'parse_date', '__init__', 'Zz9'),
      { minLength: 2 * digestEdgeTokens - 2, maxLength: 6 * digestEdgeTokens },
    );
    const separator = fc.constantFrom(' ', '\n', ', ', '(', '"): ', '  ');
    fc.assert(
      fc.property(
        tokens,
        fc.array(separator, { minLength: 6 * digestEdgeTokens + 1 }),
        (words, gaps) => {
          const text = words.reduce(
            (joined, word, index) => `${joined}${word}${gaps[index + 1]}`,
            gaps[0] as string,
          );
          const digest = digestText(text);
          const reference = referenceTokens(text, digestEdgeTokens);
          expect(digest.normalised).toBe(reference.normalised);
          expect(digest.tokens).toBe(reference.tokens);
          expect(Array.from(digest.signature)).toEqual(reference.signature);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads every code unit from U+0080 up as a letter, and U+007F as a separator', () => {
    for (const text of [
      '\u0080',
      'a\u0080b',
      'x \u0080\u0081 y',
      '\u007fa\u007f\u0080',
      'ß\u0080 \u00801',
    ]) {
      const digest = digestText(text);
      const reference = referenceTokens(text);
      expect(digest.normalised).toBe(reference.normalised);
      expect(digest.tokens).toBe(reference.tokens);
      expect(Array.from(digest.signature)).toEqual(reference.signature);
    }
    // U+0080 is a token of its own, unlike U+007F.
    expect(digestText('\u0080').tokens).toBe(1);
    expect(digestText('\u007f').tokens).toBe(0);
  });

  it('counts the last token of a long text that ends inside it', () => {
    // Distinct words without digits: 'wa', 'wb', …, 'wza', …
    const word = (index: number): string =>
      index < 26
        ? String.fromCharCode(97 + index)
        : `${word(Math.floor(index / 26) - 1)}${String.fromCharCode(97 + (index % 26))}`;
    for (const count of [
      2 * digestEdgeTokens + 1,
      2 * digestEdgeTokens + 2,
      3 * digestEdgeTokens,
    ]) {
      const text = Array.from({ length: count }, (_, index) => `w${word(index)}`).join(' ');
      const digest = digestText(text);
      const reference = referenceTokens(text, digestEdgeTokens);
      expect(digest.tokens).toBe(2 * digestEdgeTokens);
      expect(digest.normalised).toBe(reference.normalised);
      expect(Array.from(digest.signature)).toEqual(reference.signature);
    }
  });

  it('tells long texts apart by every character, and compares them by their two ends', () => {
    const line = (index: number) => `  File "django/forms/fields.py", line ${index}, in clean\n`;
    const head = Array.from({ length: 40 }, (_, index) => line(index)).join('');
    const middle = Array.from({ length: 200 }, (_, index) => line(index + 40)).join('');
    const tail = Array.from({ length: 40 }, (_, index) => line(index + 240)).join('');
    const text = `${head}${middle}${tail}`;
    const base = digestText(text);
    expect(base.tokens).toBeLessThan(referenceTokens(text).tokens);

    // A changed character in the middle: another exact hash, the same tokens at both ends.
    const edited = digestText(`${head}${middle.replace('in clean', 'in_clean')}${tail}`);
    expect(sameText(edited, base)).toBe(false);
    expect(edited.normalised).toBe(base.normalised);
    expect(digestSimilarity(edited, base)).toBe(1);

    // Other numbers at both ends: the same normalised text.
    const renumbered = digestText(text.replace(/line \d+/g, (match) => `${match}0`));
    expect(sameText(renumbered, base)).toBe(false);
    expect(renumbered.normalised).toBe(base.normalised);

    // Other words at either end: another normalised text, a lower similarity.
    for (const changed of [
      `${head.replace(/clean/g, 'validate')}${middle}${tail}`,
      `${head}${middle}${tail.replace(/clean/g, 'validate')}`,
    ]) {
      const digest = digestText(changed);
      expect(digest.normalised).not.toBe(base.normalised);
      expect(digestSimilarity(digest, base)).toBeLessThan(1);
    }
  });

  it('hashes equal texts equally whatever their representation, and any changed unit differently', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 3000 }),
        fc.nat(),
        fc.integer({ min: 1, max: 0xffff }),
        (text, at, delta) => {
          const flat = JSON.parse(JSON.stringify(text)) as string;
          const joined = `${text.slice(0, at % (text.length + 1))}${text.slice(at % (text.length + 1))}`;
          const digest = digestText(text);
          expect(digestText(flat)).toEqual(digest);
          expect(digestText(joined)).toEqual(digest);
          expect(hashExactText(joined)).toBe(digest.exact);
          if (text.length === 0) return;
          const index = at % text.length;
          const unit = (text.charCodeAt(index) + delta) & 0xffff;
          const changed = `${text.slice(0, index)}${String.fromCharCode(unit)}${text.slice(index + 1)}`;
          expect(sameText(digestText(changed), digest)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('digests parts as their concatenation', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 40 })),
          {
            maxLength: 6,
          },
        ),
        (parts) => {
          expect(digestTextParts(parts)).toEqual(digestText(parts.join('')));
        },
      ),
      { numRuns: 300 },
    );
  });
});
