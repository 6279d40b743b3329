import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { toWorkspacePath } from './resolve-in-workspace.js';

/** Folders that listing and search skip. */
export const skippedFolders: ReadonlySet<string> = new Set(['node_modules', '.git']);

/**
 * The regular files under a folder of the workspace, recursively, as workspace paths, sorted;
 * without `node_modules` and `.git`. Links, FIFOs, sockets and devices are not listed, and
 * nothing is opened: entries are typed from the folder itself.
 *
 * @param root - the workspace root (a real path).
 * @param folder - the resolved folder.
 */
export async function listWorkspaceFiles(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const relativePath = toWorkspacePath(root, join(entry.parentPath, entry.name));
    if (relativePath.split('/').some((part) => skippedFolders.has(part))) continue;
    files.push(relativePath);
  }
  return files.sort();
}
