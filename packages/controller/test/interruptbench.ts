/**
 * A loader for the InterruptBench scenarios under ../shared/data/interruptbench (read in place):
 * six files of 165 WebArena-Lite tasks, each a deliberately wrong or incomplete initial intent
 * plus the user's updates. The file name gives the kind of every update (`update` = addition,
 * `modification` = revision, `retraction` = retraction); `3mixed` types each one in
 * `updates_type`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dataRoot, requireData } from './mini-swe-agent.js';

export const interruptBenchRoot = path.join(dataRoot, 'interruptbench/interrupt_config/raw');

export type UpdateKind = 'addition' | 'revision' | 'retraction';

export interface InterruptBenchScenario {
  readonly file: string;
  readonly taskId: number;
  /** The intent the run starts from (wrong or incomplete on purpose). */
  readonly initialIntent: string;
  /** The task the user really wants, once every update is applied. */
  readonly intendedIntent: string;
  readonly updates: readonly { readonly kind: UpdateKind; readonly text: string }[];
}

interface RawScenario {
  readonly task_id: number;
  readonly intent: string;
  readonly transformed_initial_intent: string;
  readonly updates: readonly string[];
  readonly updates_type?: readonly string[];
}

const kindByWord: Readonly<Record<string, UpdateKind>> = {
  update: 'addition',
  addition: 'addition',
  modification: 'revision',
  revision: 'revision',
  retraction: 'retraction',
};

function kindOf(word: string, where: string): UpdateKind {
  const kind = kindByWord[word];
  if (kind === undefined) {
    throw new Error(
      `Unknown update type '${word}' in ${where}; expected one of ${Object.keys(kindByWord).join(', ')}.`,
    );
  }
  return kind;
}

/** Every scenario of every file, in file order. Throws naming the folder when it is missing. */
export function loadInterruptBench(): InterruptBenchScenario[] {
  const root = requireData(interruptBenchRoot);
  const files = readdirSync(root)
    .filter((name) => name.endsWith('.json'))
    .sort();
  const scenarios: InterruptBenchScenario[] = [];
  for (const file of files) {
    const raw = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as RawScenario[];
    const fileWord = /^\d+([a-z]+)\.json$/.exec(file)?.[1] ?? '';
    for (const entry of raw) {
      const where = `${file} task ${entry.task_id}`;
      scenarios.push({
        file,
        taskId: entry.task_id,
        initialIntent: entry.transformed_initial_intent,
        intendedIntent: entry.intent,
        updates: entry.updates.map((text, index) => ({
          kind: kindOf(entry.updates_type?.[index] ?? fileWord, where),
          text,
        })),
      });
    }
  }
  return scenarios;
}

/**
 * The actions after which each update arrives, for a run of `actions` actions interrupted first
 * at `percent` of them: single and paired updates arrive together (the benchmark's `append`
 * mode sends them as one update); chained updates (`3mixed`) follow the benchmark's
 * multi-interrupt rule, each at the midpoint of what is left after the previous one.
 */
export function interruptPoints(
  scenario: InterruptBenchScenario,
  actions: number,
  percent: number,
): number[] {
  const first = Math.round((actions * percent) / 100);
  if (!scenario.file.startsWith('3')) return scenario.updates.map(() => first);
  const points = [first];
  while (points.length < scenario.updates.length) {
    const previous = points.at(-1) as number;
    points.push(previous + Math.floor((actions - previous) / 2));
  }
  return points;
}
