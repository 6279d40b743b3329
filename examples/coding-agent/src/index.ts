/**
 * @module @reins/example-coding-agent
 *
 * A coding agent on Reins: the workspace-confined file tools and sandboxed shell of
 * `@reins/coding-tools`, a controller with a calibrated turn budget, a cost cap and the stuck
 * and drift monitors (`createCodingController`), a scripted session for running without a
 * model (`createScriptedSession`), and `runCodingAgent`, which runs it on a temporary copy of
 * a buggy project and verifies the result by running the project's tests in the same sandbox.
 */

export { addedRequirement, codingInstructions, codingTask } from './coding-task.js';
export { createBackendFromEnv, type LiveModel } from './create-backend-from-env.js';
export {
  type CodingControllerOptions,
  createCodingController,
  defaultCodingControllerOptions,
} from './create-coding-controller.js';
export {
  createScriptedSession,
  scriptedModelId,
  scriptedTestCommand,
} from './create-scripted-session.js';
export { bundledProject, createWorkspace } from './create-workspace.js';
export { readTurnHistory } from './read-turn-history.js';
export {
  type CodingAgentResult,
  type RunCodingAgentOptions,
  runCodingAgent,
  scriptedPrices,
} from './run-coding-agent.js';
export { verifyWorkspace, type WorkspaceVerification } from './verify-workspace.js';
