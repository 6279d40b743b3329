import { type CodeUnits, readCodeUnits } from './code-units.js';

/**
 * Number of 32-bit words in a {@link TextDigest} signature (2,048 bits).
 */
export const signatureWords = 64;

/**
 * Tokens read at each end of a long text. A text of up to twice this many tokens is tokenised
 * whole; a longer one, its first and its last this many tokens (each end also stops after
 * {@link digestEdgeCharacters} characters, for texts of very long tokens). Every character still
 * counts in the exact hash.
 */
export const digestEdgeTokens = 64;

/** Characters read at most at each end of a long text (see {@link digestEdgeTokens}). */
export const digestEdgeCharacters = 2048;

/**
 * A fixed-size summary of a text, computed in one pass, so that monitors compare texts in
 * constant time whatever their length.
 *
 * - `exact`: a 32-bit hash of every UTF-16 code unit of the text (with `length`, equality up to
 *   hash collisions).
 * - `normalised`: hash of the token stream after normalisation: letters lower-cased, runs of
 *   whitespace and punctuation ignored, and every token that contains a digit replaced by one
 *   placeholder, so line numbers, timestamps, ids and durations do not make two texts differ.
 * - `signature`: a 2,048-bit set of the normalised tokens and token pairs; the Jaccard index of
 *   two signatures ({@link digestSimilarity}) estimates the texts' token-set similarity.
 *
 * The normalised hash and the signature read every token of a text of up to 2 ×
 * {@link digestEdgeTokens} tokens, and the first and last {@link digestEdgeTokens} of a longer
 * one, so that a digest costs about the same for a 2 KB and a 2 MB tool output. Two long texts
 * that differ only in their middle are therefore told apart by `exact` alone. Both ends are
 * counted in tokens, so numbers of other lengths do not move them.
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
/** Hash standing for the untokenised middle of a long text in the normalised stream. */
const gapToken = 0x6b43a9b5;

/**
 * Each ASCII code as a token character: 0 for a separator, the lower-cased code for a letter or
 * `_`, the code plus 256 for a digit. Every other code unit is a letter, as it is.
 */
const asciiUnit = new Uint16Array(128);
for (let code = 0; code < 128; code++) {
  if ((code >= 97 && code <= 122) || code === 95) asciiUnit[code] = code;
  else if (code >= 65 && code <= 90) asciiUnit[code] = code + 32;
  else if (code >= 48 && code <= 57) asciiUnit[code] = code + 256;
}

