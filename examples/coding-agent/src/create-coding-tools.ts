import { realpathSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { defineTool, type Tool } from '@reins/core';
import { z } from 'zod';
import { checkCommand } from './check-command.js';
import { EditMatchError } from './edit-match-error.js';
import { resolveInWorkspace, toWorkspacePath } from './resolve-in-workspace.js';
import { defaultRunCommandOptions, runCommand } from './run-command.js';

/** Options of {@link createCodingTools}. */
export interface CodingToolsOptions {
  /** The workspace folder every tool is confined to. */
  readonly root: string;
  /**
   * Timeout of one `run_command`, in milliseconds.
   * @defaultValue `defaultCodingToolsOptions.commandTimeoutMs` (30 000)
   */
  readonly commandTimeoutMs?: number;
  /**
   * Characters of a command's output (and of a file read) returned to the model.
   * @defaultValue `defaultCodingToolsOptions.outputLimit` (8 000)
   */
  readonly outputLimit?: number;
}

/** Defaults of {@link CodingToolsOptions}. */
export const defaultCodingToolsOptions = Object.freeze({
  commandTimeoutMs: defaultRunCommandOptions.timeoutMs,
  outputLimit: defaultRunCommandOptions.outputLimit,
  maxListedFiles: 500,
  maxSearchMatches: 100,
});

/** Folders that listing and search skip. */
const skippedFolders = new Set(['node_modules', '.git']);

async function listFiles(root: string, folder: string): Promise<string[]> {
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

function lineNumbersOf(text: string, needle: string): number[] {
  const lines: number[] = [];
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + 1))
    lines.push(text.slice(0, index).split('\n').length);
  return lines;
}

/**
 * The tools of a coding agent, all confined to one workspace folder: `list_files`,
 * `read_file` (with line ranges), `search`, `edit_file` (exact-match replace), `create_file`
 * and `run_command` (a shell command with a timeout, an output cap and the run's abort
 * signal; the process group is killed on timeout and on interrupt).
 *
 * Paths that leave the workspace (`..`, absolute paths, symbolic links pointing out) fail with
 * a `WorkspaceEscapeError`; commands that name outside paths fail with a `CommandRefusedError`.
 * Either way the model reads the error and the run goes on.
 *
 * @param options - the workspace root, the command timeout and the output cap.
 * @returns the six tools, for `createAgent({ tools })`.
 * @example
 * ```ts
 * const agent = createAgent({ backend, tools: createCodingTools({ root: workspace }) });
 * ```
 */
