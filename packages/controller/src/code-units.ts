/**
 * Reading a text's UTF-16 code units into a typed array, so that hot loops index a typed array
 * instead of calling `charCodeAt` on strings of every representation (flat, sliced,
 * concatenated). An ASCII text, the common case, is copied natively one byte per code unit.
 */

/** A text's code units: one byte each when the text is ASCII, else 16 bits each. */
export interface CodeUnits {
  /** The units in `[0, length)`; valid until the next call of {@link readCodeUnits}. */
  readonly units: Uint8Array | Uint16Array;
  /** The same memory as 32-bit words (little-endian), when `units` is a byte array. */
  readonly words: Uint32Array | undefined;
  readonly length: number;
}

/** Texts longer than this are read into arrays of their own, which are not kept. */
const largestScratch = 1 << 20;
const encoder = new TextEncoder();
let scratchBytes = new Uint8Array(4096);
let scratchWords = new Uint32Array(scratchBytes.buffer);
let scratchUnits = new Uint16Array(1024);
const result: { units: Uint8Array | Uint16Array; words: Uint32Array | undefined; length: number } =
  { units: scratchBytes, words: scratchWords, length: 0 };

/**
 * Reads the code units of a text into shared scratch memory (no allocation once it has grown
 * to the longest text seen, up to 1 MiB). The result is overwritten by the next call.
 *
 * @param text - any text.
 * @returns its code units, as bytes (and 32-bit words) when it is ASCII.
 * @example
 * ```ts
 * const { units, length } = readCodeUnits('ls -la');
 * units[0] === 108; // 'l'
 * ```
 */
export function readCodeUnits(text: string): CodeUnits {
  const length = text.length;
  let bytes = scratchBytes;
  let words = scratchWords;
  if (bytes.length < length) {
    bytes = new Uint8Array((length + 4096) & ~4095);
    words = new Uint32Array(bytes.buffer);
    if (bytes.length <= largestScratch) {
      scratchBytes = bytes;
      scratchWords = words;
    }
  }
  const { read, written } = encoder.encodeInto(text, bytes);
  result.length = length;
  if (read === length && written === length) {
    result.units = bytes;
    result.words = words;
    return result;
  }
  let units = scratchUnits;
  if (units.length < length) {
    units = new Uint16Array((length + 1024) & ~1023);
    if (units.length <= largestScratch) scratchUnits = units;
  }
  for (let index = 0; index < length; index++) units[index] = text.charCodeAt(index);
  result.units = units;
  result.words = undefined;
  return result;
}
