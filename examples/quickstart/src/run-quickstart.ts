import {
  createController,
  createInterruptionPolicy,
  createStuckMonitor,
  createTurnBudget,
} from '@reins/controller';
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

/** What the user says while the agent works: sent when the agent starts editing a file. */
export const quickstartInterruption = 'Do not change test.js; fix the code it tests.';

/**
 * The quickstart's controller: a budget of 12 turns that reminds the model of the turns left
 * from 5 left on, the stuck-loop monitor (its finding becomes a warning to the model, then a
 * compaction, then a stop), and the interruption policy, which tells the model of the user's
 * update in words it trusts.
 */
export function createQuickstartController() {
  return createController({
    budget: createTurnBudget({ mode: 'fixed', limit: 12, reminder: { whenLeft: 5 } }),
    monitors: [createStuckMonitor()],
    interruptions: createInterruptionPolicy(),
  });
}

/**
 * Runs the quickstart agent on a fresh buggy project, with the quickstart controller, and
 * interrupts it once mid-run; resolves with the result and the folder.
 */
export async function runQuickstart(
  options: QuickstartOptions = {},
): Promise<{ result: RunResult; root: string }> {
  const root = await createBuggyProject();
  const agent = createAgent({
    backend: options.backend ?? createQuickstartScript(),
    tools: createProjectTools(root),
    controller: createQuickstartController(),
    instructions:
      'You are a careful coding agent. Use the tools to inspect, change and test the project.',
  });
  const handle = agent.run(quickstartTask);
  if (options.onEvent !== undefined) handle.on('*', options.onEvent);
  let interrupted = false;
  handle.on('tool.start', (event) => {
    if (interrupted || event.call.name !== 'edit_file') return;
    interrupted = true;
    handle.interrupt({ kind: 'addition', text: quickstartInterruption });
  });
  return { result: await handle.result, root };
}
