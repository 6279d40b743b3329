import { readCodeUnits } from './code-units.js';
import type { TurnAction } from './turn-record.js';

/**
 * What an action does, for the overthinking monitor's default classifiers, most telling first:
 * an action that finishes the task is a `finish` whatever else it does; otherwise an action that
 * changes the work is an `edit`, even if it also runs tests.
 */
export type ActionClass = 'finish' | 'edit' | 'verification' | 'other';

const none = 0;
const verification = 1;
const edit = 2;
const finish = 3;
const classes: readonly ActionClass[] = ['other', 'verification', 'edit', 'finish'];

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

/** `\w` in a regular expression without the `u` flag: 0 for other characters, else lower-cased. */
const wordUnit = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  if ((code >= 97 && code <= 122) || code === 95 || (code >= 48 && code <= 57))
    wordUnit[code] = code;
  else if (code >= 65 && code <= 90) wordUnit[code] = code + 32;
}

/** `\s`: the white space and line terminators of ECMAScript. */
function isSpace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function isWord(code: number): boolean {
  return code < 128 && wordUnit[code] !== 0;
}

/** The whole words of the three patterns, by the hash of their lower-cased characters. */
const keywords = new Map<number, { readonly word: string; readonly rank: number }>();
for (const [rank, words] of [
  [finish, ['submit', 'task_done', 'finish']],
  [edit, ['edit', 'write', 'replace', 'patch', 'create', 'str_replace', 'apply']],
  [
    verification,
    [
      'test',
      'tests',
      'pytest',
      'verify',
      'check',
      'python',
      'python3',
      'node',
      'npm',
      'pnpm',
      'make',
      'cargo',
      'go',
      'reproduce',
    ],
  ],
] as const) {
  for (const word of words) {
    let hash = fnvOffset;
    for (let index = 0; index < word.length; index++)
      hash = Math.imul(hash ^ word.charCodeAt(index), fnvPrime);
    keywords.set(hash >>> 0, { word, rank });
  }
}
if (keywords.size !== 24) throw new Error('Two keywords of the action classes share a hash.');
/** For each lower-cased first letter, a bit per length of the keywords that start with it. */
const keywordLengths = new Uint16Array(128);
for (const { word } of keywords.values())
  keywordLengths[word.charCodeAt(0)] =
    (keywordLengths[word.charCodeAt(0)] as number) | (1 << word.length);
const completeTask = 'complete_task';

function sameWord(units: Uint8Array | Uint16Array, start: number, word: string): boolean {
  for (let index = 0; index < word.length; index++)
    if (wordUnit[units[start + index] as number] !== word.charCodeAt(index)) return false;
  return true;
}

/**
 * The class of one text by the three patterns, in one pass over its characters instead of
 * three regular-expression scans: the same answer as testing the overthinking monitor's
 * `finishPattern`, then its `editPattern`, then its `verifyPattern`.
 */
function classifyText(text: string, atLeast: number): number {
  const { units, length } = readCodeUnits(text);
  let found = atLeast;
  // A `>` whose `\S+\.\w+` failed: later starts inside the same run fail too.
  let failedFrom = -1;
  let failedTo = -1;
  let index = 0;
  while (index < length) {
    let code = units[index] as number;
    let unit = code < 128 ? (wordUnit[code] as number) : 0;
    if (unit !== 0) {
      const start = index;
      const lengths = keywordLengths[unit] as number;
      do {
        index += 1;
        if (index >= length) break;
        code = units[index] as number;
        unit = code < 128 ? (wordUnit[code] as number) : 0;
      } while (unit !== 0);
      const runLength = index - start;
      // Only a run whose first letter and length are a keyword's is hashed and looked up.
      if (runLength < 16 && (lengths & (1 << runLength)) !== 0) {
        let hash = fnvOffset;
        for (let at = start; at < index; at++)
          hash = Math.imul(hash ^ (wordUnit[units[at] as number] as number), fnvPrime);
        const keyword = keywords.get(hash >>> 0);
        if (
          keyword !== undefined &&
          keyword.rank > found &&
          keyword.word.length === runLength &&
          sameWord(units, start, keyword.word)
        ) {
          found = keyword.rank;
          if (found === finish) return found;
        }
      }
      if (runLength >= completeTask.length) {
        for (let from = start; from + completeTask.length <= index; from++) {
          if (sameWord(units, from, completeTask)) return finish;
        }
      }
      // `sed\s+-i`: a run ending in `sed`, white space, `-i`.
      if (
        found < edit &&
        runLength >= 3 &&
        wordUnit[units[index - 3] as number] === 115 &&
        wordUnit[units[index - 2] as number] === 101 &&
        wordUnit[units[index - 1] as number] === 100
      ) {
        let after = index;
        while (after < length && isSpace(units[after] as number)) after += 1;
        if (
          after > index &&
          after + 1 < length &&
          units[after] === 45 &&
          (units[after + 1] === 105 || units[after + 1] === 73)
        )
          found = edit;
      }
      continue;
    }
    index += 1;
    // `>\s*\S+\.\w+`: after `>` and any white space, a run of other characters with a `.`
    // (not its first) followed by a word character.
    if (code === 62 && found < edit) {
      let from = index;
      while (from < length && isSpace(units[from] as number)) from += 1;
      if (from >= length || (from >= failedFrom && from < failedTo)) continue;
      let at = from + 1;
      for (; at < length; at++) {
        const next = units[at] as number;
        if (isSpace(next)) break;
        if (next === 46 && at + 1 < length && isWord(units[at + 1] as number)) {
          found = edit;
          break;
        }
      }
      if (found < edit) {
        failedFrom = from;
        failedTo = at;
      }
    }
  }
  return found;
}

/**
 * Classifies an action as the overthinking monitor's default `isFinish`, `isEdit` and
 * `isVerification` do, tried in that order on its name and then its arguments, in one pass over
 * each text (three regular-expression scans of a 2 KB command cost several times more).
 *
 * @param action - a tool call as monitors see it.
 * @returns `'finish'` when `finishPattern` matches the name or the arguments, else `'edit'` when
 *   `editPattern` does, else `'verification'` when `verifyPattern` does, else `'other'`.
 * @example
 * ```ts
 * classifyAction({ name: 'bash', arguments: "sed -i 's/a/b/' x.py && pytest" }); // 'edit'
 * classifyAction({ name: 'bash', arguments: 'echo COMPLETE_TASK' }); // 'finish'
 * ```
 */
export function classifyAction(action: TurnAction): ActionClass {
  const byName = classifyText(action.name, none);
  if (byName === finish) return 'finish';
  return classes[classifyText(action.arguments, byName)] as ActionClass;
}
