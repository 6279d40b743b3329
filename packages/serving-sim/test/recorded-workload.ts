/**
 * Loads program templates from the recorded mini-swe-agent runs under ../shared/data (read in
 * place), and splits them into runs that seed predictors and runs that form the workload.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToolDurationSample } from '@reins/controller';
import { importTrajectoryDirectory, type Trajectory } from '@reins/trajectories';
import type { HostedCall } from '../src/compare-hosted-cache-ttl.js';
import { fromTrajectory } from '../src/from-trajectory.js';
import type { ProgramTemplate } from '../src/workload.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const dataRoot = path.resolve(repoRoot, '../shared/data');
export const miniSweAgentTrajs = path.join(
  dataRoot,
  'swe-trajectories/mini-swe-agent-gemini-3-pro/trajs',
);

/** Returns the path, or throws naming it when the recorded data is missing. */
export function requireData(location: string): string {
  if (!existsSync(location)) {
    throw new Error(
      `Recorded data not found at ${location}. The serving simulator reads the shared data set in place: place it at ${dataRoot} (next to the repository).`,
    );
  }
  return location;
}

export interface RecordedWorkload {
  readonly trajectories: readonly Trajectory[];
  /** Templates of the even-numbered runs: the workload. */
  readonly templates: readonly ProgramTemplate[];
  /** Tool durations of the odd-numbered runs: what a predictor is seeded with. */
  readonly seedSamples: readonly ToolDurationSample[];
  readonly seedTemplates: readonly ProgramTemplate[];
}

/** Every recorded mini-swe-agent run, as templates split in two halves. */
export async function loadRecordedWorkload(): Promise<RecordedWorkload> {
  const { trajectories } = await importTrajectoryDirectory(requireData(miniSweAgentTrajs));
  const all = trajectories
    .map((trajectory) => fromTrajectory(trajectory))
    .filter((template): template is ProgramTemplate => template !== undefined);
  const templates = all.filter((_, index) => index % 2 === 0);
  const seedTemplates = all.filter((_, index) => index % 2 === 1);
  return { trajectories, templates, seedTemplates, seedSamples: toSamples(seedTemplates) };
}

/** The tool durations of templates, each with the key of the tool before it. */
export function toSamples(templates: readonly ProgramTemplate[]): ToolDurationSample[] {
  const samples: ToolDurationSample[] = [];
  for (const template of templates) {
    template.turns.forEach((turn, index) => {
      if (turn.toolKey === undefined || index === template.turns.length - 1) return;
      const previousKey = index > 0 ? template.turns[index - 1]?.toolKey : undefined;
      samples.push({
        key: turn.toolKey,
        durationMs: turn.pauseMs,
        ...(previousKey === undefined ? {} : { previousKey }),
      });
    });
  }
  return samples;
}

/** Each run's calls with their real gaps (start to next start), for hosted pricing. */
export function toHostedRuns(trajectories: readonly Trajectory[]): HostedCall[][] {
  const runs: HostedCall[][] = [];
  for (const trajectory of trajectories) {
    const template = fromTrajectory(trajectory);
    if (template === undefined) continue;
    const timed = trajectory.turns.filter(
      (turn) =>
        turn.usage !== undefined && turn.startedAt !== undefined && turn.usage.inputTokens > 0,
    );
    runs.push(
      template.turns.map((turn, index) => {
        const next = timed[index + 1];
        const gapMs =
          next === undefined
            ? 0
            : (next.startedAt as number) -
              ((timed[index] as (typeof timed)[number]).startedAt as number);
        return {
          promptTokens:
            (timed[index] as (typeof timed)[number]).usage?.inputTokens ?? turn.promptTokens,
          gapMs,
          ...(turn.toolKey === undefined ? {} : { toolKey: turn.toolKey }),
        };
      }),
    );
  }
  return runs;
}
