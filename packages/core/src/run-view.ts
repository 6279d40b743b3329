import type { Interrupt } from './interrupt.js';
import type { Message } from './message.js';
import type { ModelCapabilities } from './model-backend.js';
import type { Usage } from './usage.js';

/** Per-tool counts and time, kept by the loop for controllers. */
export interface ToolStats {
  readonly calls: number;
  readonly errors: number;
  readonly cancelled: number;
  readonly totalMs: number;
}

/**
 * The read-only picture of a run that the loop hands to every controller hook.
 * It is a live view: read it inside the hook, do not keep it.
 */
export interface RunView {
  readonly runId: string;
  /** The original task. */
  readonly task: string;
  /** Interruptions applied so far, in order: with `task`, the current intent. */
  readonly intentUpdates: readonly Interrupt[];
  /** The stored history: system, task, then assistant and tool messages and applied updates. */
  readonly messages: readonly Message[];
  /** Model calls started so far, the current one included. */
  readonly turn: number;
  /** Turns granted by `grant-turns` directives so far. */
  readonly grantedTurns: number;
  /** Usage summed over the run. */
  readonly usage: Usage;
  /** When the run started (clock milliseconds). */
  readonly startedAt: number;
  /** The clock's current time. */
  readonly now: number;
  /** Per-tool statistics, by tool name. */
  readonly toolStats: Readonly<Record<string, ToolStats>>;
  /** The model backend's identity and capabilities. */
  readonly model: {
    readonly provider: string;
    readonly modelId: string;
    readonly capabilities: ModelCapabilities;
  };
}
