/**
 * The number of bytes of a text in UTF-8, without encoding it: 1 for U+0000–U+007F, 2 up to
 * U+07FF, 3 for the rest of the Basic Multilingual Plane (most CJK), 4 for a surrogate pair
 * (emoji). A lone surrogate counts 3, as the encoder's replacement character does.
 *
 * Tokenizers that work on bytes (every byte-level BPE) never make more tokens than bytes, so this
 * bounds a text's tokens from above; UTF-16 code units (`text.length`) do not: one CJK unit is 3
 * bytes and can be 3 tokens.
 *
 * @param text - any text.
 * @returns its length in UTF-8 bytes.
 * @example
 * ```ts
 * utf8Length('abc'); // 3
 * utf8Length('汉字'); // 6
 * utf8Length('😀'); // 4
 * ```
 */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) {
      // A pair: 2 units, 4 bytes.
      bytes += 2;
      index++;
    } else bytes += 2;
  }
  return bytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
