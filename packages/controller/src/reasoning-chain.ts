import type { TurnRecord } from './turn-record.js';

/** Words of a turn's reasoning kept in its chain: longer reasoning is compared by its opening. */
export const reasoningChainWords = 32;

const otherWordCharacter = /[\p{L}\p{N}]/u;

/**
 * A turn's reasoning chain: the first {@link reasoningChainWords} words of its reasoning,
 * lower-cased, each as a 32-bit hash (FNV-1a of its code units). The reasoning is the turn's
 * `reasoning` text when the backend streams one, otherwise its answer text without fenced code
 * blocks (the thought that agents acting through text, like mini-swe-agent, write before their
 * command; an unclosed fence runs to the end). A word is a run of letters, digits and `_`. A
 * turn with no words has an empty chain.
 *
 * @param record - a completed turn.
 * @returns the word hashes, in order.
 * @example
 * ```ts
 * toReasoningChain({ turn: 1, text: 'THOUGHT: list files.\n```bash\nls\n```', actions: [], observations: [] });
 * // three hashes: 'thought', 'list', 'files'
 * ```
 */
export function toReasoningChain(record: TurnRecord): number[] {
  const streamed = record.reasoning !== undefined && record.reasoning.trim() !== '';
  return streamed ? chainOf(record.reasoning as string, false) : chainOf(record.text, true);
}

/** Scans words once, without copying the text, up to the chain's length. */
function chainOf(text: string, skipFences: boolean): number[] {
  const chain: number[] = [];
  let hash = 0;
  let inWord = false;
  let inFence = false;
  for (let index = 0; index < text.length; index++) {
    let code = text.charCodeAt(index);
    if (
      skipFences &&
      code === 96 &&
      text.charCodeAt(index + 1) === 96 &&
      text.charCodeAt(index + 2) === 96
    ) {
      inFence = !inFence;
      index += 2;
      code = 32;
    } else if (inFence) continue;
    const isWord =
      (code >= 97 && code <= 122) ||
      (code >= 65 && code <= 90) ||
      (code >= 48 && code <= 57) ||
      code === 95 ||
      (code >= 128 && otherWordCharacter.test(text.charAt(index)));
    if (isWord) {
      if (!inWord) {
        hash = 0x811c9dc5;
        inWord = true;
      }
      const lower =
        code >= 65 && code <= 90 ? code + 32 : code >= 128 ? lowerCode(text, index) : code;
      hash = Math.imul(hash ^ lower, 0x01000193) >>> 0;
    } else if (inWord) {
      chain.push(hash);
      inWord = false;
      if (chain.length === reasoningChainWords) return chain;
    }
  }
  if (inWord && chain.length < reasoningChainWords) chain.push(hash);
  return chain;
}

function lowerCode(text: string, index: number): number {
  return text.charAt(index).toLowerCase().charCodeAt(0);
}

/**
 * The normalised edit distance of two reasoning chains: the word-level Levenshtein distance
 * divided by the longer chain's length, in [0, 1] (0 = the same words in the same order).
 *
 * @param a - one chain, e.g. from {@link toReasoningChain}.
 * @param b - the other chain.
 * @returns the distance; 0 when both are empty.
 * @example
 * ```ts
 * reasoningChainDistance([1, 2, 3, 4], [1, 2, 5, 4]); // 0.25: one substitution in four words
 * ```
 */
export function reasoningChainDistance(a: readonly number[], b: readonly number[]): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 0 : numberEditDistance(a, b) / longer;
}

/** Two rows of the edit-distance table, reused across calls (grown when needed). */
let rows = new Int32Array(2 * (reasoningChainWords + 1));

/**
 * {@link editDistance} of two number sequences: the same table, kept in typed arrays, after
 * the common prefix and suffix (which never change the distance) are set aside.
 */
function numberEditDistance(a: readonly number[], b: readonly number[]): number {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const lengthA = endA - start;
  const lengthB = endB - start;
  if (lengthA === 0) return lengthB;
  if (lengthB === 0) return lengthA;
  if (numberRow.length <= lengthB) numberRow = new Int32Array(lengthB + 1);
  if (right.length < lengthB) right = new Float64Array(lengthB);
  const row = numberRow;
  for (let j = 0; j < lengthB; j++) right[j] = b[start + j] as number;
  for (let j = 0; j <= lengthB; j++) row[j] = j;
  for (let i = 1; i <= lengthA; i++) {
    const left = a[start + i - 1] as number;
    let diagonal = i - 1;
    let previous = i;
    row[0] = i;
    for (let j = 1; j <= lengthB; j++) {
      const above = row[j] as number;
      let value = diagonal + (left === right[j - 1] ? 0 : 1);
      if (above + 1 < value) value = above + 1;
      if (previous + 1 < value) value = previous + 1;
      row[j] = value;
      diagonal = above;
      previous = value;
    }
  }
  return row[lengthB] as number;
}

/** One row of {@link numberEditDistance}'s table and the second sequence, reused across calls. */
let numberRow = new Int32Array(reasoningChainWords + 1);
let right = new Float64Array(reasoningChainWords);

/**
 * The Levenshtein distance of two sequences: the fewest insertions, deletions and
 * substitutions that turn one into the other.
 *
 * @param a - one sequence.
 * @param b - the other.
 * @returns the number of edits.
 * @example
 * ```ts
 * editDistance(['read', 'edit', 'test'], ['read', 'test']); // 1
 * ```
 */
export function editDistance<T>(a: readonly T[], b: readonly T[]): number {
  const width = b.length + 1;
  if (rows.length < 2 * width) rows = new Int32Array(2 * width);
  let previous = 0;
  let current = width;
  for (let j = 0; j < width; j++) rows[j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[current] = i;
    const left = a[i - 1];
    for (let j = 1; j < width; j++) {
      const substitution = (rows[previous + j - 1] as number) + (left === b[j - 1] ? 0 : 1);
      const deletion = (rows[previous + j] as number) + 1;
      const insertion = (rows[current + j - 1] as number) + 1;
      rows[current + j] = Math.min(substitution, deletion, insertion);
    }
    [previous, current] = [current, previous];
  }
  return rows[previous + b.length] as number;
}
