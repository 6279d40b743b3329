/**
 * Number of 32-bit words in a {@link TextDigest} signature (2,048 bits).
 */
export const signatureWords = 64;

/**
 * A fixed-size summary of a text, computed in one pass, so that monitors compare texts in
 * constant time whatever their length.
 *
 * - `exact`: FNV-1a hash of the text as it is (with `length`, equality up to hash collisions).
 * - `normalised`: hash of the token stream after normalisation: letters lower-cased, runs of
 *   whitespace and punctuation ignored, and every token that contains a digit replaced by one
 *   placeholder, so line numbers, timestamps, ids and durations do not make two texts differ.
 * - `signature`: a 2,048-bit set of the normalised tokens and token pairs; the Jaccard index of
 *   two signatures ({@link digestSimilarity}) estimates the texts' token-set similarity.
 */
export interface TextDigest {
  readonly length: number;
  readonly exact: number;
  readonly normalised: number;
  /** Normalised tokens counted (at most one per character). */
  readonly tokens: number;
  readonly signature: Uint32Array;
  /** Set bits in `signature`. */
  readonly bits: number;
}

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;
/** Placeholder hash for tokens containing a digit. */
const numberToken = 0x2f0a3c11;

/** Character classes of ASCII: 0 separator, 1 letter or `_`, 2 upper-case letter, 3 digit. */
const asciiClass = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  if (code >= 97 && code <= 122) asciiClass[code] = 1;
  else if (code === 95) asciiClass[code] = 1;
  else if (code >= 65 && code <= 90) asciiClass[code] = 2;
  else if (code >= 48 && code <= 57) asciiClass[code] = 3;
}

function mix(hash: number): number {
  let value = hash ^ (hash >>> 16);
  value = Math.imul(value, 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  return (value ^ (value >>> 16)) >>> 0;
}

/**
 * Computes the digest of a text in one pass over its characters.
 *
 * @param text - any text: a tool call's arguments, a tool's output, a model's answer.
 * @returns its {@link TextDigest}.
 * @example
 * ```ts
 * const a = digestText("sed -n '40,60p' models.py");
 * const b = digestText("sed -n '120,140p' models.py");
 * a.normalised === b.normalised; // true: only the numbers differ
 * ```
 */
export function digestText(text: string): TextDigest {
  const signature = new Uint32Array(signatureWords);
  const classes = asciiClass;
  const length = text.length;
  let exact = fnvOffset;
  let normalised = fnvOffset;
  let token = fnvOffset;
  let tokenLength = 0;
  let hasDigit = 0;
  let previous = 0;
  let tokens = 0;
  let index = 0;
  for (;;) {
    const code = index < length ? text.charCodeAt(index) : 32;
    const kind = code < 128 ? (classes[code] as number) : 1;
    if (index < length) exact = Math.imul(exact ^ code, fnvPrime);
    index += 1;
    if (kind !== 0) {
      token = Math.imul(token ^ (kind === 2 ? code + 32 : code), fnvPrime);
      hasDigit |= kind === 3 ? 1 : 0;
      tokenLength += 1;
      continue;
    }
    if (tokenLength > 0) {
      const value = hasDigit === 1 ? numberToken : mix(token);
      normalised = Math.imul(normalised ^ value, fnvPrime);
      const unigram = value & 2047;
      signature[unigram >>> 5] = (signature[unigram >>> 5] as number) | (1 << (unigram & 31));
      if (tokens > 0) {
        const pair = mix(Math.imul(previous, 31) ^ value) & 2047;
        signature[pair >>> 5] = (signature[pair >>> 5] as number) | (1 << (pair & 31));
      }
      previous = value;
      tokens += 1;
      token = fnvOffset;
      tokenLength = 0;
      hasDigit = 0;
    }
    if (index > length) break;
  }
  let bits = 0;
  for (let word = 0; word < signatureWords; word++) bits += popcount(signature[word] as number);
  return { length, exact: exact >>> 0, normalised: normalised >>> 0, tokens, signature, bits };
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}

/**
 * Similarity of two digested texts in [0, 1]: the Jaccard index of their signatures
 * (shared tokens and token pairs over all of them). Two empty texts are identical (1).
 *
 * @param a - a digest from {@link digestText}.
 * @param b - another digest.
 * @returns 1 for the same normalised tokens, near 0 for unrelated texts.
 * @example
 * ```ts
 * digestSimilarity(digestText('pytest tests/a.py -x'), digestText('pytest tests/a.py -x -q')); // ≈ 0.7
 * ```
 */
export function digestSimilarity(a: TextDigest, b: TextDigest): number {
  if (a.bits === 0 && b.bits === 0) return 1;
  let shared = 0;
  let union = 0;
  const left = a.signature;
  const right = b.signature;
  for (let word = 0; word < signatureWords; word++) {
    const x = left[word] as number;
    const y = right[word] as number;
    shared += popcount(x & y);
    union += popcount(x | y);
  }
  return union === 0 ? 1 : shared / union;
}

/**
 * Whether two digests are of the same text (equal length and hash).
 * @example
 * ```ts
 * sameText(digestText('ls'), digestText('ls')); // true
 * ```
 */
export function sameText(a: TextDigest, b: TextDigest): boolean {
  return a.exact === b.exact && a.length === b.length;
}

/** Serialisable form of a digest, for snapshots. */
export interface TextDigestJson {
  readonly length: number;
  readonly exact: number;
  readonly normalised: number;
  readonly tokens: number;
  readonly signature: readonly number[];
}

/**
 * Converts a digest to JSON (for a controller snapshot).
 * @example
 * ```ts
 * const json = toDigestJson(digestText('ls -la'));
 * const again = fromDigestJson(json);
 * ```
 */
export function toDigestJson(digest: TextDigest): TextDigestJson {
  return {
    length: digest.length,
    exact: digest.exact,
    normalised: digest.normalised,
    tokens: digest.tokens,
    signature: Array.from(digest.signature),
  };
}

/**
 * Rebuilds a digest from {@link toDigestJson}'s output.
 * @example
 * ```ts
 * fromDigestJson(toDigestJson(digestText('ls'))).exact === digestText('ls').exact; // true
 * ```
 */
export function fromDigestJson(json: TextDigestJson): TextDigest {
  const signature = Uint32Array.from(json.signature);
  let bits = 0;
  for (let word = 0; word < signatureWords; word++) bits += popcount(signature[word] ?? 0);
  return {
    length: json.length,
    exact: json.exact,
    normalised: json.normalised,
    tokens: json.tokens,
    signature,
    bits,
  };
}
