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
/** Parts up to this long are copied by a loop rather than by the encoder. */
const shortPart = 32;
let scratchBytes = new Uint8Array(4096);
let scratchWords = new Uint32Array(scratchBytes.buffer);
let scratchUnits = new Uint16Array(1024);
const result: { units: Uint8Array | Uint16Array; words: Uint32Array | undefined; length: number } =
  { units: scratchBytes, words: scratchWords, length: 0 };

/** Scratch bytes for at least `length` code units. */
function bytesFor(length: number): Uint8Array {
  if (scratchBytes.length >= length) return scratchBytes;
  const bytes = new Uint8Array((length + 4096) & ~4095);
  if (bytes.length > largestScratch) return bytes;
  scratchBytes = bytes;
  scratchWords = new Uint32Array(bytes.buffer);
  return bytes;
}

/** Scratch 16-bit units for at least `length` code units. */
function unitsFor(length: number): Uint16Array {
  if (scratchUnits.length >= length) return scratchUnits;
  const units = new Uint16Array((length + 1024) & ~1023);
  if (units.length <= largestScratch) scratchUnits = units;
  return units;
}

/**
 * Reads the code units of a text, or of the concatenation of several parts (without building
 * the joined string, which the engine would copy once more), into shared scratch memory: no
 * allocation once it has grown to the longest text seen, up to 1 MiB. The result is overwritten
 * by the next call.
 *
 * @param text - any text, or parts read one after the other.
 * @returns its code units, as bytes (and 32-bit words) when it is ASCII.
 * @example
 * ```ts
 * const { units, length } = readCodeUnits(['ls', ' ', '-la']);
 * length === 6 && units[2] === 32; // true
 * ```
 */
export function readCodeUnits(text: string | readonly string[]): CodeUnits {
  const parts = typeof text === 'string' ? undefined : text;
  let length = 0;
  if (parts === undefined) length = (text as string).length;
  else for (const part of parts) length += part.length;
  const bytes = bytesFor(length);
  result.length = length;
  let ascii: boolean;
  if (parts === undefined && length <= shortPart) {
    const whole = text as string;
    ascii = true;
    for (let index = 0; index < length; index++) {
      const code = whole.charCodeAt(index);
      if (code >= 128) ascii = false;
      bytes[index] = code;
    }
  } else if (parts === undefined) {
    const { read, written } = encoder.encodeInto(text as string, bytes);
    ascii = read === length && written === length;
  } else {
    ascii = true;
    let offset = 0;
    for (const part of parts) {
      if (part.length <= shortPart) {
        // A separator or a tool's name: copied here, cheaper than a call of the encoder.
        for (let index = 0; index < part.length; index++) {
          const code = part.charCodeAt(index);
          if (code >= 128) ascii = false;
          bytes[offset + index] = code;
        }
        if (!ascii) break;
        offset += part.length;
        continue;
      }
      const target = offset === 0 ? bytes : bytes.subarray(offset);
      const { read, written } = encoder.encodeInto(part, target);
      if (read !== part.length || written !== part.length) {
        ascii = false;
        break;
      }
      offset += part.length;
    }
  }
  if (ascii) {
    result.units = bytes;
    result.words = bytes === scratchBytes ? scratchWords : new Uint32Array(bytes.buffer);
    return result;
  }
  const units = unitsFor(length);
  if (parts === undefined) {
    const whole = text as string;
    for (let index = 0; index < length; index++) units[index] = whole.charCodeAt(index);
  } else {
    let offset = 0;
    for (const part of parts) {
      for (let index = 0; index < part.length; index++)
        units[offset + index] = part.charCodeAt(index);
      offset += part.length;
    }
  }
  result.units = units;
  result.words = undefined;
  return result;
}
