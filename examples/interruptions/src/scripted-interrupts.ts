import type { AgentEvent, InterruptInput, RunHandle, RunResult } from '@reins/core';
import { createShopAgent, type ShopAgentOptions } from './shop-agent.js';

/** When a scripted interrupt is sent: at the n-th event of a type (within `turn`, when set). */
export interface ScriptedInterrupt {
  readonly on: 'tool.start' | 'model.delta';
  readonly nth: number;
  readonly turn?: number;
  readonly interrupt: InterruptInput;
}

/** One scripted run: its task and the interrupts the user sends while it works. */
export interface ScriptedRun {
  readonly title: string;
  readonly task: string;
  readonly interrupts: readonly ScriptedInterrupt[];
}

/**
 * The sequence played when the terminal is not interactive: every kind, soft and hard.
 * Run 1: an addition (next turn), a revision while the model streams (now), a retraction while
 * a tool runs (now), then a stop (forced answer). Run 2: the whole task dropped. Run 3: answer
 * now, mid-reasoning, with the answer capped.
 */
export const scriptedRuns: readonly ScriptedRun[] = [
  {
    title: 'additions, revisions and retractions, then stop',
    task: 'What are the top-5 best-selling products in Feb 2023 with at least 10 reviews?',
    interrupts: [
      { on: 'tool.start', nth: 1, interrupt: { kind: 'addition', text: 'I only need the top 3.' } },
      {
        on: 'model.delta',
        turn: 3,
        nth: 4,
        interrupt: { kind: 'revision', text: 'January 2023, not February.', urgency: 'now' },
      },
      {
        on: 'tool.start',
        nth: 4,
        interrupt: { kind: 'retraction', text: 'Ignore the review count.', urgency: 'now' },
      },
      {
        on: 'tool.start',
        nth: 6,
        interrupt: { kind: 'stop', text: 'That is enough, tell me what you have.', urgency: 'now' },
      },
    ],
  },
  {
    title: 'the whole task retracted',
    task: 'Which customer placed the most orders in 2022?',
    interrupts: [
      {
        on: 'tool.start',
        nth: 2,
        interrupt: {
          kind: 'retraction',
          scope: 'task',
          text: 'Never mind, I found it in the monthly report',
          urgency: 'now',
        },
      },
    ],
  },
  {
    title: 'answer now, mid-reasoning',
    task: 'Which product had the best sales in Q1?',
    interrupts: [
      {
        on: 'model.delta',
        turn: 2,
        nth: 4,
        interrupt: { kind: 'answer-now', answerMaxTokens: 48 },
      },
    ],
  },
];

/** Sends a run's scripted interrupts as its events arrive. */
export function playInterrupts(handle: RunHandle, interrupts: readonly ScriptedInterrupt[]): void {
  const counts = new Map<string, number>();
  const due = [...interrupts];
  handle.on('*', (event: AgentEvent) => {
    if (event.type !== 'tool.start' && event.type !== 'model.delta') return;
    const inRun = (counts.get(event.type) ?? 0) + 1;
    const inTurn = (counts.get(`${event.type}@${event.turn}`) ?? 0) + 1;
    counts.set(event.type, inRun);
    counts.set(`${event.type}@${event.turn}`, inTurn);
    for (const entry of [...due]) {
      const count = entry.turn === undefined ? inRun : entry.turn === event.turn ? inTurn : 0;
      if (entry.on === event.type && entry.nth === count) {
        due.splice(due.indexOf(entry), 1);
        if (handle.phase === 'running') handle.interrupt(entry.interrupt);
      }
    }
  });
}

/**
 * Plays {@link scriptedRuns} on the shop agent, one run after the other.
 *
 * @param options - the agent's speed; `onStart` sees each handle (to print its events).
 * @returns each run's result, in order.
 * @example
 * ```ts
 * const results = await runScriptedInterrupts({ toolMs: 20, chunkMs: 1 });
 * ```
 */
export async function runScriptedInterrupts(
  options: ShopAgentOptions & {
    readonly onStart?: (run: ScriptedRun, handle: RunHandle) => void;
  } = {},
): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const run of scriptedRuns) {
    const handle = createShopAgent(options).run(run.task);
    options.onStart?.(run, handle);
    playInterrupts(handle, run.interrupts);
    results.push(await handle.result);
  }
  return results;
}
