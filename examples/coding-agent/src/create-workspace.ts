import { cp, mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled buggy project (a few modules and a failing test). */
export const bundledProject = fileURLToPath(new URL('../project', import.meta.url));

/**
 * Copies a project into a new temporary folder, the agent's workspace.
 *
 * @param source - the project to copy.
 * @returns the workspace's real path.
 * @example
 * ```ts
 * const workspace = await createWorkspace(); // a copy of the bundled invoice-kit project
 * ```
 */
export async function createWorkspace(source: string = bundledProject): Promise<string> {
  const workspace = await realpath(await mkdtemp(join(tmpdir(), 'reins-coding-agent-')));
  await cp(source, workspace, { recursive: true });
  return workspace;
}
