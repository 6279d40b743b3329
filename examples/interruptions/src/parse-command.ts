import type { InterruptInput } from '@reins/core';

/**
 * Reads a typed line as an interrupt: `a|r|x <text>` (addition, revision, retraction), `drop`
 * (the whole task), `s [text]` (stop), `n` (answer now); a leading `!` makes it urgent.
 *
 * @param line - what the user typed.
 * @returns the interrupt, or `undefined` for anything else.
 * @example
 * ```ts
 * parseCommand('!r January, not February'); // { kind: 'revision', text: 'January, not February', urgency: 'now' }
 * ```
 */
export function parseCommand(line: string): InterruptInput | undefined {
  const trimmed = line.trim();
  const urgency = trimmed.startsWith('!') ? 'now' : 'next-turn';
  const body = trimmed.replace(/^!/, '').trim();
  const [word = '', ...rest] = body.split(/\s+/);
  const text = rest.join(' ');
  switch (word) {
    case 'a':
      return { kind: 'addition', text, urgency };
    case 'r':
      return { kind: 'revision', text, urgency };
    case 'x':
      return { kind: 'retraction', text, urgency };
    case 'drop':
      return { kind: 'retraction', scope: 'task', text, urgency: 'now' };
    case 's':
      return { kind: 'stop', text, urgency };
    case 'n':
      return { kind: 'answer-now', answerMaxTokens: 64 };
    default:
      return undefined;
  }
}
