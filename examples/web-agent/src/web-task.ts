import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InterruptKind } from '@reins/core';
import type { StoreData } from './store-data.js';
import { bestsellers } from './store-queries.js';

/** One InterruptBench-style task: an incomplete first intent, then updates mid-task. */
export interface WebTask {
  /** e.g. `'1update-2'`: the scenario file and the WebArena task id. */
  readonly id: string;
  /** How the updates change the task. */
  readonly kind: Exclude<InterruptKind, 'stop'>;
  /** What the user asks first. */
  readonly initialIntent: string;
  /** What the user says mid-task, in order (sent together, as one burst). */
  readonly updates: readonly string[];
  /** The task as finally meant (the scenario's `intent`). */
  readonly intent: string;
  /** The updates are sent when this many tool results have come back. */
  readonly interruptAfterTools: number;
  /** What the answer must contain, computed from the application's data. */
  expected(data: StoreData): readonly string[];
  /** What the answer must not contain: the answer to the task as first (mis)stated. */
  stale(data: StoreData): readonly string[];
}

/** A scenario of the InterruptBench files (`interrupt_config/raw/*.json`). */
interface Scenario {
  readonly task_id: number;
  readonly intent: string;
  readonly transformed_initial_intent: string;
  readonly updates: readonly string[];
}

/** The scenarios used, by file: which WebArena shopping-admin task, and how to check it. */
const selection = [
  {
    file: '1update',
    taskId: 2,
    kind: 'addition',
    interruptAfterTools: 3,
    expected: (data: StoreData) => [String(reviewsMentioning(data, 'best'))],
    stale: (data: StoreData) => [`${data.reviews.length} reviews`],
  },
  {
    file: '2modification',
    taskId: 0,
    kind: 'revision',
    interruptAfterTools: 5,
    expected: (data: StoreData) => top(data, '2023-01', 3),
    stale: (data: StoreData) => top(data, '2023-02', 5),
  },
  {
    file: '1retraction',
    taskId: 0,
    kind: 'retraction',
    interruptAfterTools: 5,
    expected: (data: StoreData) => top(data, '2023-01', 3),
    stale: (data: StoreData) =>
      top(data, '2023-01', 3, 50).filter((name) => !top(data, '2023-01', 3).includes(name)),
  },
] as const;

function reviewsMentioning(data: StoreData, term: string): number {
  return data.reviews.filter((review) => review.text.toLowerCase().includes(term)).length;
}

function top(data: StoreData, month: string, count: number, minPrice = 0): string[] {
  return bestsellers(data, month)
    .filter((row) => row.price > minPrice)
    .slice(0, count)
    .map((row) => row.name);
}

/**
 * Reads the web agent's tasks from the InterruptBench scenarios in place: an addition (task 2,
 * reviews mentioning a term), a revision (task 0, top-N bestsellers of a month, both numbers
 * corrected) and a retraction (task 0 with a price filter that is dropped).
 *
 * @param interruptBenchDirectory - the `interruptbench` data folder.
 * @returns the tasks, with their checks against the store's data.
 * @throws when a scenario file or task is missing (naming the path).
 * @example
 * ```ts
 * const tasks = await readWebTasks(resolve(repoRoot, '../shared/data/interruptbench'));
 * ```
 */
export async function readWebTasks(interruptBenchDirectory: string): Promise<WebTask[]> {
  const tasks: WebTask[] = [];
  for (const entry of selection) {
    const path = join(interruptBenchDirectory, 'interrupt_config', 'raw', `${entry.file}.json`);
    let scenarios: Scenario[];
    try {
      scenarios = JSON.parse(await readFile(path, 'utf8')) as Scenario[];
    } catch (error) {
      throw new Error(
        `Cannot read the InterruptBench scenarios at ${path}: ${(error as Error).message}. Put the shared data folder next to the repository (../shared/data).`,
        { cause: error },
      );
    }
    const scenario = scenarios.find((each) => each.task_id === entry.taskId);
    if (scenario === undefined) {
      throw new Error(`${path} has no scenario for task ${entry.taskId}.`);
    }
    tasks.push({
      id: `${entry.file}-${entry.taskId}`,
      kind: entry.kind,
      initialIntent: scenario.transformed_initial_intent,
      updates: scenario.updates,
      intent: scenario.intent,
      interruptAfterTools: entry.interruptAfterTools,
      expected: entry.expected,
      stale: entry.stale,
    });
  }
  return tasks;
}
