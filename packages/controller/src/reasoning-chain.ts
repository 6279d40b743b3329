import { hashExactText } from './text-digest.js';
import type { TurnRecord } from './turn-record.js';

/** Words of a turn's reasoning kept in its chain: longer reasoning is compared by its opening. */
export const reasoningChainWords = 64;

const fencedBlock = /```[\s\S]*?(?:```|$)/g;
const word = /[\p{L}\p{N}_]+/gu;

/**
 * A turn's reasoning chain: the first {@link reasoningChainWords} words of its reasoning,
 * lower-cased, each as a 32-bit hash. The reasoning is the turn's `reasoning` text when the
 * backend streams one, otherwise its answer text without fenced code blocks (the thought that
 * agents acting through text, like mini-swe-agent, write before their command). A turn with no
 * words has an empty chain.
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
  const source =
    record.reasoning !== undefined && record.reasoning.trim() !== ''
      ? record.reasoning
      : record.text.replace(fencedBlock, ' ');
  const chain: number[] = [];
  for (const match of source.matchAll(word)) {
    chain.push(hashExactText(match[0].toLowerCase()));
    if (chain.length === reasoningChainWords) break;
  }
  return chain;
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
  return longer === 0 ? 0 : editDistance(a, b) / longer;
}

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
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min(
          (previous[j] as number) + 1,
          (current[j - 1] as number) + 1,
          (previous[j - 1] as number) + cost,
        ),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
