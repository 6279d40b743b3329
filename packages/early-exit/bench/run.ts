/**
 * Benchmarks of @reins/early-exit: the per-token cost of each streaming monitor (goal: under
 * 1 µs per token per monitor) and the latency of First Finish Search's cancellation against the
 * loopback chat-completions server. Medians over rounds; the last line is one JSON object.
 */
import type { TokenLogprob } from '@reins/core';
import { createOpenAICompatible } from '@reins/openai';
import { createChatCompletionsServer } from '@reins/openai/testing';
import {
  createConfidenceMonitor,
  createCueDetector,
  createLogisticProbe,
  createPathDeviationMonitor,
  createReasoningStreamReader,
  createStepSegmenter,
  runFirstFinishSearch,
} from '../src/index.js';

const tokenCount = 200_000;
const rounds = 9;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

// A reasoning-like token stream: words, numbers, newlines, cue and transition words, with
// top-5 log-probabilities on every token.
const vocabulary = [
  ' the',
  ' total',
  ' is',
  ' 42',
  '.',
  '\n\n',
  ' So',
  ' Wait',
  ',',
  ' but',
  ' apples',
  ' times',
  ' 7',
  ' Hmm',
  ' check',
];
const tokens: TokenLogprob[] = Array.from({ length: tokenCount }, (_, index) => {
  const token = vocabulary[(index * 7919) % vocabulary.length] as string;
  const p = 0.3 + ((index * 31) % 60) / 100;
  const rest = (1 - p) / 4;
  return {
    token,
    logprob: Math.log(p),
    topLogprobs: [
      { token, logprob: Math.log(p) },
      ...[' a', ' b', ' c', ' d'].map((alternative) => ({
        token: alternative,
        logprob: Math.log(rest),
      })),
    ],
  };
});

function perToken(name: string, run: () => void): number {
  run(); // warm-up
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    run();
    samples.push(((performance.now() - start) * 1e6) / tokenCount);
  }
  const ns = median(samples);
  console.log(`${name.padEnd(22)} ${ns.toFixed(1).padStart(7)} ns/token`);
  return ns;
}

const probe = createLogisticProbe({ weights: [1, 0.5, -1, -1, 0.5, 0.1, -0.2], bias: 0 });
let sink = 0;
const monitorNs = {
  cueDetector: perToken('cue detector', () => {
    const detector = createCueDetector();
    for (const token of tokens) if (detector.push(token.token) !== undefined) sink++;
  }),
  stepSegmenter: perToken('step segmenter', () => {
    const segmenter = createStepSegmenter();
    for (const token of tokens) if (segmenter.push(token.token) !== undefined) sink++;
  }),
  pathDeviation: perToken('path deviation', () => {
    const monitor = createPathDeviationMonitor({ maxRate: 2 });
    for (const token of tokens) if (monitor.push(token) !== undefined) sink++;
  }),
  confidence: perToken('confidence (probe)', () => {
    const monitor = createConfidenceMonitor({ probe, threshold: 0 });
    for (const token of tokens) if (monitor.push(token) !== undefined) sink++;
  }),
  streamReader: perToken('stream reader', () => {
    const reader = createReasoningStreamReader({ onReasoningToken: () => sink++ });
    reader.push({ type: 'text-delta', delta: '<think>' });
    for (let index = 0; index < tokens.length; index += 1) {
      const token = tokens[index] as TokenLogprob;
      reader.push({ type: 'text-delta', delta: token.token });
      reader.push({ type: 'logprobs', tokens: [token] });
    }
  }),
};
const goalNs = 1000;
console.log(`goal: under ${goalNs} ns per token per monitor; sink ${sink > 0 ? 'ok' : 'empty'}`);

// First Finish Search: one quick sample, three slow ones; the latency from the decision until
// every loser's stream has ended (its connection closed).
const server = await createChatCompletionsServer();
const backend = createOpenAICompatible({
  baseURL: server.baseURL,
  apiKey: 'bench',
  model: 'reasoner',
  flavor: 'vllm',
});
const cancelMs: number[] = [];
const searchMs: number[] = [];
const searchRounds = 15;
for (let round = 0; round < searchRounds; round++) {
  server.enqueue(
    { reasoning: '3 + 4 = 7.', text: '\\boxed{7}', chunkSize: 4 },
    ...Array.from({ length: 3 }, () => ({
      reasoning: 'Thinking slowly. '.repeat(200),
      text: '\\boxed{9}',
      chunkSize: 8,
      delayMs: 5,
    })),
  );
  const start = performance.now();
  const result = await runFirstFinishSearch({
    backend,
    messages: [{ role: 'user', content: 'What is 3 + 4?' }],
    samples: 4,
    clock: { now: () => performance.now(), setTimeout, clearTimeout },
  });
  searchMs.push(performance.now() - start);
  cancelMs.push(result.cancelLatencyMs);
}
await server.close();
const cancelLatencyMs = median(cancelMs);
console.log(
  `first-finish search (4 samples, loopback): cancellation ${cancelLatencyMs.toFixed(2)} ms median, search ${median(searchMs).toFixed(1)} ms median`,
);
const worst = Math.max(...Object.values(monitorNs));
console.log(`ratio worst monitor / goal: ${(worst / goalNs).toFixed(3)}`);
console.log(
  JSON.stringify({
    benchmark: '@reins/early-exit',
    tokens: tokenCount,
    rounds,
    monitorNsPerToken: Object.fromEntries(
      Object.entries(monitorNs).map(([name, ns]) => [name, Number(ns.toFixed(1))]),
    ),
    goalNsPerToken: goalNs,
    worstOverGoal: Number((worst / goalNs).toFixed(3)),
    firstFinish: {
      samples: 4,
      rounds: searchRounds,
      cancelLatencyMsMedian: Number(cancelLatencyMs.toFixed(3)),
      searchMsMedian: Number(median(searchMs).toFixed(2)),
    },
  }),
);
