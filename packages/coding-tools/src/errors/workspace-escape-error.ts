import { ReinsError } from '@reins/core';

/**
 * A tool was asked to touch a path outside its workspace: `..` segments that climb out, an
 * absolute path elsewhere, or a symbolic link that points out. The call fails; the run goes on.
 *
 * @example
 * ```ts
 * try { await resolveInWorkspace(root, '../secrets.txt'); } catch (error) {
 *   if (WorkspaceEscapeError.isInstance(error)) console.error(error.path, error.message);
 * }
 * ```
 */
export class WorkspaceEscapeError extends ReinsError {
  /** The path as the model gave it. */
  readonly path: string;
  /** The workspace the path had to stay in. */
  readonly workspace: string;

  /**
   * @param path - the offending path, as given.
   * @param workspace - the workspace root.
   * @param detail - why it leaves the workspace.
   */
  constructor(path: string, workspace: string, detail: string) {
    super(
      'workspace-escape',
      `Path '${path}' is outside the workspace (${detail}). Use a path relative to the workspace root, such as 'src/index.js'.`,
    );
    this.name = 'WorkspaceEscapeError';
    this.path = path;
    this.workspace = workspace;
  }

  /** Whether `value` is a {@link WorkspaceEscapeError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is WorkspaceEscapeError {
    return ReinsError.isInstance(value) && value.code === 'workspace-escape';
  }
}
