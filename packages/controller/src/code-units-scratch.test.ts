import { describe, expect, it, vi } from 'vitest';
import { type CodeUnits, readCodeUnits } from './code-units.js';

/** A copy of the valid units of a result, as plain numbers. */
const unitsOf = (read: CodeUnits): number[] => [...read.units.subarray(0, read.length)];

/** The UTF-16 code units of `text`, one by one. */
const codes = (text: string): number[] =>
  [...text].flatMap((char) => {
    const units: number[] = [];
    for (let index = 0; index < char.length; index++) units.push(char.charCodeAt(index));
    return units;
  });

/** `readCodeUnits` of a newly loaded module: its scratch memory at its initial size. */
async function freshReader(): Promise<typeof readCodeUnits> {
  vi.resetModules();
  return (await import('./code-units.js')).readCodeUnits;
}

/** 1 MiB, the largest scratch memory kept. */
const mebi = 1 << 20;

describe('readCodeUnits: bytes or 16-bit units', () => {
  it('reads the parts one after the other, as in its example', () => {
    const read = readCodeUnits(['ls', ' ', '-la']);
    expect(read.length).toBe(6);
    expect(read.units[2]).toBe(32);
    expect(unitsOf(read)).toEqual(codes('ls -la'));
  });

  it('reads U+007F as a byte and U+0080 as a 16-bit unit, in a text and in parts', () => {
    const below = readCodeUnits('a\u007f');
    expect(below.units).toBeInstanceOf(Uint8Array);
    expect(below.words).toBeInstanceOf(Uint32Array);
    expect(unitsOf(below)).toEqual([97, 127]);
    const at = readCodeUnits('a\u0080');
    expect(at.units).toBeInstanceOf(Uint16Array);
    expect(at.words).toBeUndefined();
    expect(unitsOf(at)).toEqual([97, 128]);
    const belowParts = readCodeUnits(['a', '\u007f']);
    expect(belowParts.units).toBeInstanceOf(Uint8Array);
    expect(unitsOf(belowParts)).toEqual([97, 127]);
    const atParts = readCodeUnits(['a', '\u0080', 'b']);
    expect(atParts.units).toBeInstanceOf(Uint16Array);
    expect(atParts.words).toBeUndefined();
    expect(unitsOf(atParts)).toEqual([97, 128, 98]);
  });

  it('reads a long text (over 32 units) as bytes when ASCII, else as 16-bit units', () => {
    const ascii = `${'x'.repeat(39)}y`;
    const bytes = readCodeUnits(ascii);
    expect(bytes.units).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(40);
    expect(unitsOf(bytes)).toEqual(codes(ascii));
    const accented = `é${'x'.repeat(38)}ü`;
    const wide = readCodeUnits(accented);
    expect(wide.units).toBeInstanceOf(Uint16Array);
    expect(wide.words).toBeUndefined();
    expect(wide.length).toBe(40);
    expect(unitsOf(wide)).toEqual(codes(accented)); // 233, 120 × 38, 252
  });

  it('places long parts after short ones and short parts after long ones', () => {
    const long = 'x'.repeat(40);
    const other = 'y'.repeat(35);
    for (const parts of [
      ['ab', long],
      [long, 'cd'],
      [long, other],
      ['ab', long, ' ', other, 'z'],
    ]) {
      const read = readCodeUnits(parts);
      expect(read.units).toBeInstanceOf(Uint8Array);
      expect(read.length).toBe(parts.join('').length);
      expect(unitsOf(read)).toEqual(codes(parts.join('')));
    }
  });

  it('reads parts as 16-bit units when a long part is not ASCII, wherever its first non-ASCII unit is', () => {
    for (const parts of [
      ['ab', `é${'x'.repeat(39)}`],
      ['ab', `${'x'.repeat(39)}é`, 'cd'],
      [`${'x'.repeat(40)}`, `${'y'.repeat(20)}€${'y'.repeat(20)}`],
      ['ab', `${'x'.repeat(40)}😀`],
    ]) {
      const read = readCodeUnits(parts);
      expect(read.units).toBeInstanceOf(Uint16Array);
      expect(read.words).toBeUndefined();
      expect(read.length).toBe(parts.join('').length);
      expect(unitsOf(read)).toEqual(codes(parts.join('')));
    }
  });

  it('reads a long part as 16-bit units when its bytes fill the room left exactly', async () => {
    const read = await freshReader();
    // 4,096 scratch bytes; 'ab' then a part of 4,093 units: 4,090 'x' (4,090 bytes), '€' (3 bytes)
    // fill its 4,094 bytes of room up to 4,093 = its length, and the first 'é' (2 bytes) no
    // longer fits: fewer units read than the part has, though as many bytes written
    const part = `${'x'.repeat(4_090)}€éé`;
    const result = read(['ab', part]);
    expect(result.units).toBeInstanceOf(Uint16Array);
    expect(result.length).toBe(4_095);
    expect(unitsOf(result)).toEqual(codes(`ab${part}`));
  });
});

