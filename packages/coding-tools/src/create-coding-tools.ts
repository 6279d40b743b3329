import { realpathSync } from 'node:fs';
import type { Tool } from '@reins/core';
import type { CodingToolSettings } from './coding-tool-settings.js';
import { createEditFileTool } from './create-edit-file-tool.js';
import { createListFilesTool } from './create-list-files-tool.js';
import { createReadFileTool } from './create-read-file-tool.js';
import { createSearchTool } from './create-search-tool.js';
import { createShellTool } from './create-shell-tool.js';
import { createWriteFileTool } from './create-write-file-tool.js';
import { createSandbox, type Sandbox, type SandboxOptions } from './sandbox/create-sandbox.js';

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
   * Characters of a tool's result returned to the model.
   * @defaultValue `defaultCodingToolsOptions.outputLimit` (8 000)
   */
  readonly outputLimit?: number;
  /**
   * Files larger than this many bytes are not read, searched or edited.
   * @defaultValue `defaultCodingToolsOptions.maxFileBytes` (2 MiB)
   */
  readonly maxFileBytes?: number;
  /**
   * The shell's sandbox: network, limits, environment, read-only paths and the unsafe
   * `unsandboxed` opt-out (see {@link SandboxOptions}). The workspace is `root`.
   * @defaultValue no network, `defaultSandboxLimits`
   */
  readonly sandbox?: Omit<SandboxOptions, 'workspace'>;
}

/** Defaults of {@link CodingToolsOptions}. */
export const defaultCodingToolsOptions = Object.freeze({
  commandTimeoutMs: 30_000,
  outputLimit: 8_000,
  maxFileBytes: 2 * 1024 ** 2,
});

/** The tools of {@link createCodingTools}, with the sandbox their shell runs in. */
export interface CodingTools {
  /** `list_files`, `read_file`, `search`, `edit_file`, `write_file`, `run_command`. */
  readonly tools: Tool<unknown, string>[];
  /** The sandbox of `run_command`: how it isolates commands and which limits hold. */
  readonly sandbox: Sandbox;
}

/**
 * The tools of a coding agent, confined to one workspace folder: `list_files`, `read_file`
 * (line ranges), `search` (plain text or linear-time regular expressions), `edit_file`
 * (exact-match replace, answered with a unified diff), `write_file`, and `run_command` (a
 * shell under bubblewrap: no network, a PID namespace of its own, a clean environment, the
 * workspace as the only writable path, resource limits, and the whole process tree killed on
 * timeout and on interrupt).
 *
 * Paths that leave the workspace (`..`, absolute paths, links pointing out) fail with a
 * `WorkspaceEscapeError`; FIFOs, sockets and devices with a `NotRegularFileError`, before
 * they are opened. The model reads the error and the run goes on.
 *
 * @param options - workspace root, command timeout, output cap, sandbox options.
 * @returns the six tools and their sandbox.
 * @throws {SandboxUnavailableError} when bubblewrap cannot run here, unless
 * `sandbox.unsandboxed` is set.
 * @example
 * ```ts
 * const { tools } = await createCodingTools({ root: workspace });
 * const agent = createAgent({ backend, tools });
 * ```
 */
export async function createCodingTools(options: CodingToolsOptions): Promise<CodingTools> {
  const root = realpathSync(options.root);
  const settings: CodingToolSettings = {
    root,
    outputLimit: options.outputLimit ?? defaultCodingToolsOptions.outputLimit,
    maxFileBytes: options.maxFileBytes ?? defaultCodingToolsOptions.maxFileBytes,
  };
  const sandbox = await createSandbox({ ...options.sandbox, workspace: root });
  const tools = [
    createListFilesTool(settings),
    createReadFileTool(settings),
    createSearchTool(settings),
    createEditFileTool(settings),
    createWriteFileTool(settings),
    createShellTool({
      sandbox,
      timeoutMs: options.commandTimeoutMs ?? defaultCodingToolsOptions.commandTimeoutMs,
      outputLimit: settings.outputLimit,
    }),
  ] as Tool<unknown, string>[];
  return { tools, sandbox };
}
