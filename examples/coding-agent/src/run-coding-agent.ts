import { createCodingTools } from '@reins/coding-tools';
import type { HistoryRun, ModelPriceTable } from '@reins/controller';
import { type AgentEvent, createAgent, type ModelBackend, type RunResult } from '@reins/core';
import { addedRequirement, codingInstructions, codingTask } from './coding-task.js';
import { createCodingController } from './create-coding-controller.js';
import { createScriptedSession, scriptedModelId } from './create-scripted-session.js';
import { createWorkspace } from './create-workspace.js';
import { verifyWorkspace, type WorkspaceVerification } from './verify-workspace.js';

/** Options of {@link runCodingAgent}. */
export interface RunCodingAgentOptions {
  /** The model. @defaultValue the scripted session ({@link createScriptedSession}) */
  readonly backend?: ModelBackend;
  /** Prices per model id for the cost cap. @defaultValue a price for the scripted model */
  readonly prices?: ModelPriceTable;
  /** Past runs to calibrate the turn budget from; a fixed budget of 40 turns without them. */
  readonly history?: readonly HistoryRun[];
  /** Hard cap on model spend, in US dollars. @defaultValue 1 */
  readonly capUsd?: number;
  /** The project to copy into the workspace. @defaultValue the bundled invoice-kit project */
  readonly project?: string;
  /**
   * The turn during which the user adds the negative-amounts requirement (when its first tool
   * result arrives; the loop applies it before the next model call), or `false` for never.
   * @defaultValue 7
   */
  readonly interruptAtTurn?: number | false;
  /** Timeout of one shell command. @defaultValue 30 000 ms */
  readonly commandTimeoutMs?: number;
  /** Receives every event of the run. */
  readonly onEvent?: (event: AgentEvent) => void;
  /** Aborts the run (and any command it is running). */
  readonly signal?: AbortSignal;
}

/** What {@link runCodingAgent} returns. */
export interface CodingAgentResult {
  /** The run's result. */
  readonly result: RunResult;
  /** The temporary workspace the agent worked in. */
  readonly workspace: string;
  /** The independent check of the workspace after the run. */
  readonly verification: WorkspaceVerification;
}

/** Prices of the scripted model, so that the cost cap has something to count. */
export const scriptedPrices: ModelPriceTable = Object.freeze({
  [scriptedModelId]: { inputPerMillion: 2, outputPerMillion: 8 },
});

/**
 * Runs the coding agent on a fresh copy of the project: real tools in a temporary
 * workspace, the calibrated turn budget, the cost cap and the stuck and drift monitors; the
 * user adds a requirement during turn `interruptAtTurn`; finally the workspace is checked by
 * running its tests.
 *
 * @param options - backend, prices, history, interruption, listener, signal.
 * @returns the run's result, the workspace and the verification.
 * @example
 * ```ts
 * const { result, verification } = await runCodingAgent({ onEvent: console.log });
 * if (!verification.testsPass) process.exitCode = 1;
 * ```
 */
export async function runCodingAgent(
  options: RunCodingAgentOptions = {},
): Promise<CodingAgentResult> {
  const workspace = await createWorkspace(options.project);
  const backend = options.backend ?? createScriptedSession();
  const { tools } = await createCodingTools({
    root: workspace,
    ...(options.commandTimeoutMs === undefined
      ? {}
      : { commandTimeoutMs: options.commandTimeoutMs }),
  });
  const agent = createAgent({
    backend,
    tools,
    instructions: codingInstructions,
    controller: createCodingController({
      prices: options.prices ?? scriptedPrices,
      ...(options.history === undefined ? {} : { history: options.history }),
      ...(options.capUsd === undefined ? {} : { capUsd: options.capUsd }),
    }),
  });
  const handle = agent.run(
    codingTask,
    options.signal === undefined ? {} : { signal: options.signal },
  );
  if (options.onEvent !== undefined) handle.on('*', options.onEvent);
  const interruptAtTurn = options.interruptAtTurn ?? 7;
  if (interruptAtTurn !== false) {
    let sent = false;
    handle.on('tool.end', (event) => {
      if (sent || event.turn !== interruptAtTurn) return;
      sent = true;
      handle.interrupt({ kind: 'addition', text: addedRequirement, urgency: 'next-turn' });
    });
  }
  const result = await handle.result;
  const verification = await verifyWorkspace(
    workspace,
    options.signal === undefined ? {} : { signal: options.signal },
  );
  return { result, workspace, verification };
}
