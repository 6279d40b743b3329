/**
 * Budget-and-deadline planning on held-out recorded tasks: SWE-agent runs of two models on
 * SWE-Bench Pro (../shared/data/tool-times/swe-bench-pro-per-task.json), each task run under
 * both. Two folds: every task's choice of model is fitted on the other half. For each cap and
 * deadline (on the runs' summed tool time, the only time the records hold), the Monte Carlo
 * planner is compared with the greedy baseline and the strongest simple policy of that scenario,
 * as success rates with paired 95% bootstrap intervals over tasks. The last line of output is one
 * JSON object.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultPlanningScenarios,
  evaluatePlanning,
  readPlanningTasks,
  summarizePlanning,
  toPlanningLines,
} from '../src/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const file = resolve(repoRoot, '../shared/data/tool-times/swe-bench-pro-per-task.json');
if (!existsSync(file)) {
  console.error(
    `The recorded tool times are missing: ${file}. Put the shared data at ../shared/data.`,
  );
  process.exit(1);
}

const { tasks, actions } = await readPlanningTasks(file);
const started = performance.now();
const evaluation = evaluatePlanning(tasks, actions, {
  scenarios: defaultPlanningScenarios,
  folds: 2,
  seed: 1,
});
const ms = performance.now() - started;
const summary = summarizePlanning(evaluation);
for (const line of toPlanningLines(summary)) console.log(line);
console.log(
  JSON.stringify({
    bench: 'planning',
    data: 'tool-times/swe-bench-pro-per-task.json',
    time: 'summed tool seconds (model latency is not recorded)',
    ...summary,
    ms: Math.round(ms),
  }),
);
