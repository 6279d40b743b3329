/**
 * @module @reins/example-coding-agent
 *
 * A coding agent on Reins: workspace-confined file and shell tools (`createCodingTools`), a
 * controller with a calibrated turn budget, a cost cap and the stuck and drift monitors
 * (`createCodingController`), a scripted session for running without a model
 * (`createScriptedSession`), and `runCodingAgent`, which runs it on a temporary copy of a
 * buggy project and verifies the result by running the project's tests.
 */

export { checkCommand } from './check-command.js';
export { addedRequirement, codingInstructions, codingTask } from './coding-task.js';
export { CommandRefusedError } from './command-refused-error.js';
export { CommandTimeoutError } from './command-timeout-error.js';
export { createBackendFromEnv, type LiveModel } from './create-backend-from-env.js';
export {
  type CodingControllerOptions,
  createCodingController,
  defaultCodingControllerOptions,
} from './create-coding-controller.js';
export {
  type CodingToolsOptions,
  createCodingTools,
  defaultCodingToolsOptions,
} from './create-coding-tools.js';
export {
  createScriptedSession,
  scriptedModelId,
  scriptedTestCommand,
} from './create-scripted-session.js';
export { bundledProject, createWorkspace } from './create-workspace.js';
export { EditMatchError } from './edit-match-error.js';
export { readTurnHistory } from './read-turn-history.js';
export { resolveInWorkspace, toWorkspacePath } from './resolve-in-workspace.js';
export {
  type CodingAgentResult,
  type RunCodingAgentOptions,
  runCodingAgent,
  scriptedPrices,
} from './run-coding-agent.js';
export {
  type CommandResult,
  defaultRunCommandOptions,
  type RunCommandOptions,
  runCommand,
} from './run-command.js';
export { verifyWorkspace, type WorkspaceVerification } from './verify-workspace.js';
export { WorkspaceEscapeError } from './workspace-escape-error.js';
