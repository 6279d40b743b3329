/**
 * Tokens saved and accuracy of the early exits against a live OpenAI-compatible reasoning
 * server (vLLM, SGLang, llama.cpp) on the bundled arithmetic word problems:
 *
 *   pnpm bench:early-exit --base-url http://127.0.0.1:8000/v1 --model Qwen/QwQ-32B [--flavor vllm]
 *     [--api-key KEY] [--limit 20] [--max-tokens 4096] [--samples 4]
 *
 * For each problem: the full reasoning (baseline), the path-deviation exit, the convergence
 * exit, and First Finish Search. The last line is one JSON object.
 */
import { parseArgs } from 'node:util';
import type { Message } from '@reins/core';
import { createOpenAICompatible, type OpenAIFlavor } from '@reins/openai';
import {
  createConvergenceExit,
  createPathDeviationExit,
  type ExitRule,
  normaliseAnswer,
  runFirstFinishSearch,
  runReasoning,
} from '../src/index.js';
import { arithmeticProblems } from './arithmetic-problems.js';

const { values } = parseArgs({
  options: {
    'base-url': { type: 'string' },
    model: { type: 'string' },
    flavor: { type: 'string', default: 'vllm' },
    'api-key': { type: 'string', default: 'none' },
    limit: { type: 'string', default: String(arithmeticProblems.length) },
    'max-tokens': { type: 'string', default: '4096' },
    samples: { type: 'string', default: '4' },
  },
});
const baseURL = values['base-url'];
const model = values.model;
if (baseURL === undefined || model === undefined) {
  console.error(
    'Usage: pnpm bench:early-exit --base-url http://127.0.0.1:8000/v1 --model <served model name>. Both are required: this benchmark needs a live reasoning server that returns log-probabilities.',
  );
  process.exit(2);
}
const backend = createOpenAICompatible({
  baseURL,
  model,
  apiKey: values['api-key'],
  flavor: values.flavor as OpenAIFlavor,
  timeouts: { firstTokenMs: 300_000, idleMs: 120_000 },
});
const maxReasoningTokens = Number(values['max-tokens']);
const problems = arithmeticProblems.slice(0, Number(values.limit));
const system =
  'Solve the problem. Think step by step, then give the final answer as \\boxed{number}.';

type Method = 'baseline' | 'path-deviation' | 'convergence' | 'first-finish';
const rules: Record<Exclude<Method, 'baseline' | 'first-finish'>, ExitRule> = {
  'path-deviation': createPathDeviationExit(),
  convergence: createConvergenceExit(),
};
const totals: Record<Method, { correct: number; tokens: number; exits: number }> = {
  baseline: { correct: 0, tokens: 0, exits: 0 },
  'path-deviation': { correct: 0, tokens: 0, exits: 0 },
  convergence: { correct: 0, tokens: 0, exits: 0 },
  'first-finish': { correct: 0, tokens: 0, exits: 0 },
};

for (const [index, problem] of problems.entries()) {
  const messages: Message[] = [
    { role: 'system', content: system },
    { role: 'user', content: problem.question },
  ];
  const record = (method: Method, answer: string, tokens: number, exited: boolean) => {
    const correct = normaliseAnswer(answer) === normaliseAnswer(problem.answer);
    totals[method].correct += correct ? 1 : 0;
    totals[method].tokens += tokens;
    totals[method].exits += exited ? 1 : 0;
    console.log(
      `#${index + 1} ${method.padEnd(15)} ${correct ? 'correct' : 'wrong  '} ${String(tokens).padStart(6)} tokens  answer ${JSON.stringify(answer)}`,
    );
  };
  const baseline = await runReasoning({ backend, messages, maxReasoningTokens, temperature: 0 });
  record('baseline', baseline.answer, baseline.tokensUsed, false);
  for (const [method, exit] of Object.entries(rules) as [Method, ExitRule][]) {
    const result = await runReasoning({
      backend,
      messages,
      exit,
      maxReasoningTokens,
      temperature: 0,
    });
    record(method, result.answer, result.tokensUsed, result.exit !== undefined);
  }
  const search = await runFirstFinishSearch({
    backend,
    messages,
    samples: Number(values.samples),
    maxTokens: maxReasoningTokens,
  });
  record('first-finish', search.answer, search.tokensUsed, true);
}

const summary = Object.fromEntries(
  Object.entries(totals).map(([method, total]) => [
    method,
    {
      accuracy: total.correct / problems.length,
      tokens: total.tokens,
      tokensSavedVsBaseline: totals.baseline.tokens - total.tokens,
      savedShare: 1 - total.tokens / Math.max(1, totals.baseline.tokens),
      exits: total.exits,
    },
  ]),
);
for (const [method, row] of Object.entries(summary))
  console.log(
    `${method.padEnd(15)} accuracy ${(row.accuracy * 100).toFixed(0)}%  tokens ${row.tokens}  saved ${(row.savedShare * 100).toFixed(1)}%`,
  );
console.log(
  JSON.stringify({
    benchmark: '@reins/early-exit live',
    model,
    problems: problems.length,
    summary,
  }),
);
