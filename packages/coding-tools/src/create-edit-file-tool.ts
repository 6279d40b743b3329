import { defineTool, type Tool } from '@reins/core';
import { z } from 'zod';
import { type CodingToolSettings, capText } from './coding-tool-settings.js';
import { EditMatchError } from './errors/edit-match-error.js';
import { resolveInWorkspace, toWorkspacePath } from './resolve-in-workspace.js';
import { createUnifiedDiff } from './unified-diff.js';
import { readWorkspaceFile, writeWorkspaceFile } from './workspace-file.js';

/** Input of the `edit_file` tool. */
export interface EditFileInput {
  readonly path: string;
  readonly old: string;
  readonly new: string;
}

function lineNumbersOf(text: string, needle: string): number[] {
  const lines: number[] = [];
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + 1))
    lines.push(text.slice(0, index).split('\n').length);
  return lines;
}

/**
 * The `edit_file` tool: replaces an exact text that occurs exactly once in a file, and returns
 * the change as a unified diff (so the model sees what it did, line numbers included).
 *
 * @param settings - the workspace root and largest file edited.
 * @example
 * ```ts
 * const edit = createEditFileTool({ root, outputLimit: 8_000, maxFileBytes: 1_000_000 });
 * // result: 'Edited src/a.js at line 3.\n--- a/src/a.js\n+++ b/src/a.js\n@@ -1,5 +1,5 @@ …'
 * ```
 */
export function createEditFileTool(settings: CodingToolSettings): Tool<EditFileInput, string> {
  return defineTool({
    name: 'edit_file',
    description:
      "Replaces the exact text 'old' with 'new' in a file and shows the change as a unified diff. 'old' must occur exactly once: include enough surrounding lines.",
    input: z.object({ path: z.string(), old: z.string().min(1), new: z.string() }),
    execute: async ({ path, old, new: replacement }) => {
      const full = await resolveInWorkspace(settings.root, path);
      const before = await readWorkspaceFile(settings.root, full, path, settings.maxFileBytes);
      const lines = lineNumbersOf(before, old);
      if (lines.length !== 1) throw new EditMatchError(path, lines.length, lines);
      const index = before.indexOf(old);
      const after = before.slice(0, index) + replacement + before.slice(index + old.length);
      await writeWorkspaceFile(settings.root, full, path, after, 'overwrite');
      const workspacePath = toWorkspacePath(settings.root, full);
      const diff = createUnifiedDiff({ path: workspacePath, before, after });
      return capText(`Edited ${workspacePath} at line ${lines[0]}.\n${diff}`, settings.outputLimit);
    },
  });
}