export function createCodingTools(options: CodingToolsOptions): Tool<unknown, string>[] {
  const root = realpathSync(options.root);
  const commandTimeoutMs = options.commandTimeoutMs ?? defaultCodingToolsOptions.commandTimeoutMs;
  const outputLimit = options.outputLimit ?? defaultCodingToolsOptions.outputLimit;
  const cap = (text: string) =>
    text.length <= outputLimit
      ? text
      : `${text.slice(0, outputLimit)}\n[${text.length - outputLimit} more characters not shown]`;

  const list = defineTool({
    name: 'list_files',
    description:
      'Lists the files under a folder of the workspace (recursively, without node_modules and .git).',
    input: z.object({
      path: z.string().default('.').describe('Folder relative to the workspace root'),
    }),
    execute: async ({ path }) => {
      const folder = await resolveInWorkspace(root, path);
      const files = await listFiles(root, folder);
      const shown = files.slice(0, defaultCodingToolsOptions.maxListedFiles);
      const more = files.length - shown.length;
      return shown.join('\n') + (more > 0 ? `\n[${more} more files]` : '');
    },
  });

  const read = defineTool({
    name: 'read_file',
    description:
      'Reads a file of the workspace with line numbers; startLine and endLine (1-based, inclusive) read a part.',
    input: z.object({
      path: z.string().describe('File relative to the workspace root'),
      startLine: z.number().int().positive().optional(),
      endLine: z.number().int().positive().optional(),
    }),
    execute: async ({ path, startLine, endLine }) => {
      const text = await readFile(await resolveInWorkspace(root, path), 'utf8');
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      const first = startLine ?? 1;
      const last = Math.min(endLine ?? lines.length, lines.length);
      if (first > lines.length && lines.length > 0) {
        throw new RangeError(
          `startLine ${first} is past the end of '${path}', which has ${lines.length} lines. Use a startLine between 1 and ${lines.length}.`,
        );
      }
      const width = String(last).length;
      const numbered = lines
        .slice(first - 1, last)
        .map((line, index) => `${String(first + index).padStart(width)}  ${line}`);
      return cap(numbered.join('\n'));
    },
  });

  const search = defineTool({
    name: 'search',
    description:
      'Finds lines containing a text (or matching a regular expression with regex: true) in the files under a folder.',
    input: z.object({
      pattern: z.string().min(1),
      path: z.string().default('.').describe('Folder relative to the workspace root'),
      regex: z.boolean().default(false),
    }),
    execute: async ({ pattern, path, regex }) => {
      const folder = await resolveInWorkspace(root, path);
      const matcher = regex ? new RegExp(pattern) : undefined;
      const matches: string[] = [];
      let total = 0;
      for (const file of await listFiles(root, folder)) {
        const full = join(root, file);
        if ((await stat(full)).size > 1_000_000) continue;
        const lines = (await readFile(full, 'utf8')).split('\n');
        lines.forEach((line, index) => {
          if (matcher ? !matcher.test(line) : !line.includes(pattern)) return;
          total += 1;
          if (matches.length < defaultCodingToolsOptions.maxSearchMatches)
            matches.push(`${file}:${index + 1}: ${line.trim()}`);
        });
      }
      if (total === 0) return `No line matches '${pattern}'.`;
      return cap(
        matches.join('\n') +
          (total > matches.length ? `\n[${total - matches.length} more matches]` : ''),
      );
    },
  });

  const edit = defineTool({
    name: 'edit_file',
    description:
      "Replaces the exact text 'old' with 'new' in a file. 'old' must occur exactly once: include enough surrounding lines.",
    input: z.object({ path: z.string(), old: z.string().min(1), new: z.string() }),
    execute: async ({ path, old, new: replacement }) => {
      const full = await resolveInWorkspace(root, path);
      const text = await readFile(full, 'utf8');
      const lines = lineNumbersOf(text, old);
      if (lines.length !== 1) throw new EditMatchError(path, lines.length, lines);
      const index = text.indexOf(old);
      await writeFile(full, text.slice(0, index) + replacement + text.slice(index + old.length));
      return `Edited ${toWorkspacePath(root, full)} at line ${lines[0]}.`;
    },
  });

  const create = defineTool({
    name: 'create_file',
    description:
      'Creates a file (and its folders) with the given content. Set overwrite: true to replace an existing file.',
    input: z.object({
      path: z.string(),
      content: z.string(),
      overwrite: z.boolean().default(false),
    }),
    execute: async ({ path, content, overwrite }) => {
      const full = await resolveInWorkspace(root, path);
      await mkdir(dirname(full), { recursive: true });
      // Resolve again now that the folders exist, in case one of them is a link.
      const checked = await resolveInWorkspace(root, path);
      try {
        await writeFile(checked, content, { flag: overwrite ? 'w' : 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new Error(
            `'${path}' already exists. Use edit_file to change it, or create_file with overwrite: true to replace it.`,
          );
        }
        throw error;
      }
      return `Created ${toWorkspacePath(root, checked)} (${content.split('\n').length} lines).`;
    },
  });

  const run = defineTool({
    name: 'run_command',
    description: `Runs a shell command in the workspace root and returns its exit code and output. Killed after ${commandTimeoutMs} ms. Use relative paths only.`,
    input: z.object({ command: z.string() }),
    // The tool's own timeout is later than the command's, so the command's clearer error wins.
    timeoutMs: commandTimeoutMs + 5_000,
    execute: async ({ command }, { signal }) => {
      checkCommand(command);
      const result = await runCommand(command, {
        cwd: root,
        timeoutMs: commandTimeoutMs,
        outputLimit,
        signal,
      });
      const dropped =
        result.droppedCharacters > 0
          ? `\n[${result.droppedCharacters} more characters of output not shown]`
          : '';
      return `exit code: ${result.exitCode ?? 'killed'}\n${result.output}${dropped}`;
    },
  });

  return [list, read, search, edit, create, run] as Tool<unknown, string>[];
}
