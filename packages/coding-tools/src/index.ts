/**
 * Tools for coding agents, confined to one workspace folder: `list_files`, `read_file`,
 * `search` (linear-time regular expressions), `edit_file` (exact-match replace with a unified
 * diff), `write_file`, and `run_command`, a shell under bubblewrap with no network, its own
 * PID namespace, a clean environment, the workspace as the only writable path, resource
 * limits, and the whole process tree killed on timeout and interrupt.
 *
 * `createCodingTools` gives all six; `createSandbox` and the `create*Tool` functions give the
 * parts.
 *
 * @module @reins/coding-tools
 */

export type { CodingToolSettings } from './coding-tool-settings.js';
export {
  type CodingTools,
  type CodingToolsOptions,
  createCodingTools,
  defaultCodingToolsOptions,
} from './create-coding-tools.js';
export { createEditFileTool, type EditFileInput } from './create-edit-file-tool.js';
export { createListFilesTool } from './create-list-files-tool.js';
export { createReadFileTool, type ReadFileInput } from './create-read-file-tool.js';
export { createSearchTool, type SearchInput } from './create-search-tool.js';
export { createShellTool, type ShellToolOptions } from './create-shell-tool.js';
export { createWriteFileTool, type WriteFileInput } from './create-write-file-tool.js';
export { CommandTimeoutError } from './errors/command-timeout-error.js';
export { EditMatchError } from './errors/edit-match-error.js';
export { FileExistsError } from './errors/file-exists-error.js';
export { FileNotFoundError } from './errors/file-not-found-error.js';
export { FileTooLargeError } from './errors/file-too-large-error.js';
export { NotRegularFileError, type SpecialFileKind } from './errors/not-regular-file-error.js';
export { SandboxUnavailableError } from './errors/sandbox-unavailable-error.js';
export { SearchPatternError } from './errors/search-pattern-error.js';
export { WorkspaceEscapeError } from './errors/workspace-escape-error.js';
export { isInsideWorkspace, resolveInWorkspace, toWorkspacePath } from './resolve-in-workspace.js';
export {
  createSandbox,
  defaultSandboxOptions,
  type ProcessLimitMechanism,
  type Sandbox,
  type SandboxOptions,
  type SandboxRunOptions,
} from './sandbox/create-sandbox.js';
export type { CommandResult } from './sandbox/run-process-tree.js';
export {
  defaultSandboxLimits,
  type ResolvedSandboxLimits,
  type SandboxLimits,
} from './sandbox/sandbox-limits.js';
export { createUnifiedDiff, type UnifiedDiffOptions } from './unified-diff.js';
