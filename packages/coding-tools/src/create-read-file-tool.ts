import { defineTool, type Tool } from '@reins/core';
import { z } from 'zod';
import { type CodingToolSettings, capText } from './coding-tool-settings.js';
import { resolveInWorkspace } from './resolve-in-workspace.js';
import { readWorkspaceFile } from './workspace-file.js';

/** Input of the `read_file` tool. */
export interface ReadFileInput {
  readonly path: string;
  readonly startLine?: number | undefined;
  readonly endLine?: number | undefined;
}

/**
 * The `read_file` tool: a regular file of the workspace with line numbers, whole or a range of
 * lines. FIFOs, sockets and devices are refused without being opened.
 *
 * @param settings - the workspace root, output cap and largest file read.
 * @example
 * ```ts
 * const read = createReadFileTool({ root, outputLimit: 8_000, maxFileBytes: 1_000_000 });
 * ```
 */
export function createReadFileTool(settings: CodingToolSettings): Tool<ReadFileInput, string> {
  return defineTool({
    name: 'read_file',
    description:
      'Reads a file of the workspace with line numbers; startLine and endLine (1-based, inclusive) read a part.',
    input: z.object({
      path: z.string().describe('File relative to the workspace root'),
      startLine: z.number().int().positive().optional(),
      endLine: z.number().int().positive().optional(),
    }),
    execute: async ({ path, startLine, endLine }) => {
      const full = await resolveInWorkspace(settings.root, path);
      const text = await readWorkspaceFile(settings.root, full, path, settings.maxFileBytes);
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      const first = startLine ?? 1;
      const last = Math.min(endLine ?? lines.length, lines.length);
      if (first > lines.length && lines.length > 0) {
        throw new RangeError(
          `startLine ${first} is past the end of '${path}', which has ${lines.length} lines. Use a startLine between 1 and ${lines.length}.`,
        );
      }
      const width = String(last).length;
      const numbered = lines
        .slice(first - 1, last)
        .map((line, index) => `${String(first + index).padStart(width)}  ${line}`);
      return capText(numbered.join('\n'), settings.outputLimit);
    },
  });
}
