/**
 * Cost of one controller decision (beforeModel + afterModel + afterTool of one turn) with every
 * budget and monitor on, at 10, 100 and 1,000 turns of history with 2 KB actions and outputs.
 * Prints medians and ratios; the last line is one JSON object.
 *
 * The history only grows, as in a real run: each group of samples resumes the controller from a
 * snapshot taken 26 turns before the history length and runs on past it (a history that shrank
 * after every sample would look like a compaction to the cost budget, which then recounts every
 * message).
 */
import type { AssistantMessage, Message, ModelStep, Usage } from '@reins/core';
import { emptyUsage } from '@reins/core';
import {
  createController,
  createCostBudget,
  createDeadlineBudget,
  createDriftMonitor,
  createFailurePredictor,
  createOverthinkingMonitor,
  createStuckMonitor,
  createTokenBudget,
  createTurnBudget,
} from '../src/index.js';

const histories = [10, 100, 1000];
const samples = 3000;
const variants = 64;
/**
 * Timed decisions per resumed session, from about `history − 25` turns to `history + 25` (from
 * the first turn for 10): one drift window, so that its index is computed once per 50 turns, as
 * in a run.
 */
const group = 50;

const words = [
  'grep',
  'sed',
  'python',
  'pytest',
  'cat',
  'models',
  'fields',
  'query',
  'render',
  'parse',
  'cache',
  'index',
];
function text(seed: number, length: number): string {
  let value = seed * 2654435761;
  let out = '';
  while (out.length < length) {
    value = (value * 1103515245 + 12345) >>> 0;
    out += `${words[value % words.length]}_${value % 997} `;
  }
  return out.slice(0, length);
}
const actions = Array.from({ length: variants }, (_, index) =>
  JSON.stringify({ command: text(index + 1, 2000) }),
);
const outputs = Array.from({ length: variants }, (_, index) => text(index + 1000, 2000));
const thoughts = Array.from({ length: variants }, (_, index) => text(index + 5000, 400));

function controller() {
  return createController({
    budget: [
      createTurnBudget({ mode: 'dynamic', initial: 1_000_000, extension: 10, extensionTool: {} }),
      createTokenBudget({ maxTokens: 1e12 }),
      createCostBudget({
        capUsd: 1e9,
        prices: { 'bench-1': { inputPerMillion: 1, outputPerMillion: 2 } },
        maxTokensPerCall: 4096,
      }),
      createDeadlineBudget({ deadlineMs: 1e15 }),
    ],
    monitors: [
      createStuckMonitor(),
      createDriftMonitor({ window: 50 }),
      createOverthinkingMonitor(),
      createFailurePredictor({
        threshold: 0.99,
        score: (features) => Math.min(0.5, features.actionSimilarity),
      }),
    ],
  });
}

interface Bench {
  /** Resumes the controller from the snapshot, with the history as it was then. */
  resume(): void;
  decide(): void;
}

function setup(history: number): Bench {
  const view = {
    runId: 'bench',
    task: text(42, 1500),
    intentUpdates: [],
    messages: [] as Message[],
    turn: 0,
    grantedTurns: 0,
    usage: emptyUsage,
    startedAt: 0,
    now: 0,
    toolStats: {},
    model: {
      provider: 'bench',
      modelId: 'bench-1',
      capabilities: { toolCalls: true, reasoning: false, logprobs: false },
    },
  };
  view.messages.push(
    { role: 'system', content: 'You are careful.' },
    { role: 'user', content: view.task, origin: { kind: 'task' } },
  );
  const built = controller();
  let session = built.open({ runId: 'bench', task: view.task });
  const usage: Usage = {
    ...emptyUsage,
    inputTokens: 14_000,
    cachedInputTokens: 12_000,
    outputTokens: 300,
  };
  const turn = (index: number) => {
    const variant = index % variants;
    session.beforeModel?.(view);
    view.turn += 1;
    view.now += 4000;
    const call = { id: `c${index}`, name: 'bash', arguments: actions[variant] as string };
    const message: AssistantMessage = {
      role: 'assistant',
      content: thoughts[variant] as string,
      toolCalls: [call],
      usage,
    };
    view.messages.push(message);
    const step: ModelStep = { message, finishReason: 'tool-calls', usage, durationMs: 3000 };
    session.afterModel?.(view, step);
    const result = { status: 'ok' as const, output: outputs[(variant * 7) % variants] as string };
    session.afterTool?.(view, { call, result, durationMs: 1000 });
    view.messages.push({ role: 'tool', toolCallId: call.id, toolName: 'bash', result });
  };
  const start = Math.max(0, history - group / 2 - 1);
  for (let index = 0; index < start; index++) turn(index);
  const state = session.snapshot?.();
  const saved = { messages: view.messages.length, turn: view.turn, now: view.now };
  let next = start;
  return {
    resume() {
      session = built.open({ runId: 'bench', task: view.task, state });
      view.messages.length = saved.messages;
      view.turn = saved.turn;
      view.now = saved.now;
      next = start;
      // The first call after a resume counts the whole history once: not timed.
      turn(next++);
    },
    decide() {
      turn(next++);
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] as number;
}

// Warm-up, so that the first history measured does not pay for compiling the hot paths.
const warm = setup(histories[0] as number);
for (let index = 0; index < 3000; index++) {
  if (index % group === 0) warm.resume();
  warm.decide();
}

const results: Record<string, { medianUs: number; p90Us: number }> = {};
for (const history of histories) {
  const bench = setup(history);
  for (let index = 0; index < 300; index++) {
    if (index % group === 0) bench.resume();
    bench.decide();
  }
  const times: number[] = [];
  for (let index = 0; index < samples; index++) {
    if (index % group === 0) bench.resume();
    const start = process.hrtime.bigint();
    bench.decide();
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  results[history] = { medianUs: median(times), p90Us: quantile(times, 0.9) };
  process.stdout.write(
    `history ${String(history).padStart(4)} turns: median ${median(times).toFixed(2)} µs, p90 ${quantile(times, 0.9).toFixed(2)} µs per decision (${samples} samples)\n`,
  );
}
const m10 = results[10]?.medianUs as number;
const m1000 = results[1000]?.medianUs as number;
const ratio = m1000 / m10;
process.stdout.write(
  `ratio 1000/10 turns: ${ratio.toFixed(2)} (flat ≈ 1); ratio 100/10: ${((results[100]?.medianUs as number) / m10).toFixed(2)}\n`,
);
process.stdout.write(
  `${JSON.stringify({
    benchmark: 'controller-decision',
    unit: 'us',
    actionBytes: 2000,
    monitors: ['stuck', 'drift', 'overthinking', 'predicted-failure'],
    budgets: ['turn-budget', 'token-budget', 'cost-budget', 'deadline'],
    median: { 10: round(m10), 100: round(results[100]?.medianUs as number), 1000: round(m1000) },
    p90: {
      10: round(results[10]?.p90Us as number),
      100: round(results[100]?.p90Us as number),
      1000: round(results[1000]?.p90Us as number),
    },
    ratio1000to10: round(ratio),
    goalMedianUs: 20,
    meetsGoal: Math.max(m10, results[100]?.medianUs as number, m1000) < 20,
  })}\n`,
);

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
