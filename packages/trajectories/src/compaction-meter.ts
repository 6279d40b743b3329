import { createMessageBytesCounter, messageBytes } from '@reins/controller';
import type { Controller, ControllerSession, Directive, RunView } from '@reins/core';

/**
 * What a controller's compactions would have saved on one recorded run: the input tokens that
 * the later calls would not have re-sent, had the run gone on as recorded.
 */
export interface CompactionSavings {
  /** Compactions the controller applied. */
  readonly compactions: number;
  /** Recorded input tokens of every model call the run made. */
  readonly inputTokens: number;
  /**
   * Input tokens not re-sent: for each call after a compaction, its recorded input tokens times
   * the share of the recorded prompt's bytes that the compactions removed (replaced messages
   * minus their summaries).
   */
  readonly inputTokensSaved: number;
}

/** A controller whose compactions are measured, and the measurement of the last run it saw. */
export interface CompactionMeter {
  /** The controller to evaluate: the given one, with every decision unchanged. */
  readonly controller: Controller;
  /** The savings of the run opened last, then reset for the next run. */
  take(): CompactionSavings;
}

const directiveHooks = [
  'beforeModel',
  'afterModel',
  'onModelCallEnd',
  'beforeForcedAnswer',
  'afterTool',
  'onInterrupt',
  'onInterrupts',
] as const;

/** Hooks passed through as they are. */
const passedHooks = ['beforeTool', 'snapshot'] as const;

/**
 * Measures what a controller's `compact` directives would have saved on a recorded run. Token
 * counts per message are not recorded, so each call's recorded input tokens are split in
 * proportion to bytes: a call whose prompt would have held `B` bytes and from which compaction
 * removed `R` saves `inputTokens × R / (B + R)`. What the agent would have done with the shorter
 * history is unknown: the recording goes on as recorded, so this is the saving of the same run
 * with less context re-sent, not a prediction of a different run.
 *
 * @param controller - any controller; its hooks and directives are passed through unchanged.
 * @returns the wrapped controller and a reader of the last run's savings.
 * @example
 * ```ts
 * const meter = meterCompaction(controller);
 * simulateController(trajectory, meter.controller);
 * const { inputTokensSaved } = meter.take();
 * ```
 */
export function meterCompaction(controller: Controller): CompactionMeter {
  let compactions = 0;
  let inputTokens = 0;
  let inputTokensSaved = 0;
  const wrapped: Controller = {
    name: controller.name,
    open(context) {
      compactions = 0;
      inputTokens = 0;
      inputTokensSaved = 0;
      const inner = controller.open(context);
      const promptBytesOf = createMessageBytesCounter();
      let removedBytes = 0;
      let promptBytes = 0;
      const measure = (view: RunView, directives: readonly Directive[] | undefined) => {
        for (const directive of directives ?? []) {
          if (directive.type !== 'compact') continue;
          compactions += 1;
          let replaced = 0;
          for (const message of view.messages.slice(directive.from, directive.to))
            replaced += messageBytes(message);
          const summary = messageBytes({ role: 'user', content: directive.summary });
          removedBytes += Math.max(0, replaced - summary);
        }
        return directives;
      };
      const session: ControllerSession = {};
      for (const hook of passedHooks) {
        const original = inner[hook] as ((...parts: never[]) => unknown) | undefined;
        if (typeof original === 'function')
          (session as Record<string, unknown>)[hook] = original.bind(inner);
      }
      for (const hook of directiveHooks) {
        const original = inner[hook] as
          | ((view: RunView, argument?: never) => readonly Directive[] | undefined)
          | undefined;
        if (typeof original !== 'function') continue;
        (session as Record<string, unknown>)[hook] = (view: RunView, argument?: never) =>
          measure(view, original.call(inner, view, argument));
      }
      session.hints = (view) => {
        promptBytes = promptBytesOf(view.messages, 0);
        return inner.hints?.(view);
      };
      session.afterModel = (view, step) => {
        const tokens = step.usage.inputTokens;
        inputTokens += tokens;
        if (removedBytes > 0)
          inputTokensSaved += (tokens * removedBytes) / (promptBytes + removedBytes);
        return measure(view, inner.afterModel?.(view, step));
      };
      return session;
    },
  };
  return {
    controller: wrapped,
    take() {
      const savings = { compactions, inputTokens, inputTokensSaved };
      compactions = 0;
      inputTokens = 0;
      inputTokensSaved = 0;
      return savings;
    },
  };
}
