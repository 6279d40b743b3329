import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { WorkspaceEscapeError } from './errors/workspace-escape-error.js';

/**
 * Whether an absolute path is the workspace root or under it.
 * @param root - the workspace root (a real path).
 * @param full - an absolute, normalised path.
 */
export function isInsideWorkspace(root: string, full: string): boolean {
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The real path of `full`, or of its nearest existing ancestor joined with the rest. */
async function realPathOrAncestor(full: string): Promise<string> {
  let current = full;
  const missing: string[] = [];
  for (;;) {
    try {
      const real = await realpath(current);
      return missing.length === 0 ? real : resolve(real, ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const parent = dirname(current);
      if (parent === current) return full;
      missing.push(current.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
      current = parent;
    }
  }
}

/**
 * Resolves a path the model gave to a real path inside the workspace, or refuses it.
 * Refused: absolute paths, `..` that climbs out, and symbolic links (anywhere on the path)
 * that lead out. A path that does not exist yet is checked through its nearest existing
 * ancestor, so `create_file` cannot write through a linked folder either.
 *
 * @param root - the workspace root, as a real path (see `realpath`).
 * @param path - the path as the model gave it, relative to `root`.
 * @returns the absolute real path, inside `root`.
 * @throws {WorkspaceEscapeError} when the path leaves the workspace.
 * @example
 * ```ts
 * const full = await resolveInWorkspace(root, 'src/cart.js');
 * await resolveInWorkspace(root, '../etc/passwd'); // throws WorkspaceEscapeError
 * ```
 */
export async function resolveInWorkspace(root: string, path: string): Promise<string> {
  if (path.includes('\0')) throw new WorkspaceEscapeError(path, root, 'it contains a NUL byte');
  if (isAbsolute(path) || path.startsWith('~')) {
    throw new WorkspaceEscapeError(path, root, 'absolute paths are not allowed');
  }
  const full = resolve(root, path);
  if (!isInsideWorkspace(root, full)) {
    throw new WorkspaceEscapeError(path, root, `'..' leads to ${full}`);
  }
  const real = await realPathOrAncestor(full);
  if (!isInsideWorkspace(root, real)) {
    throw new WorkspaceEscapeError(path, root, `a symbolic link leads to ${real}`);
  }
  return real;
}

/**
 * The path of `full` relative to the workspace root, with `/` separators, for messages.
 *
 * @example
 * ```ts
 * toWorkspacePath('/tmp/ws', '/tmp/ws/src/a.js'); // 'src/a.js'
 * ```
 */
export function toWorkspacePath(root: string, full: string): string {
  return relative(root, full).split(sep).join('/') || '.';
}
