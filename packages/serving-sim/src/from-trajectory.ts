import { toToolKey } from '@reins/controller';
import type { Trajectory } from '@reins/trajectories';
import type { ProgramTemplate, WorkloadTurn } from './workload.js';

/** Options of {@link fromTrajectory}. */
export interface FromTrajectoryOptions {
  /**
   * Model latency subtracted from the gap between two calls' `startedAt` to leave the tool
   * pause: `latencyBaseMs + outputTokens × latencyMsPerOutputToken`. The defaults are the lower
   * envelope of the recorded mini-swe-agent gaps against completion tokens (about 1.5 s plus
   * 8 ms per token).
   * @defaultValue 1500
   */
  readonly latencyBaseMs?: number;
  /** @defaultValue 8 */
  readonly latencyMsPerOutputToken?: number;
  /**
   * Longest context kept per call; longer prompts are cut to it (Llama-3.1's context is 128k).
   * @defaultValue 131 072
   */
  readonly maxContextTokens?: number;
  /**
   * Longest output per call (recorded completion counts include reasoning).
   * @defaultValue 4096
   */
  readonly maxOutputTokens?: number;
}

/** The documented defaults of {@link fromTrajectory}. */
export const defaultFromTrajectoryOptions = {
  latencyBaseMs: 1500,
  latencyMsPerOutputToken: 8,
  maxContextTokens: 131_072,
  maxOutputTokens: 4096,
} as const satisfies Required<FromTrajectoryOptions>;

/**
 * Turns a recorded run into a program template: per call its prompt and output tokens, the tool
 * key of its action, and the pause before the next call (the gap between the calls' start times
 * minus an estimate of the model's latency, at least 0). Calls without usage or times are
 * skipped; a run with fewer than two timed calls gives `undefined`.
 *
 * @param trajectory - an imported run (e.g. mini-swe-agent, whose calls carry `created`).
 * @param options - latency model and limits.
 * @returns the template, or `undefined` when the run lacks usage or times.
 * @example
 * ```ts
 * const { trajectories } = await importTrajectoryDirectory(dir);
 * const templates = trajectories.map((t) => fromTrajectory(t)).filter((t) => t !== undefined);
 * ```
 */
export function fromTrajectory(
  trajectory: Trajectory,
  options: FromTrajectoryOptions = {},
): ProgramTemplate | undefined {
  const settings = { ...defaultFromTrajectoryOptions, ...options };
  const timed = trajectory.turns.filter(
    (turn) =>
      turn.usage !== undefined && turn.startedAt !== undefined && turn.usage.inputTokens > 0,
  );
  if (timed.length < 2) return undefined;
  const turns: WorkloadTurn[] = timed.map((turn, index) => {
    const usage = turn.usage as NonNullable<typeof turn.usage>;
    const outputTokens = Math.max(1, Math.min(settings.maxOutputTokens, usage.outputTokens));
    const promptTokens = Math.min(settings.maxContextTokens - outputTokens, usage.inputTokens);
    const next = timed[index + 1];
    const gapMs = next === undefined ? 0 : (next.startedAt as number) - (turn.startedAt as number);
    const latencyMs = settings.latencyBaseMs + outputTokens * settings.latencyMsPerOutputToken;
    const action = turn.actions[0];
    return {
      promptTokens,
      outputTokens,
      pauseMs: next === undefined ? 0 : Math.max(0, gapMs - latencyMs),
      ...(action === undefined ? {} : { toolKey: toToolKey(action.name, action.arguments) }),
    };
  });
  return { id: trajectory.id, turns };
}
