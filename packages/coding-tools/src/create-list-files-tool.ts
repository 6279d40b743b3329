import { defineTool, type Tool } from '@reins/core';
import { z } from 'zod';
import type { CodingToolSettings } from './coding-tool-settings.js';
import { listWorkspaceFiles } from './list-workspace-files.js';
import { resolveInWorkspace } from './resolve-in-workspace.js';

/** Files a listing shows; the rest are counted. */
const maxListedFiles = 500;

/**
 * The `list_files` tool: the regular files under a folder of the workspace, recursively,
 * without `node_modules` and `.git`, at most 500 shown.
 *
 * @param settings - the workspace root and output cap.
 * @example
 * ```ts
 * const list = createListFilesTool({ root, outputLimit: 8_000, maxFileBytes: 1_000_000 });
 * ```
 */
export function createListFilesTool(settings: CodingToolSettings): Tool<{ path: string }, string> {
  return defineTool({
    name: 'list_files',
    description:
      'Lists the files under a folder of the workspace (recursively, without node_modules and .git).',
    input: z.object({
      path: z.string().default('.').describe('Folder relative to the workspace root'),
    }) as z.ZodType<{ path: string }>,
    execute: async ({ path }) => {
      const folder = await resolveInWorkspace(settings.root, path);
      const files = await listWorkspaceFiles(settings.root, folder);
      const shown = files.slice(0, maxListedFiles);
      const more = files.length - shown.length;
      return shown.join('\n') + (more > 0 ? `\n[${more} more files]` : '');
    },
  });
}
