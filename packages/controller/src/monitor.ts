import type { ControllerEventName, Evidence, RunView } from '@reins/core';
import type { ObservedTurn } from './turn-record.js';

/** What a monitor found, with the numbers it saw. The intervention policy decides what to do. */
export interface Finding {
  /** The monitor that found it, e.g. `'stuck'`. */
  readonly monitor: string;
  /** The family of problem, which selects the escalation ladder. */
  readonly category: 'stuck' | 'drift' | 'overthinking' | 'predicted-failure' | (string & {});
  /** The precise pattern, e.g. `'repeating-action-observation'`, `'analysis-paralysis'`. */
  readonly pattern: string;
  /** The dotted event this finding is reported as, e.g. `'stuck.detected'`. */
  readonly event: ControllerEventName;
  /** A sentence for people and logs. */
  readonly message: string;
  /** The turn on which it was found. */
  readonly turn: number;
  /** The repeated or offending action (first 200 characters), when there is one. */
  readonly action?: string;
  readonly evidence: Evidence;
}

/** What a monitor session learns when a run opens or resumes. */
export interface MonitorOpenContext {
  readonly runId: string;
  readonly task: string;
  /** This monitor's part of the last snapshot, when the run is resumed. */
  readonly state?: unknown;
}

/**
 * One run's monitor: it sees each completed turn once, keeps a bounded window of its own and
 * reports findings. It never reads the whole history.
 */
export interface MonitorSession {
  /** Called once per completed turn, in order. */
  observe(turn: ObservedTurn, view: RunView): readonly Finding[] | undefined;
  /** The session's state as JSON, restored through {@link MonitorOpenContext.state}. */
  snapshot(): unknown;
}

/**
 * A monitor: configuration, from which each run opens a session.
 *
 * @example
 * ```ts
 * const longAnswers: Monitor = {
 *   name: 'long-answers',
 *   open: () => ({
 *     observe: (turn) => turn.output.length > 10_000
 *       ? [{ monitor: 'long-answers', category: 'overthinking', pattern: 'long-answer',
 *            event: 'overthinking.detected', message: 'A very long answer.', turn: turn.record.turn,
 *            evidence: { length: turn.output.length } }]
 *       : undefined,
 *     snapshot: () => null,
 *   }),
 * };
 * ```
 */
export interface Monitor {
  readonly name: string;
  open(context: MonitorOpenContext): MonitorSession;
}
