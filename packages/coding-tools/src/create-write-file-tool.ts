import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { defineTool, type Tool } from '@reins/core';
import { z } from 'zod';
import type { CodingToolSettings } from './coding-tool-settings.js';
import { resolveInWorkspace, toWorkspacePath } from './resolve-in-workspace.js';
import { writeWorkspaceFile } from './workspace-file.js';

/** Input of the `write_file` tool. */
export interface WriteFileInput {
  readonly path: string;
  readonly content: string;
  readonly overwrite: boolean;
}

/**
 * The `write_file` tool: creates a file (and its folders) in the workspace, or replaces one
 * with `overwrite: true`. Never writes through a link that leads out, nor into a FIFO.
 *
 * @param settings - the workspace root.
 * @example
 * ```ts
 * const write = createWriteFileTool({ root, outputLimit: 8_000, maxFileBytes: 1_000_000 });
 * ```
 */
export function createWriteFileTool(settings: CodingToolSettings): Tool<WriteFileInput, string> {
  return defineTool({
    name: 'write_file',
    description:
      'Creates a file (and its folders) with the given content. Set overwrite: true to replace an existing file.',
    input: z.object({
      path: z.string().describe('File relative to the workspace root'),
      content: z.string(),
      overwrite: z.boolean().default(false),
    }) as z.ZodType<WriteFileInput>,
    execute: async ({ path, content, overwrite }) => {
      const full = await resolveInWorkspace(settings.root, path);
      await mkdir(dirname(full), { recursive: true });
      // Resolve again now that the folders exist, in case one of them is a link.
      const checked = await resolveInWorkspace(settings.root, path);
      const { existed } = await writeWorkspaceFile(
        settings.root,
        checked,
        path,
        content,
        overwrite ? 'overwrite' : 'create',
      );
      return `${existed ? 'Replaced' : 'Created'} ${toWorkspacePath(settings.root, checked)} (${content.split('\n').length} lines).`;
    },
  });
}
