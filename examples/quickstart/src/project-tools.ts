import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { defineTool } from '@reins/core';
import { z } from 'zod';

const run = promisify(execFile);

/**
 * Tools over one project folder: list, read, edit files, and run a script with Node.
 * Paths are relative to the folder; a path that leaves it is refused.
 */
export function createProjectTools(root: string) {
  const inside = (path: string) => {
    const full = resolve(root, path);
    if (full !== root && !full.startsWith(root + sep)) {
      throw new Error(
        `Path '${path}' is outside the project. Use a path relative to the project root.`,
      );
    }
    return full;
  };

  const listFiles = defineTool({
    name: 'list_files',
    description: 'Lists the files of the project.',
    input: z.object({}),
    execute: async () => {
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      return entries
        .filter((entry) => entry.isFile())
        .map((entry) => relative(root, join(entry.parentPath, entry.name)))
        .sort()
        .join('\n');
    },
  });

  const readFileTool = defineTool({
    name: 'read_file',
    description: 'Reads a file of the project.',
    input: z.object({ path: z.string().describe('Path relative to the project root') }),
    execute: ({ path }) => readFile(inside(path), 'utf8'),
  });

  const editFile = defineTool({
    name: 'edit_file',
    description: 'Replaces one exact occurrence of `old` with `new` in a file.',
    input: z.object({ path: z.string(), old: z.string().min(1), new: z.string() }),
    execute: async ({ path, old, new: replacement }) => {
      const full = inside(path);
      const text = await readFile(full, 'utf8');
      const count = text.split(old).length - 1;
      if (count !== 1)
        throw new Error(
          `Expected exactly one occurrence of the old text in ${path}, found ${count}.`,
        );
      await writeFile(full, text.replace(old, replacement));
      return `Edited ${path}.`;
    },
  });

  const runNode = defineTool({
    name: 'run_node',
    description:
      'Runs a JavaScript file of the project with Node and returns its exit code and output.',
    input: z.object({ path: z.string() }),
    timeoutMs: 30_000,
    execute: async ({ path }, { signal }) => {
      try {
        const { stdout, stderr } = await run(process.execPath, [inside(path)], {
          cwd: root,
          signal,
        });
        return `exit code 0\n${stdout}${stderr}`;
      } catch (error) {
        const failure = error as { code?: number | string; stdout?: string; stderr?: string };
        if (signal.aborted) throw error;
        return `exit code ${failure.code}\n${failure.stdout ?? ''}${failure.stderr ?? ''}`;
      }
    },
  });

  return [listFiles, readFileTool, editFile, runNode];
}
