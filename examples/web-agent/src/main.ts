/**
 * The web agent: runs each InterruptBench-style task on the store admin in headless Chromium,
 * interrupting it with the user's updates, and checks every answer against the store's data.
 *
 * `pnpm example web-agent` plays the scripted shopper; with `REINS_MODEL` (and
 * `OPENAI_BASE_URL`, `OPENAI_API_KEY`, `REINS_FLAVOR`) set it runs on that model.
 * `pnpm example web-agent --playwright-mcp` drives the browser through the Playwright MCP
 * server's tools instead of the built-in ones.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentEvent } from '@reins/core';
import { createOpenAICompatibleFromEnvironment } from '@reins/openai';
import { connectPlaywrightMcp } from './connect-playwright-mcp.js';
import { createScriptedShopper } from './create-scripted-shopper.js';
import { launchChromium } from './launch-chromium.js';
import { runWebTask } from './run-web-task.js';
import { readWebTasks } from './web-task.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const tasks = await readWebTasks(resolve(repoRoot, '../shared/data/interruptbench'));
const live = createOpenAICompatibleFromEnvironment();
const usePlaywrightMcp = process.argv.includes('--playwright-mcp');
console.log(live === undefined ? 'model: scripted shopper' : `model: ${live.modelId}`);
console.log(`browser tools: ${usePlaywrightMcp ? 'the Playwright MCP server' : 'built-in'}`);

function print(event: AgentEvent): void {
  if (event.type === 'tool.start') console.log(`  → ${event.call.name} ${event.call.arguments}`);
  else if (event.type === 'tool.end' && event.result.status !== 'ok')
    console.log(`  ← ${event.result.status}: ${JSON.stringify(event.result)}`);
  else if (event.type === 'interrupt.applied')
    console.log(`  user (${event.interrupt.kind}): ${event.interrupt.text}`);
}

const tools = usePlaywrightMcp
  ? { playwrightMcp: await connectPlaywrightMcp() }
  : { browser: await launchChromium() };
let failures = 0;
try {
  for (const task of tasks) {
    console.log(`\n${task.id} (${task.kind}): ${task.initialIntent}`);
    const outcome = await runWebTask({
      task,
      ...tools,
      onEvent: print,
      backend:
        live ?? createScriptedShopper({ tools: usePlaywrightMcp ? 'playwright-mcp' : 'built-in' }),
    });
    console.log(`  answer: ${outcome.answer || `(none: run ${outcome.result.status})`}`);
    console.log(
      `  ${outcome.passed ? 'correct' : 'WRONG'}: expected ${outcome.expected.join(', ')}${outcome.stale.length > 0 ? `; not ${outcome.stale.join(', ')}` : ''}`,
    );
    if (!outcome.passed) failures += 1;
  }
} finally {
  await ('browser' in tools ? tools.browser.close() : tools.playwrightMcp.close());
}
console.log(`\n${tasks.length - failures} of ${tasks.length} tasks answered correctly`);
process.exitCode = failures === 0 ? 0 : 1;
