import type { Directive, Message, RunView } from '@reins/core';
import { toolResultText } from '@reins/core';
import { toIntentText } from './intent-text.js';

/** What a summariser is given: the messages to replace and the current intent. */
export interface SummariseInput {
  /** The messages being replaced, in order. */
  readonly messages: readonly Message[];
  /** The task as updated by interruptions. */
  readonly intent: string;
  /** Index of the first replaced message in the history. */
  readonly from: number;
}

/** Turns older messages into one summary text. Synchronous: controller hooks are. */
export type Summariser = (input: SummariseInput) => string;

/** Options of {@link createCompaction}. */
export interface CompactionOptions {
  /**
   * Turns (assistant messages with their tool results) kept verbatim at the end.
   * @defaultValue 4
   */
  readonly keepLastTurns?: number;
  /**
   * Produces the summary.
   * @defaultValue {@link summariseExtractively}
   */
  readonly summarise?: Summariser;
}

/** Compacts a run's history into a `compact` directive. */
export interface Compaction {
  /**
   * The directive replacing everything between the task and the last `keepLastTurns` turns
   * with a summary, or `undefined` when there is nothing to compact.
   */
  compact(view: RunView, source: string): Extract<Directive, { type: 'compact' }> | undefined;
}

const previewLength = 160;

/**
 * The default summariser: extractive and deterministic. It lists each replaced action with the
 * first line of its result, and keeps every user update verbatim.
 *
 * @param input - the messages to replace and the intent.
 * @returns the summary text.
 * @example
 * ```ts
 * const compaction = createCompaction({ summarise: summariseExtractively, keepLastTurns: 6 });
 * ```
 */
export function summariseExtractively(input: SummariseInput): string {
  const lines: string[] = [];
  let turns = 0;
  for (const message of input.messages) {
    if (message.role === 'assistant') {
      turns += 1;
      for (const call of message.toolCalls)
        lines.push(`- ${call.name} ${call.arguments.replace(/\s+/g, ' ').slice(0, previewLength)}`);
      if (message.toolCalls.length === 0 && message.content !== '')
        lines.push(`- said: ${message.content.replace(/\s+/g, ' ').slice(0, previewLength)}`);
    } else if (message.role === 'tool') {
      const firstLine = toolResultText(message.result).split('\n', 1)[0] ?? '';
      lines.push(`  → ${message.result.status}: ${firstLine.slice(0, previewLength)}`);
    } else if (message.role === 'user') {
      lines.push(`- user: ${message.content}`);
    }
  }
  return `Summary of ${turns} earlier turns (compacted to save context). Current intent:\n${input.intent}\n\nWhat was done:\n${lines.join('\n')}`;
}

/**
 * Creates a compaction: keeps the system messages and the task at the start and the last N
 * turns verbatim, and replaces what lies between with one summary from a pluggable summariser.
 * It reads the history only when it compacts (never on an ordinary turn). Kept turns start at
 * an assistant message, so no tool result is separated from its call.
 *
 * @param options - turns to keep and the summariser.
 * @returns a {@link Compaction} for `createInterventionPolicy({ compaction })`.
 * @example
 * ```ts
 * const compaction = createCompaction({ keepLastTurns: 6, summarise: ({ messages }) => mySummary(messages) });
 * ```
 */
export function createCompaction(options: CompactionOptions = {}): Compaction {
  const keepLastTurns = Math.max(1, options.keepLastTurns ?? 4);
  const summarise = options.summarise ?? summariseExtractively;
  return {
    compact(view, source) {
      const { messages } = view;
      let from = 0;
      while (from < messages.length && messages[from]?.role === 'system') from += 1;
      if (messages[from]?.role === 'user') from += 1;
      let kept = 0;
      let to = messages.length;
      for (let index = messages.length - 1; index >= from; index--) {
        if (messages[index]?.role === 'assistant') {
          kept += 1;
          to = index;
          if (kept === keepLastTurns) break;
        }
      }
      if (kept < keepLastTurns || to - from < 2) return undefined;
      const summary = summarise({
        messages: messages.slice(from, to),
        intent: toIntentText(view.task, view.intentUpdates),
        from,
      });
      return { type: 'compact', from, to, summary, source };
    },
  };
}
