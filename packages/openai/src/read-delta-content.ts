/**
 * A delta's `content` as servers send it: a string (the OpenAI shape) or an array of typed
 * parts (Mistral: `{ type: 'text', text }` and `{ type: 'thinking', thinking: [{ type: 'text', text }] }`).
 */
export type DeltaContent = string | readonly DeltaContentPart[] | null | undefined;

/** One part of an array `content`. Parts of other types (references, images) carry no text. */
export interface DeltaContentPart {
  readonly type?: string;
  readonly text?: string | null;
  readonly thinking?: string | readonly { readonly type?: string; readonly text?: string | null }[];
}

/** The text and reasoning a delta's `content` carries. */
export interface ReadContent {
  readonly text: string;
  readonly reasoning: string;
}

/**
 * Splits a delta's `content` into answer text and reasoning text.
 *
 * @param content - the delta's `content` field.
 * @returns the text and reasoning it carries (empty strings when none).
 * @example
 * ```ts
 * readDeltaContent([{ type: 'thinking', thinking: [{ type: 'text', text: 'Hmm.' }] }, { type: 'text', text: '4' }]);
 * // { text: '4', reasoning: 'Hmm.' }
 * ```
 */
export function readDeltaContent(content: DeltaContent): ReadContent {
  if (typeof content === 'string') return { text: content, reasoning: '' };
  if (!Array.isArray(content)) return { text: '', reasoning: '' };
  let text = '';
  let reasoning = '';
  for (const part of content as readonly DeltaContentPart[]) {
    if (typeof part !== 'object' || part === null) continue;
    if (part.type === 'thinking') {
      const thinking = part.thinking;
      if (typeof thinking === 'string') reasoning += thinking;
      else if (Array.isArray(thinking))
        for (const piece of thinking) if (typeof piece?.text === 'string') reasoning += piece.text;
    } else if ((part.type === 'text' || part.type === undefined) && typeof part.text === 'string') {
      text += part.text;
    }
  }
  return { text, reasoning };
}
