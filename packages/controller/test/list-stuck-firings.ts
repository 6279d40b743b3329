/**
 * Prints the stuck monitor's firings on the recorded mini-swe-agent runs, one per line:
 *   pnpm exec tsx --conditions=@reins/source test/list-stuck-firings.ts
 */
import { createController } from '../src/create-controller.js';
import { createInterventionPolicy } from '../src/intervention-policy.js';
import { createStuckMonitor } from '../src/stuck-monitor.js';
import { loadMiniSweAgentRuns } from './mini-swe-agent.js';
import { replay } from './replay.js';

const controller = createController({
  monitors: [createStuckMonitor()],
  interventions: createInterventionPolicy({ escalation: {} }),
  hints: false,
});
const runs = loadMiniSweAgentRuns();
let count = 0;
for (const run of runs) {
  for (const event of replay(controller, run.records, { runId: run.id, modelId: run.model })
    .events) {
    if (event.name !== 'stuck.detected') continue;
    count += 1;
    const action =
      typeof event.evidence.action === 'string' ? event.evidence.action.split('\n')[0] : '';
    process.stdout.write(
      `| ${run.id} | ${event.evidence.turn} | ${event.evidence.pattern} | ${action ? `\`${action.replaceAll('|', '\\|')}\`` : '—'} |\n`,
    );
  }
}
process.stdout.write(`${count} firings on ${runs.length} runs\n`);
