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
import { evaluatePlanning, readPlanningTasks } from '../src/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const file = resolve(
  process.env.REINS_TOOL_TIMES ?? resolve(repoRoot, '../shared/data/tool-times'),
  'swe-bench-pro-per-task.json',
);
if (!existsSync(file)) {
  console.error(
    `The recorded tool times are missing: ${file}. Put the shared data at ../shared/data.`,
  );
  process.exit(1);
}

const { tasks, actions } = await readPlanningTasks(file);
const scenarios = [1, 4, 8, 16, 32].flatMap((capUsd) =>
  [60, 300, 1800].map((deadlineSeconds) => ({ capUsd, deadlineSeconds })),
);
const started = performance.now();
const evaluation = evaluatePlanning(tasks, actions, { scenarios, folds: 2, seed: 1 });
const ms = performance.now() - started;

const round = (value: number) => Math.round(value * 1000) / 1000;
const interval = (value: { estimate: number; low: number; high: number }) => [
  round(value.estimate),
  round(value.low),
  round(value.high),
];
const rows = evaluation.scenarios.map((scenario) => ({
  capUsd: scenario.capUsd,
  deadlineSeconds: scenario.deadlineSeconds,
  planning: interval(scenario.policies.planning?.successRate ?? { estimate: 0, low: 0, high: 0 }),
  greedy: interval(scenario.policies.greedy?.successRate ?? { estimate: 0, low: 0, high: 0 }),
  strongestSimple: scenario.strongestSimple,
  simple: interval(
    scenario.policies[scenario.strongestSimple]?.successRate ?? { estimate: 0, low: 0, high: 0 },
  ),
  hindsight: round(scenario.policies.hindsight?.successRate.estimate ?? 0),
  planningMinusGreedy: interval(scenario.planningMinusGreedy),
  planningMinusSimple: interval(scenario.planningMinusStrongestSimple),
  spendRatioToGreedy: round(scenario.spendRatioToGreedy),
  planningChoices: scenario.policies.planning?.choices,
  greedyChoices: scenario.policies.greedy?.choices,
}));
for (const row of rows)
  console.log(
    `cap $${row.capUsd} deadline ${row.deadlineSeconds}s: planning ${row.planning[0]} [${row.planning[1]}, ${row.planning[2]}], greedy ${row.greedy[0]}, ${row.strongestSimple} ${row.simple[0]}; planning − greedy ${row.planningMinusGreedy[0]} [${row.planningMinusGreedy[1]}, ${row.planningMinusGreedy[2]}], planning − simple ${row.planningMinusSimple[0]} [${row.planningMinusSimple[1]}, ${row.planningMinusSimple[2]}]`,
  );
const better = (row: (typeof rows)[number], key: 'planningMinusGreedy' | 'planningMinusSimple') =>
  (row[key][1] as number) > 0;
const worse = (row: (typeof rows)[number], key: 'planningMinusGreedy' | 'planningMinusSimple') =>
  (row[key][2] as number) < 0;
console.log(
  JSON.stringify({
    bench: 'planning',
    data: 'tool-times/swe-bench-pro-per-task.json',
    tasks: evaluation.tasks,
    actions: evaluation.actions,
    folds: evaluation.folds,
    time: 'summed tool seconds (model latency is not recorded)',
    scenarios: rows,
    summary: {
      scenarios: rows.length,
      planningAboveGreedy: rows.filter((row) => better(row, 'planningMinusGreedy')).length,
      planningBelowGreedy: rows.filter((row) => worse(row, 'planningMinusGreedy')).length,
      planningAboveSimple: rows.filter((row) => better(row, 'planningMinusSimple')).length,
      planningBelowSimple: rows.filter((row) => worse(row, 'planningMinusSimple')).length,
      simpleAheadByEstimate: rows.filter((row) => (row.planningMinusSimple[0] as number) < 0)
        .length,
    },
    ms: Math.round(ms),
  }),
);
