/**
 * Finds the TypeScript code blocks of Markdown files, so that every one of them is
 * type-checked and run. Each is a complete program, or says `continued` in its info string
 * (```ts continued): it goes on from the block before it and is checked and run after it, in one
 * module. No block is skipped.
 */
import { readFileSync } from 'node:fs';

/** One TypeScript block of a Markdown file. */
export interface CodeBlock {
  /** The Markdown file. */
  readonly file: string;
  /** 1-based line of the block's first code line in the file. */
  readonly line: number;
  /** The code. */
  readonly code: string;
  /** Code of the blocks this one continues, checked before it. */
  readonly prefix: string;
}

const fence = /^```(\S*)(.*)$/;

/** The TypeScript blocks of one Markdown file. */
export function extractCodeBlocks(
  file: string,
  markdown = readFileSync(file, 'utf8'),
): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const open = fence.exec(lines[index] ?? '');
    if (open === null) continue;
    const language = open[1] ?? '';
    const info = open[2] ?? '';
    const start = index + 1;
    let end = start;
    while (end < lines.length && !(lines[end] ?? '').startsWith('```')) end++;
    if (language === 'ts' || language === 'typescript') {
      const previous = /\bcontinued\b/.test(info) ? blocks.at(-1) : undefined;
      const prefix = previous === undefined ? '' : `${previous.prefix}${previous.code}\n`;
      blocks.push({ file, line: start + 1, code: lines.slice(start, end).join('\n'), prefix });
    }
    index = end;
  }
  return blocks;
}
