import { createCueDetector, defaultReasoningCues } from './cue-detector.js';

/** Options of {@link createStepSegmenter}. */
export interface StepSegmenterOptions {
  /**
   * Also start a new step at each reasoning cue ("wait", "alternatively"…).
   * @defaultValue true
   */
  readonly splitAtCues?: boolean;
  /** Cue phrases for `splitAtCues`. @defaultValue {@link defaultReasoningCues} */
  readonly cues?: readonly string[];
  /**
   * Characters kept per step: a longer step keeps its first `maxStepChars`.
   * @defaultValue 2000
   */
  readonly maxStepChars?: number;
  /** Steps shorter than this (trimmed) are merged into the next one. @defaultValue 16 */
  readonly minStepChars?: number;
}

/** Defaults of {@link StepSegmenterOptions}. */
export const defaultStepSegmenterOptions = Object.freeze({
  splitAtCues: true,
  cues: defaultReasoningCues,
  maxStepChars: 2000,
  minStepChars: 16,
}) satisfies Required<StepSegmenterOptions>;

/** A segmenter of streamed reasoning into steps. */
export interface StepSegmenter {
  /**
   * Reads one token's text.
   * @returns the text of the step this token completed, or `undefined`.
   */
  push(text: string): string | undefined;
  /** Ends the stream: the last step, if it has content. */
  flush(): string | undefined;
  /** Steps completed so far. */
  readonly count: number;
  /** Forgets everything seen. */
  reset(): void;
}

/**
 * Creates a step segmenter: a step ends at a blank line (`\n\n`) and, with `splitAtCues`,
 * before a reasoning cue. Memory is bounded by `maxStepChars`.
 *
 * @param options - cue splitting and step size limits.
 * @returns the segmenter.
 * @example
 * ```ts
 * const steps = createStepSegmenter();
 * steps.push('First, 3 + 4 = 7.\n\n'); // 'First, 3 + 4 = 7.'
 * ```
 */
export function createStepSegmenter(options: StepSegmenterOptions = {}): StepSegmenter {
  const settings = { ...defaultStepSegmenterOptions, ...options };
  const cues = settings.splitAtCues ? createCueDetector({ cues: settings.cues }) : undefined;
  let step = '';
  let truncated = false;
  let newlines = 0;
  let count = 0;

  const take = (text: string): string | undefined => {
    const trimmed = text.trim();
    if (trimmed.length < settings.minStepChars) return undefined;
    count++;
    return trimmed;
  };

  const append = (text: string) => {
    if (truncated) return;
    step += text;
    if (step.length > settings.maxStepChars) {
      step = step.slice(0, settings.maxStepChars);
      truncated = true;
    }
  };

  return {
    push(text) {
      let completed: string | undefined;
      const cue = cues?.push(text);
      if (cue !== undefined && !truncated) {
        // The cue ended inside this token; the step ends before it.
        const combined = step + text;
        const at = combined.toLowerCase().lastIndexOf(cue);
        if (at > 0) {
          const done = take(combined.slice(0, at));
          if (done !== undefined) {
            completed = done;
            step = '';
            truncated = false;
            append(combined.slice(at));
            newlines = 0;
            return completed;
          }
        }
      }
      let from = 0;
      for (let index = 0; index < text.length; index++) {
        const code = text.charCodeAt(index);
        if (code === 10) {
          newlines++;
          if (newlines === 2) {
            append(text.slice(from, index));
            from = index;
            const done = take(step);
            if (done !== undefined) {
              completed = done;
              step = '';
              truncated = false;
              from = index + 1;
            }
          }
        } else if (code !== 32 && code !== 13 && code !== 9) newlines = 0;
      }
      append(text.slice(from));
      return completed;
    },
    flush() {
      const done = take(step);
      step = '';
      truncated = false;
      return done;
    },
    get count() {
      return count;
    },
    reset() {
      step = '';
      truncated = false;
      newlines = 0;
      count = 0;
      cues?.reset();
    },
  };
}
