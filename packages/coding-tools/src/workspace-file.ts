import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, readlink, unlink } from 'node:fs/promises';
import { FileExistsError } from './errors/file-exists-error.js';
import { FileNotFoundError } from './errors/file-not-found-error.js';
import { FileTooLargeError } from './errors/file-too-large-error.js';
import { NotRegularFileError, type SpecialFileKind } from './errors/not-regular-file-error.js';
import { WorkspaceEscapeError } from './errors/workspace-escape-error.js';
import { isInsideWorkspace } from './resolve-in-workspace.js';

/** What a path is, when it is not a regular file. */
export function specialFileKind(stats: Stats): SpecialFileKind {
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symbolic link';
  return 'unknown';
}

/**
 * Flags for opening without ever waiting: `O_NONBLOCK` makes opening a FIFO return at once
 * (reading) or fail with `ENXIO` (writing) instead of holding a libuv thread until a peer
 * comes; `O_NOFOLLOW` refuses a last component swapped for a symbolic link since it was
 * resolved.
 */
const neverWait = constants.O_NONBLOCK | constants.O_NOFOLLOW;

/**
 * Checks an opened file: a regular file, and, by the kernel's own account of the descriptor
 * (`/proc/self/fd`), inside the workspace, whatever folders were swapped for links on the way.
 */
async function checkOpened(
  handle: FileHandle,
  root: string,
  path: string,
): Promise<{ readonly size: number }> {
  const stats = await handle.stat();
  if (!stats.isFile()) throw new NotRegularFileError(path, specialFileKind(stats));
  const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
  if (opened !== undefined && !isInsideWorkspace(root, opened))
    throw new WorkspaceEscapeError(path, root, `it was opened as ${opened}`);
  return { size: stats.size };
}

/** Refuses anything but a regular file (or a missing one) before it is opened. */
async function refuseSpecialFile(full: string, path: string): Promise<boolean> {
  try {
    const stats = await lstat(full);
    if (!stats.isFile()) throw new NotRegularFileError(path, specialFileKind(stats));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Reads a regular file of the workspace as UTF-8. FIFOs, sockets, devices and folders are
 * refused before opening (`lstat`) and again on the opened descriptor (`fstat`), and opening
 * never waits (`O_NONBLOCK`), so no call can block libuv's thread pool.
 *
 * @param root - the workspace root (a real path).
 * @param full - the resolved path (from `resolveInWorkspace`).
 * @param path - the path as the model gave it, for messages.
 * @param maxBytes - files larger than this are refused.
 * @returns the file's text.
 * @throws {FileNotFoundError} when there is no such file.
 * @throws {NotRegularFileError} for anything but a regular file.
 * @throws {FileTooLargeError} past `maxBytes`.
 */
export async function readWorkspaceFile(
  root: string,
  full: string,
  path: string,
  maxBytes: number,
): Promise<string> {
  if (!(await refuseSpecialFile(full, path))) throw new FileNotFoundError(path);
  const handle = await open(full, constants.O_RDONLY | neverWait);
  try {
    const { size } = await checkOpened(handle, root, path);
    if (size > maxBytes) throw new FileTooLargeError(path, size, maxBytes);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** How {@link writeWorkspaceFile} treats an existing file. */
export type WriteMode = 'create' | 'overwrite';

/**
 * Writes a regular file of the workspace. An existing file must be a regular file (checked
 * before and after opening, which never waits); a new one is created exclusively
 * (`O_EXCL`), so a link slipped into its place is not followed.
 *
 * @param root - the workspace root (a real path).
 * @param full - the resolved path.
 * @param path - the path as the model gave it, for messages.
 * @param content - the new content.
 * @param mode - `'create'` fails if the file exists; `'overwrite'` replaces or creates it.
 * @returns whether the file existed before.
 * @throws {FileExistsError} in `'create'` mode when the file exists.
 * @throws {NotRegularFileError} for anything but a regular file.
 */
export async function writeWorkspaceFile(
  root: string,
  full: string,
  path: string,
  content: string,
  mode: WriteMode,
): Promise<{ readonly existed: boolean }> {
  const existed = await refuseSpecialFile(full, path);
  if (existed && mode === 'create') throw new FileExistsError(path);
  const flags = existed
    ? constants.O_WRONLY | neverWait
    : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | neverWait;
  const handle = await open(full, flags, 0o644);
  try {
    try {
      await checkOpened(handle, root, path);
    } catch (error) {
      // A file this call created through a swapped folder is removed again.
      if (!existed) await unlink(full).catch(() => undefined);
      throw error;
    }
    await handle.truncate(0);
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
  return { existed };
}
