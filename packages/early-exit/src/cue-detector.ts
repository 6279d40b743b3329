/** Options of {@link createCueDetector}. */
export interface CueDetectorOptions {
  /**
   * Cue phrases, one to three words each, matched case-insensitively on word boundaries.
   * @defaultValue {@link defaultReasoningCues}
   */
  readonly cues?: readonly string[];
}

/** The cue words reasoning models use when they pause, doubt or switch approach. */
export const defaultReasoningCues: readonly string[] = Object.freeze([
  'hmm',
  'wait',
  'alternatively',
  'but wait',
  'let me check',
  'let me verify',
  'double-check',
  'on second thought',
]);

/** A detector of reasoning cues in a token stream. */
export interface CueDetector {
  /**
   * Reads the text of one token. A cue is reported when the character after it arrives (so
   * that "wait" is not mistaken for "waiting"): usually with the next token.
   * @returns the matched cue (as configured, lower case), or `undefined`.
   */
  push(text: string): string | undefined;
  /** Reports a cue the stream ended on, if any. */
  flush(): string | undefined;
  /** Cues detected so far. */
  readonly count: number;
  /** Forgets everything seen. */
  reset(): void;
}

const maxWordLength = 32;

/**
 * Creates a cue detector. Memory is bounded: the current word and the last two words.
 *
 * @param options - the cue phrases.
 * @returns the detector.
 * @example
 * ```ts
 * const cues = createCueDetector();
 * cues.push('So 12. Wait'); // undefined: the word may go on
 * cues.push(','); // 'wait'
 * ```
 */
export function createCueDetector(options: CueDetectorOptions = {}): CueDetector {
  const phrases = new Set<string>();
  for (const cue of options.cues ?? defaultReasoningCues) {
    const normalised = cue.toLowerCase().trim().split(/\s+/).join(' ');
    if (normalised !== '') phrases.add(normalised);
  }
  let word = '';
  let previous = '';
  let beforePrevious = '';
  let count = 0;

  const endWord = (): string | undefined => {
    if (word === '') return undefined;
    let found: string | undefined;
    if (phrases.has(word)) found = word;
    if (previous !== '') {
      const two = `${previous} ${word}`;
      if (phrases.has(two)) found = two;
      if (beforePrevious !== '') {
        const three = `${beforePrevious} ${two}`;
        if (phrases.has(three)) found = three;
      }
    }
    beforePrevious = previous;
    previous = word;
    word = '';
    if (found !== undefined) count++;
    return found;
  };

  return {
    push(text) {
      let found: string | undefined;
      for (let index = 0; index < text.length; index++) {
        const code = text.charCodeAt(index);
        const isWordChar =
          (code >= 97 && code <= 122) ||
          (code >= 65 && code <= 90) ||
          code === 45 ||
          code === 39 ||
          code > 127;
        if (isWordChar) {
          if (word.length < maxWordLength)
            word += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : text[index];
        } else {
          const ended = endWord();
          if (ended !== undefined) found = ended;
          if (code !== 32 && code !== 9) {
            // Punctuation and newlines break phrases: "wait. let me check" is two cues.
            if (code !== 44) {
              previous = '';
              beforePrevious = '';
            }
          }
        }
      }
      return found;
    },
    flush: endWord,
    get count() {
      return count;
    },
    reset() {
      word = '';
      previous = '';
      beforePrevious = '';
      count = 0;
    },
  };
}
