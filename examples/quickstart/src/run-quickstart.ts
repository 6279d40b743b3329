import { type AgentEvent, createAgent, type ModelBackend, type RunResult } from '@reins/core';
import { createBuggyProject, quickstartTask } from './buggy-project.js';
import { createProjectTools } from './project-tools.js';
import { createQuickstartScript } from './scripted-model.js';

/** Options of {@link runQuickstart}. */
export interface QuickstartOptions {
  /** The model; the built-in script when absent. */
  readonly backend?: ModelBackend;
  /** Receives every event as the run goes. */
  readonly onEvent?: (event: AgentEvent) => void;
}

/** Runs the quickstart agent on a fresh buggy project; resolves with the result and the folder. */
export async function runQuickstart(
  options: QuickstartOptions = {},
): Promise<{ result: RunResult; root: string }> {
  const root = await createBuggyProject();
  const agent = createAgent({
    backend: options.backend ?? createQuickstartScript(),
    tools: createProjectTools(root),
    instructions:
      'You are a careful coding agent. Use the tools to inspect, change and test the project.',
  });
  const handle = agent.run(quickstartTask);
  if (options.onEvent !== undefined) handle.on('*', options.onEvent);
  return { result: await handle.result, root };
}
