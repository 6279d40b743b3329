import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  digestSimilarity,
  digestText,
  fromDigestJson,
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
