/**
 * Extracts a final answer from answer text: the content of the last `\boxed{…}`, else what
 * follows the last "answer is" / "answer:", else the text itself; trimmed, with a trailing
 * period removed. Text inside `<think>…</think>` is ignored.
 *
 * @param text - the model's answer text.
 * @returns the answer, possibly empty.
 * @example
 * ```ts
 * extractAnswer('So the final answer is \\boxed{42}.'); // '42'
 * extractAnswer('Answer: 17 apples.'); // '17 apples'
 * ```
 */
export function extractAnswer(text: string): string {
  let body = text;
  const closed = body.lastIndexOf('</think>');
  if (closed >= 0) body = body.slice(closed + '</think>'.length);
  else if (body.trimStart().startsWith('<think>')) return '';
  const boxed = lastBoxed(body);
  if (boxed !== undefined) return boxed.trim();
  const match = /(?:answer\s*(?:is|:)\s*)([^\n]*)/gi;
  let last: string | undefined;
  for (let found = match.exec(body); found !== null; found = match.exec(body)) last = found[1];
  const answer = (last ?? body).trim().replace(/^\\boxed\{|\}$/g, '');
  return answer.replace(/[.\s]+$/, '').trim();
}

/**
 * Normalises an answer for comparison: lower case, no spaces, `$`, `,` or trailing `.`, and
 * numbers in a canonical form (`42.0` → `42`).
 * @example
 * ```ts
 * normaliseAnswer(' $1,200.00 '); // '1200'
 * ```
 */
export function normaliseAnswer(answer: string): string {
  const compact = answer
    .toLowerCase()
    .replace(/[\s$,]/g, '')
    .replace(/\.+$/, '');
  const number = Number(compact);
  return compact !== '' && Number.isFinite(number) ? String(number) : compact;
}

function lastBoxed(text: string): string | undefined {
  const start = text.lastIndexOf('\\boxed{');
  if (start < 0) return undefined;
  let depth = 0;
  for (let index = start + '\\boxed{'.length; index < text.length; index++) {
    const char = text[index];
    if (char === '{') depth++;
    else if (char === '}') {
      if (depth === 0) return text.slice(start + '\\boxed{'.length, index);
      depth--;
    }
  }
  return text.slice(start + '\\boxed{'.length);
}
