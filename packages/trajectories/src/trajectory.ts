import { usageSchema } from '@reins/core';
import { z } from 'zod';

/** The version of the {@link trajectorySchema} this package writes and reads. */
export const trajectoryVersion = 1;

/** The formats a trajectory can come from. */
export const trajectorySourceFormatSchema = z.enum([
  'reins',
  'mini-swe-agent',
  'swe-agent',
  'tau-bench',
  'openai-messages',
]);
/** The format a trajectory was imported from; see {@link trajectorySourceFormatSchema}. */
export type TrajectorySourceFormat = z.infer<typeof trajectorySourceFormatSchema>;

/**
 * What the environment answered to one action: its output, and for shell commands the exit code
 * when the recording carries it.
 */
export const actionResultSchema = z.object({
  status: z.enum(['ok', 'error', 'cancelled']),
  /** The text the agent read. */
  output: z.string(),
  /** Exit code of a shell command (`<returncode>` in mini-swe-agent observations). */
  exitCode: z.number().int().optional(),
});
/** What the environment answered to one action; see {@link actionResultSchema}. */
export type ActionResult = z.infer<typeof actionResultSchema>;

/**
 * One action (tool call) of a turn. `arguments` is JSON text, as a model produces it; shell
 * agents that write commands in their text (mini-swe-agent, SWE-agent 0.x) are recorded as a
 * `bash` call with `{"command": …}`.
 */
export const trajectoryActionSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  /** Absent when the recording ends before the action was answered. */
  result: actionResultSchema.optional(),
});
/** One action of a turn; see {@link trajectoryActionSchema}. */
export type TrajectoryAction = z.infer<typeof trajectoryActionSchema>;

/**
 * One model call and what followed it: the text, reasoning and actions the model produced, the
 * environment's answers, and messages that reached the agent before its next call without being
 * an action's result (a simulated user's reply, a format error).
 */
export const trajectoryTurnSchema = z.object({
  /** 1-based number of the model call. */
  index: z.number().int().positive(),
  text: z.string(),
  reasoning: z.string().optional(),
  actions: z.array(trajectoryActionSchema),
  /** Messages the agent received after this turn that answer no action. */
  feedback: z.array(z.string()).optional(),
  /** Usage of this call. */
  usage: usageSchema.optional(),
  /** Set when `usage` was apportioned from run totals, not recorded per call. */
  usageEstimated: z.boolean().optional(),
  /** When the call was made, in milliseconds since the epoch. */
  startedAt: z.number().optional(),
  finishReason: z.string().optional(),
});
/** One model call and what followed it; see {@link trajectoryTurnSchema}. */
export type TrajectoryTurn = z.infer<typeof trajectoryTurnSchema>;

/** How the run ended, as far as the recording tells. */
export const trajectoryOutcomeSchema = z.object({
  /** Whether the task was solved (a SWE-bench verdict, a reward of 1); absent when unknown. */
  resolved: z.boolean().optional(),
  /** The benchmark's reward, when it has one. */
  reward: z.number().optional(),
  /** The agent's own exit status, e.g. `'Submitted'` or `'exit_cost'`. */
  exitStatus: z.string().optional(),
});
/** How the run ended; see {@link trajectoryOutcomeSchema}. */
export type TrajectoryOutcome = z.infer<typeof trajectoryOutcomeSchema>;

/**
 * One recorded agent run, in Reins' format (version 1): the task, every model turn with its
 * actions, observations, usage and time, the outcome, and where it came from.
 *
 * @example
 * ```ts
 * const trajectory = trajectorySchema.parse(JSON.parse(text));
 * console.log(trajectory.turns.length, trajectory.outcome.resolved);
 * ```
 */
export const trajectorySchema = z.object({
  format: z.literal('reins.trajectory'),
  version: z.literal(trajectoryVersion),
  /** Unique within a data set, e.g. the SWE-bench instance id (plus the run's folder). */
  id: z.string().min(1),
  /** The task as the agent received it. */
  task: z.string(),
  /** System instructions, when recorded. */
  system: z.string().optional(),
  /** The model that made the turns. */
  model: z.object({ provider: z.string().optional(), modelId: z.string() }).optional(),
  turns: z.array(trajectoryTurnSchema),
  outcome: trajectoryOutcomeSchema,
  /** Totals the recording states for the whole run (e.g. `info.model_stats`). */
  totals: z
    .object({
      costUsd: z.number().nonnegative().optional(),
      inputTokens: z.number().int().nonnegative().optional(),
      outputTokens: z.number().int().nonnegative().optional(),
      modelCalls: z.number().int().nonnegative().optional(),
    })
    .optional(),
  source: z.object({
    format: trajectorySourceFormatSchema,
    /** The format's own version, e.g. `'mini-swe-agent-1'` or `'swe-agent-0.x'`. */
    formatVersion: z.string().optional(),
    /** The file it was read from. */
    file: z.string().optional(),
    /** The record's position in the file, for files holding several runs. */
    index: z.number().int().nonnegative().optional(),
  }),
  /** Anything else worth keeping (benchmark task ids, trial numbers). */
  metadata: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .optional(),
});
/** One recorded agent run; see {@link trajectorySchema}. */
export type Trajectory = z.infer<typeof trajectorySchema>;

/**
 * The cost of a trajectory in US dollars: the sum over its turns, or the recorded total when no
 * turn carries usage.
 * @example
 * ```ts
 * const spent = trajectoryCost(trajectory);
 * ```
 */
export function trajectoryCost(trajectory: Trajectory): number {
  let sum = 0;
  let counted = false;
  for (const turn of trajectory.turns) {
    if (turn.usage !== undefined) {
      sum += turn.usage.costUsd;
      counted = true;
    }
  }
  return counted ? sum : (trajectory.totals?.costUsd ?? 0);
}
