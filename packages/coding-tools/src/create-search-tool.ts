import { join } from 'node:path';
import { defineTool, type Tool } from '@reins/core';
import { RE2JS } from 're2js';
import { z } from 'zod';
import { type CodingToolSettings, capText } from './coding-tool-settings.js';
import { FileTooLargeError } from './errors/file-too-large-error.js';
import { NotRegularFileError } from './errors/not-regular-file-error.js';
import { SearchPatternError } from './errors/search-pattern-error.js';
import { listWorkspaceFiles } from './list-workspace-files.js';
import { resolveInWorkspace } from './resolve-in-workspace.js';
import { readWorkspaceFile } from './workspace-file.js';

/** Input of the `search` tool. */
export interface SearchInput {
  readonly pattern: string;
  readonly path: string;
  readonly regex: boolean;
}

/** Matching lines a search shows; the rest are counted. */
const maxShownMatches = 100;

/** A line test: plain text, or a regular expression run by a linear-time engine. */
function createLineTest(pattern: string, regex: boolean): (line: string) => boolean {
  if (!regex) return (line) => line.includes(pattern);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    throw new SearchPatternError(pattern, (error as Error).message, error);
  }
  return (line) => compiled.matcher(line).find();
}

/**
 * The `search` tool: lines of the workspace's files that contain a text or match a regular
 * expression. Regular expressions run on RE2JS, whose matching time is linear in the input,
 * so a pattern such as `^(x+x+)+y$` cannot hold the event loop (RE2 syntax: no backreferences
 * or lookarounds). Files larger than `maxFileBytes`, FIFOs, sockets and devices are skipped.
 *
 * @param settings - the workspace root, output cap and largest file searched.
 * @example
 * ```ts
 * const search = createSearchTool({ root, outputLimit: 8_000, maxFileBytes: 1_000_000 });
 * ```
 */
export function createSearchTool(settings: CodingToolSettings): Tool<SearchInput, string> {
  return defineTool({
    name: 'search',
    description:
      'Finds lines containing a text (or matching a regular expression, RE2 syntax, with regex: true) in the files under a folder.',
    input: z.object({
      pattern: z.string().min(1),
      path: z.string().default('.').describe('Folder relative to the workspace root'),
      regex: z.boolean().default(false),
    }) as z.ZodType<SearchInput>,
    execute: async ({ pattern, path, regex }, { signal }) => {
      const test = createLineTest(pattern, regex);
      const folder = await resolveInWorkspace(settings.root, path);
      const matches: string[] = [];
      let total = 0;
      for (const file of await listWorkspaceFiles(settings.root, folder)) {
        signal.throwIfAborted();
        let text: string;
        try {
          text = await readWorkspaceFile(
            settings.root,
            join(settings.root, file),
            file,
            settings.maxFileBytes,
          );
        } catch (error) {
          if (FileTooLargeError.isInstance(error) || NotRegularFileError.isInstance(error))
            continue;
          throw error;
        }
        text.split('\n').forEach((line, index) => {
          if (!test(line)) return;
          total += 1;
          if (matches.length < maxShownMatches)
            matches.push(`${file}:${index + 1}: ${line.trim()}`);
        });
      }
      if (total === 0) return `No line matches '${pattern}'.`;
      return capText(
        matches.join('\n') +
          (total > matches.length ? `\n[${total - matches.length} more matches]` : ''),
        settings.outputLimit,
      );
    },
  });
}