describe('readCodeUnits: shared scratch memory', () => {
  // arrays are compared by identity with ===: a failing toBe would print megabytes
  it('reuses the same bytes and words for every ASCII text up to the scratch size', async () => {
    const read = await freshReader();
    const first = read('ab');
    const { units, words } = first;
    expect(words?.buffer).toBe(units.buffer);
    expect(read(['c', 'd']).units === units).toBe(true);
    expect(read('x'.repeat(40)).units === units).toBe(true);
    // exactly the initial 4,096 bytes: still the same memory
    const full = read('z'.repeat(4_096));
    expect(full.units === units).toBe(true);
    expect(full.words === words).toBe(true);
    expect(full.units[4_095]).toBe(122);
  });

  it('grows the scratch bytes for a longer text and keeps them', async () => {
    const read = await freshReader();
    const small = read('ab').units;
    const grown = read('x'.repeat(5_000));
    expect(grown.units).toBeInstanceOf(Uint8Array);
    expect(grown.length).toBe(5_000);
    expect(grown.units[4_999]).toBe(120);
    const { units, words } = grown;
    expect(units === small).toBe(false);
    expect(words?.buffer).toBe(units.buffer);
    // 5,000 rounded up past the next 4,096 is 8,192 bytes, enough for 6,000 and for 2
    expect(read('y'.repeat(6_000)).units === units).toBe(true);
    const again = read('cd');
    expect(again.units === units).toBe(true);
    expect(again.words === words).toBe(true);
  });

  it('keeps scratch bytes of exactly 1 MiB', async () => {
    const read = await freshReader();
    // 1,044,480 + 4,096 = 1,048,576 bytes, 1 MiB
    const { units } = read('x'.repeat(mebi - 4_096));
    expect(read('y'.repeat(mebi - 4_096)).units === units).toBe(true);
    expect(read('ab').units === units).toBe(true);
  });

  it('reads a text needing more than 1 MiB into bytes of its own, not kept', async () => {
    const read = await freshReader();
    const small = read('ab').units;
    // 1,048,576 + 4,096 = 1,052,672 bytes, over 1 MiB
    const first = read('x'.repeat(mebi));
    expect(first.units).toBeInstanceOf(Uint8Array);
    expect(first.length).toBe(mebi);
    expect(first.units[mebi - 1]).toBe(120);
    expect(first.words?.buffer).toBe(first.units.buffer);
    const firstUnits = first.units;
    const second = read('y'.repeat(mebi));
    expect(second.units === firstUnits).toBe(false);
    expect(second.words?.buffer).toBe(second.units.buffer);
    expect(read('ab').units === small).toBe(true);
  });

  it('reuses the same 16-bit units for every non-ASCII text up to their size', async () => {
    const read = await freshReader();
    const { units } = read('é');
    expect(units).toBeInstanceOf(Uint16Array);
    expect(read(['a', 'ü']).units === units).toBe(true);
    // exactly the initial 1,024 units
    const full = read('é'.repeat(1_024));
    expect(full.units === units).toBe(true);
    expect(full.units[1_023]).toBe(233);
  });

  it('grows the 16-bit units for a longer non-ASCII text and keeps them', async () => {
    const read = await freshReader();
    const small = read('é').units;
    const grown = read(`é${'x'.repeat(1_999)}`).units;
    expect(grown === small).toBe(false);
    // 2,000 + 1,024 = 3,024, rounded down to a multiple of 1,024: 2,048 units, enough for 2,048
    expect(read(`${'x'.repeat(2_047)}ü`).units === grown).toBe(true);
    expect(read('ü').units === grown).toBe(true);
  });

  it('keeps 16-bit units of exactly 1 MiB units and no more', async () => {
    const read = await freshReader();
    // 1,047,552 + 1,024 = 1,048,576 units: kept
    const largest = read(`é${'x'.repeat(mebi - 1_024 - 1)}`).units;
    expect(read(`ü${'x'.repeat(mebi - 1_024 - 1)}`).units === largest).toBe(true);
    // one unit more: 1,048,577 + 1,024 rounded down to a multiple of 1,024 is 1,049,600 units,
    // over 1 MiB, so the text is read into units of its own
    const first = read(`é${'x'.repeat(mebi)}`);
    expect(first.units).toBeInstanceOf(Uint16Array);
    expect(first.length).toBe(mebi + 1);
    expect(first.units[0]).toBe(233);
    expect(first.units[mebi]).toBe(120);
    const firstUnits = first.units;
    expect(read(`ü${'x'.repeat(mebi)}`).units === firstUnits).toBe(false);
    expect(read('é').units === largest).toBe(true);
  });
});
