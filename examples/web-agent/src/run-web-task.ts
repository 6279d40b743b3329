import {
  type AgentEvent,
  createAgent,
  InvalidOptionsError,
  type ModelBackend,
  type RunResult,
} from '@reins/core';
import type { McpServerConnection } from '@reins/mcp';
import type { Browser } from 'playwright-core';
import { createBrowserTools } from './create-browser-tools.js';
import { createScriptedShopper } from './create-scripted-shopper.js';
import { startStoreApp } from './start-store-app.js';
import { webInstructions } from './web-instructions.js';
import type { WebTask } from './web-task.js';

/** Options of {@link runWebTask}. */
export interface RunWebTaskOptions {
  /** The task, with its updates and checks. */
  readonly task: WebTask;
  /**
   * A launched browser (see `launchChromium`) driven by the built-in browser tools; a fresh
   * context is used for the task. Give this or `playwrightMcp`.
   */
  readonly browser?: Browser;
  /**
   * The Playwright MCP server (see `connectPlaywrightMcp`), whose tools replace the built-in
   * ones. Give this or `browser`.
   */
  readonly playwrightMcp?: McpServerConnection;
  /**
   * The model. @defaultValue a new scripted shopper ({@link createScriptedShopper}) calling the
   * tools in use
   */
  readonly backend?: ModelBackend;
  /** Receives every event of the run. */
  readonly onEvent?: (event: AgentEvent) => void;
  /** Aborts the run. */
  readonly signal?: AbortSignal;
}

/** What {@link runWebTask} returns. */
export interface WebTaskResult {
  readonly result: RunResult;
  /** The final answer ('' when the run ended without one). */
  readonly answer: string;
  /** What the answer had to contain, from the application's data. */
  readonly expected: readonly string[];
  /** What it must not contain: the answer to the task as first stated. */
  readonly stale: readonly string[];
  /** Whether the run finished with an answer containing every expected value and no stale one. */
  readonly passed: boolean;
}

/**
 * Runs one task: starts a fresh store admin on loopback, opens a page in `browser`, runs the
 * agent on the first (incomplete) intent, sends the user's updates as interruptions once
 * `task.interruptAfterTools` tool results have come back, and checks the final answer
 * against the store's data.
 *
 * @param options - task, browser, backend, listener, signal.
 * @returns the run's result, the answer and the verdict.
 * @example
 * ```ts
 * const browser = await launchChromium();
 * for (const task of await readWebTasks(dir)) console.log((await runWebTask({ task, browser })).passed);
 * ```
 */
export async function runWebTask(options: RunWebTaskOptions): Promise<WebTaskResult> {
  const { task, browser, playwrightMcp } = options;
  if ((browser === undefined) === (playwrightMcp === undefined)) {
    throw new InvalidOptionsError(
      'browser',
      'runWebTask() needs exactly one of browser (the built-in tools on launchChromium()) and playwrightMcp (connectPlaywrightMcp()).',
    );
  }
  const app = await startStoreApp();
  const context = await browser?.newContext();
  try {
    const instructions = `${webInstructions}\nThe store admin is at ${app.url}/admin.`;
    const agent = createAgent({
      backend:
        options.backend ??
        createScriptedShopper({
          tools: playwrightMcp === undefined ? 'built-in' : 'playwright-mcp',
        }),
      ...(context === undefined
        ? { toolSources: [playwrightMcp as McpServerConnection] }
        : { tools: createBrowserTools({ page: await context.newPage(), baseURL: app.url }) }),
      instructions,
      parallelToolCalls: false,
    });
    const handle = agent.run(
      task.initialIntent,
      options.signal === undefined ? {} : { signal: options.signal },
    );
    if (options.onEvent !== undefined) handle.on('*', options.onEvent);
    let toolResults = 0;
    handle.on('tool.end', () => {
      toolResults += 1;
      if (toolResults !== task.interruptAfterTools) return;
      for (const update of task.updates) handle.interrupt({ kind: task.kind, text: update });
    });
    const result = await handle.result;
    const answer = result.status === 'done' ? (result.output ?? '') : '';
    const expected = task.expected(app.data);
    const stale = task.stale(app.data);
    const passed =
      answer !== '' &&
      expected.every((value) => answer.includes(value)) &&
      stale.every((value) => !answer.includes(value));
    return { result, answer, expected, stale, passed };
  } finally {
    await context?.close();
    await app.close();
  }
}