function mix(hash: number): number {
  let value = hash ^ (hash >>> 16);
  value = Math.imul(value, 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  return (value ^ (value >>> 16)) >>> 0;
}

/** Murmur3's finaliser over the running hash and the length. */
function finish(hash: number, length: number): number {
  return mix(hash ^ length);
}

/** Murmur3's body step: one 32-bit block into the running hash. */
function step(hash: number, block: number): number {
  let k = Math.imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  let h = hash ^ Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * The tokeniser's running state, reused from text to text (digests are computed one at a time
 * and never re-enter).
 */
const state = {
  normalised: fnvOffset,
  previous: 0,
  tokens: 0,
  /** Whether the next token pairs with `previous` (not at the start, not after the gap). */
  paired: false,
};

/**
 * Tokenises `units[from, to)` into `signature` and {@link state}, stopping after `maxTokens`
 * tokens. `from` is a token's start or a separator.
 *
 * @returns the index after the last unit read.
 */
function tokenise(
  units: Uint8Array | Uint16Array,
  from: number,
  to: number,
  maxTokens: number,
  signature: Uint32Array,
): number {
  const table = asciiUnit;
  let normalised = state.normalised;
  let previous = state.previous;
  let tokens = state.tokens;
  let paired = state.paired;
  const lastToken = tokens + maxTokens;
  let index = from;
  while (index < to && tokens < lastToken) {
    let code = units[index] as number;
    let unit = code < 128 ? (table[code] as number) : code;
    index += 1;
    if (unit === 0) continue;
    let token = fnvOffset;
    let digits = 0;
    for (;;) {
      token = Math.imul(token ^ unit, fnvPrime);
      digits |= code < 128 ? unit : 0;
      if (index >= to) break;
      code = units[index] as number;
      unit = code < 128 ? (table[code] as number) : code;
      if (unit === 0) break;
      index += 1;
    }
    const value = digits > 255 ? numberToken : mix(token);
    normalised = Math.imul(normalised ^ value, fnvPrime);
    const unigram = value & 2047;
    signature[unigram >>> 5] = (signature[unigram >>> 5] as number) | (1 << (unigram & 31));
    if (paired) {
      const pair = mix(Math.imul(previous, 31) ^ value) & 2047;
      signature[pair >>> 5] = (signature[pair >>> 5] as number) | (1 << (pair & 31));
    }
    previous = value;
    paired = true;
    tokens += 1;
  }
  state.normalised = normalised;
  state.previous = previous;
  state.tokens = tokens;
  state.paired = paired;
  return index;
}

/** Tokenises the whole of a text of up to 2 × `digestEdgeTokens` tokens, or its two ends. */
function tokeniseText(
  units: Uint8Array | Uint16Array,
  length: number,
  signature: Uint32Array,
): void {
  state.normalised = fnvOffset;
  state.previous = 0;
  state.tokens = 0;
  state.paired = false;
  const headEnd = tokenise(
    units,
    0,
    Math.min(length, digestEdgeCharacters),
    digestEdgeTokens,
    signature,
  );
  if (headEnd >= length) return;
  // Back from the end over the last `digestEdgeTokens` tokens, to the end of the token before.
  const floor = Math.max(headEnd, length - digestEdgeCharacters);
  const table = asciiUnit;
  let tailStart = length;
  let count = 0;
  let inToken = false;
  while (tailStart > floor) {
    const code = units[tailStart - 1] as number;
    if (code >= 128 || table[code] !== 0) {
      if (!inToken) {
        if (count === digestEdgeTokens) break;
        count += 1;
        inToken = true;
      }
    } else inToken = false;
    tailStart -= 1;
  }
  if (tailStart === headEnd) {
    // At most twice `digestEdgeTokens` tokens: read on, as one stream.
    tokenise(units, headEnd, length, length, signature);
    return;
  }
  state.normalised = Math.imul(state.normalised ^ gapToken, fnvPrime);
  state.paired = false;
  tokenise(units, tailStart, length, length, signature);
}

/**
 * The exact hash of a text's code units: Murmur3's 32-bit body and finaliser over blocks of four
 * ASCII characters, or of two code units when the text is not ASCII. A last partial block goes
 * through the full body step (standard Murmur3 mixes it more lightly), so the value equals
 * Murmur3's only for texts whose length fills whole blocks.
 */
function hashUnits(read: CodeUnits): number {
  const { units, words, length } = read;
  let hash = 0;
  if (words !== undefined) {
    const blocks = length >>> 2;
    for (let block = 0; block < blocks; block++) hash = step(hash, words[block] as number);
    let rest = 0;
    for (let index = length - 1; index >= blocks << 2; index--)
      rest = (rest << 8) | (units[index] as number);
    if ((length & 3) !== 0) hash = step(hash, rest);
    return finish(hash, length);
  }
  const blocks = length >>> 1;
  for (let block = 0; block < blocks; block++)
    hash = step(hash, (units[2 * block] as number) | ((units[2 * block + 1] as number) << 16));
  if ((length & 1) === 1) hash = step(hash, units[length - 1] as number);
  // Another seed than the ASCII blocks: a text always takes the same one of the two ways.
  return finish(hash ^ 0x9e3779b9, length);
}

/**
 * Computes the digest of a text: one native copy of its characters, one pass of 32-bit blocks
 * for the exact hash, and one pass over the tokens (of the whole text, or of its two ends when
 * it has more than 2 × {@link digestEdgeTokens} tokens).
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
  return digestCodeUnits(readCodeUnits(text));
}

/**
 * The digest of the concatenation of `parts`, without building the joined string: the same as
 * `digestText(parts.join(''))`.
 *
 * @param parts - texts read one after the other.
 * @returns the {@link TextDigest} of their concatenation.
 * @example
 * ```ts
 * digestTextParts(['bash', ' ', '{"command":"ls"}']).exact === digestText('bash {"command":"ls"}').exact; // true
 * ```
 */
export function digestTextParts(parts: readonly string[]): TextDigest {
  return digestCodeUnits(readCodeUnits(parts));
}

/**
 * Signatures are views into shared blocks of memory: a `Uint32Array` of its own would allocate
 * its 256 bytes outside the heap, which costs more than the rest of a short text's digest. A
 * block is freed once no digest in it is in use (monitors keep only a few turns).
 */
const signaturesPerBlock = 128;
let signatureBlock = new ArrayBuffer(signaturesPerBlock * signatureWords * 4);
let nextSignature = 0;

function newSignature(): Uint32Array {
  if (nextSignature === signaturesPerBlock) {
    signatureBlock = new ArrayBuffer(signaturesPerBlock * signatureWords * 4);
    nextSignature = 0;
  }
  const signature = new Uint32Array(
    signatureBlock,
    nextSignature * signatureWords * 4,
    signatureWords,
  );
  nextSignature += 1;
  return signature;
}

function digestCodeUnits(read: CodeUnits): TextDigest {
  const signature = newSignature();
  const exact = hashUnits(read);
  tokeniseText(read.units, read.length, signature);
  let bits = 0;
  for (let word = 0; word < signatureWords; word++) bits += popcount(signature[word] as number);
  return {
    length: read.length,
    exact,
    normalised: state.normalised >>> 0,
    tokens: state.tokens,
    signature,
    bits,
  };
}

/**
 * A hash of a text's exact UTF-16 code units, the same as {@link TextDigest}'s `exact`, for
 * budgets and monitors that only need to tell equal texts apart. It costs one native copy and
 * one pass of 32-bit blocks.
 *
 * @param text - any text.
 * @returns a 32-bit unsigned hash; equal texts have equal hashes.
 * @example
 * ```ts
 * hashExactText('ls -la') === digestText('ls -la').exact; // true
 * ```
 */
export function hashExactText(text: string): number {
  return hashUnits(readCodeUnits(text));
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
  const left = a.signature;
  const right = b.signature;
  for (let word = 0; word < signatureWords; word++) {
    const both = (left[word] as number) & (right[word] as number);
    if (both !== 0) shared += popcount(both);
  }
  // |A ∪ B| = |A| + |B| − |A ∩ B|, with |A| and |B| counted once when digesting.
  const union = a.bits + b.bits - shared;
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
    signature: toNumbers(digest.signature),
  };
}

/** The signature's words as plain numbers (a loop: `Array.from` of a typed array is far slower). */
function toNumbers(signature: Uint32Array): number[] {
  const numbers = new Array<number>(signature.length);
  for (let word = 0; word < signature.length; word++) numbers[word] = signature[word] as number;
  return numbers;
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
