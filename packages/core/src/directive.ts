import type { ModelCallSettings } from './model-backend.js';
import type { ToolSpec } from './tool.js';

/** Numbers a decision was based on: which policy decided, and what it saw. */
export type Evidence = Readonly<Record<string, string | number | boolean | null>>;

/** Why a run ended in `stopped`. Controllers may use their own reasons as well. */
export type StopReason =
  | 'turn-budget'
  | 'token-budget'
  | 'cost-budget'
  | 'deadline'
  | 'stuck'
  | 'drift'
  | 'predicted-failure'
  | 'user-stop'
  | 'user-answer-now'
  | (string & {});

/**
 * A controller's decision, as plain serialisable data. The loop applies directives in order
 * and emits one event for each.
 *
 * - `inject`: add a message. `ephemeral: true` appends it at the end of the next request only,
 *   never to the stored history (keeps the cached prompt prefix); otherwise it is appended to
 *   history.
 * - `stop`: end the run as `stopped`. With `finalAnswer: 'force'` the loop first makes one
 *   more model call, without tools, to get an answer from what is known; `answerMaxTokens`
 *   caps that answer (its `maxTokens`), against reasoning leaking into it. With
 *   `endAs: 'done'` (the task is complete, e.g. a budget's `isDone`) the run ends `done`, its
 *   output the forced answer or else the last assistant text.
 * - `cancel`: end the run as `cancelled` (the task was dropped).
 * - `pause`: pause at this decision point, until `resume()`.
 * - `grant-turns`: record turns granted by a budget (the controller enforces its own budget;
 *   the loop emits `budget.extended`).
 * - `model-settings`: settings for the next model call only (e.g. `toolChoice: 'none'`).
 * - `offer-tools`: tools the controller answers itself (e.g. `request_extension`), offered to
 *   the model on the next call and answered through `beforeTool` with `resolve`.
 * - `compact`: replace messages `[from, to)` of the history with one summary message. The range
 *   must lie at turn boundaries (never between an assistant message and its tool results);
 *   otherwise it is not applied and the run fails with an `invalid-directive` error.
 * - `emit`: an event carrying the controller's evidence (e.g. `stuck.detected`).
 */
export type Directive =
  | {
      readonly type: 'inject';
      readonly role: 'user' | 'system';
      readonly content: string;
      readonly ephemeral: boolean;
      readonly source: string;
    }
  | {
      readonly type: 'stop';
      readonly reason: StopReason;
      readonly message: string;
      readonly finalAnswer?: 'force';
      /** Cap on the forced answer's tokens (with `finalAnswer: 'force'`). */
      readonly answerMaxTokens?: number;
      /** End the run `done` rather than `stopped`: the task is complete. */
      readonly endAs?: 'done';
      readonly source: string;
      readonly evidence?: Evidence;
    }
  | { readonly type: 'cancel'; readonly reason: string; readonly source: string }
  | { readonly type: 'pause'; readonly reason: string; readonly source: string }
  | {
      readonly type: 'grant-turns';
      readonly turns: number;
      readonly reason: string;
      readonly source: string;
      readonly evidence?: Evidence;
    }
  | {
      readonly type: 'model-settings';
      readonly settings: ModelCallSettings;
      readonly source: string;
    }
  | { readonly type: 'offer-tools'; readonly tools: readonly ToolSpec[]; readonly source: string }
  | {
      readonly type: 'compact';
      readonly from: number;
      readonly to: number;
      readonly summary: string;
      readonly source: string;
    }
  | { readonly type: 'emit'; readonly event: ControllerEventPayload };

/**
 * Names of the events controllers emit. Third-party controllers use `custom.<name>`.
 */
export type ControllerEventName =
  | 'budget.reminder'
  | 'budget.warning'
  | 'budget.extended'
  | 'budget.refused'
  | 'budget.exhausted'
  | 'usage.missing'
  | 'stuck.detected'
  | 'loop.detected'
  | 'drift.detected'
  | 'overthinking.detected'
  | 'failure.predicted'
  | 'intervention.applied'
  | 'compaction.applied'
  | 'hints.computed'
  | 'contract.violated'
  | 'contract.recovered'
  | 'contract.unrecovered'
  | 'intent.updated'
  | 'plan.chosen'
  | `custom.${string}`;

/** What a controller reports: a dotted event name, the deciding policy, its evidence. */
export interface ControllerEventPayload {
  /** Dotted `noun.verb` name, e.g. `'budget.reminder'`, `'stuck.detected'`. */
  readonly name: ControllerEventName;
  /** The policy that decided, e.g. `'turn-budget'`. */
  readonly policy: string;
  /** Human-readable summary. */
  readonly message: string;
  /** The numbers it saw. */
  readonly evidence: Evidence;
}

/**
 * A controller's decision about one tool call, from `beforeTool`:
 * - `deny`: do not run it; its result is an error naming the reason;
 * - `resolve`: do not run it; answer it with `output` (controller tools such as `request_extension`);
 * - `timeout`: run it with this timeout instead of the default.
 * Any {@link Directive} may accompany these.
 */
export type ToolDirective =
  | { readonly type: 'deny'; readonly reason: string; readonly source: string }
  | { readonly type: 'resolve'; readonly output: string; readonly source: string }
  | { readonly type: 'timeout'; readonly ms: number; readonly source: string }
  | Directive;
