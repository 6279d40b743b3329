/**
 * Time a behavioural contract adds per step (a model call and its tool calls), on the commands
 * and outputs of the recorded mini-swe-agent runs, against the strongest simple alternative: a
 * hand-written controller that makes the same three checks (no test-file edits, tests before
 * submitting, no command again after 3 failures) with plain variables, no ledger, no events.
 * Both see the same hook calls; the denials they decide are counted to check they agree. The
 * paper's reference library reports < 10 ms per action. Prints medians of 7 passes over every
 * step; the last line is one JSON object.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  Controller,
  ControllerSession,
  ModelStep,
  RunView,
  ToolCall,
  ToolResult,
} from '@reins/core';
import { emptyUsage } from '@reins/core';
import {
  createContract,
  isSubmitCommand,
  isTestCommand,
  isTestPath,
  limitIdenticalFailingCommands,
  neverEditTestFiles,
  runTestsBeforeSubmitting,
  writtenPaths,
} from '../src/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const folder = resolve(
  here,
  '../../../../shared/data/swe-trajectories/mini-swe-agent-gemini-3-pro/trajs',
);

interface Step {
  readonly call: ToolCall;
  readonly result: ToolResult;
}
interface Run {
  readonly task: string;
  readonly steps: Step[];
}

function readRuns(): Run[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.traj.json'));
  } catch {
    throw new Error(
      `The recorded runs are missing: ${folder}. Put the shared data next to the repository.`,
    );
  }
  return names.map((name) => {
    const raw = JSON.parse(readFileSync(join(folder, name), 'utf8')) as {
      messages: { role: string; content: string }[];
    };
    const steps: Step[] = [];
    raw.messages.forEach((message, index) => {
      if (message.role !== 'assistant') return;
      const command = /```bash\n([\s\S]*?)\n```/.exec(message.content)?.[1] ?? '';
      const observation = raw.messages[index + 1]?.content ?? '';
      const code = Number(/<returncode>(\d+)<\/returncode>/.exec(observation)?.[1] ?? '0');
      steps.push({
        call: { id: `c${index}`, name: 'bash', arguments: JSON.stringify({ command }) },
        result:
          code === 0
            ? { status: 'ok', output: observation }
            : { status: 'error', error: { code: 'exit', message: observation } },
      });
    });
    return { task: raw.messages[1]?.content ?? '', steps };
  });
}

/** The same three rules, written by hand. */
const handWritten: Controller = {
  name: 'hand-written',
  open(): ControllerSession {
    let testsRun = 0;
    let editsSinceTests = 0;
    const failures = new Map<string, number>();
    let correction: string | undefined;
    const denied = new Set<string>();
    return {
      beforeModel: () => {
        if (correction === undefined) return undefined;
        const content = correction;
        correction = undefined;
        return [{ type: 'inject', role: 'user', content, ephemeral: true, source: 'hand-written' }];
      },
      beforeTool: (_view, call) => {
        const command = (JSON.parse(call.arguments) as { command: string }).command;
        if (writtenPaths(command).some(isTestPath)) {
          denied.add(call.id);
          return [{ type: 'deny', reason: 'Never edit test files.', source: 'hand-written' }];
        }
        if (isSubmitCommand(command) && (testsRun === 0 || editsSinceTests > 0)) {
          denied.add(call.id);
          return [{ type: 'deny', reason: 'Run the tests first.', source: 'hand-written' }];
        }
        const key = command.trim().replace(/\s+/g, ' ');
        if ((failures.get(key) ?? 0) >= 3) correction = 'This command failed 3 times.';
        return undefined;
      },
      afterTool: (_view, outcome) => {
        if (denied.delete(outcome.call.id)) return undefined;
        const command = (JSON.parse(outcome.call.arguments) as { command: string }).command;
        if (outcome.result.status === 'error') {
          const key = command.trim().replace(/\s+/g, ' ');
          failures.set(key, (failures.get(key) ?? 0) + 1);
        }
        if (isTestCommand(command)) {
          testsRun += 1;
          editsSinceTests = 0;
        } else if (writtenPaths(command, { deletions: false }).length > 0) editsSinceTests += 1;
        return undefined;
      },
    };
  },
};

const contract = createContract({
  name: 'coding-agent',
  governance: [neverEditTestFiles(), runTestsBeforeSubmitting(), limitIdenticalFailingCommands(3)],
  onUnrecovered: 'none',
});

const view = (turn: number): RunView => ({
  runId: 'bench',
  task: '',
  intentUpdates: [],
  messages: [],
  turn,
  grantedTurns: 0,
  usage: emptyUsage,
  startedAt: 0,
  now: 0,
  toolStats: {},
  model: {
    provider: 'bench',
    modelId: 'bench',
    capabilities: { toolCalls: true, reasoning: false, logprobs: false },
  },
});

/** One pass over every step of every run: the nanoseconds spent in hooks, and the denials. */
function pass(runs: readonly Run[], controller: Controller): { ns: bigint; denials: number } {
  let ns = 0n;
  let denials = 0;
  for (const run of runs) {
    const session = controller.open({ runId: 'bench', task: run.task });
    run.steps.forEach((step, index) => {
      const turn = index + 1;
      const modelStep: ModelStep = {
        message: { role: 'assistant', content: '', toolCalls: [step.call] },
        finishReason: 'tool-calls',
        usage: emptyUsage,
        durationMs: 0,
      };
      const started = process.hrtime.bigint();
      session.beforeModel?.(view(turn - 1));
      session.afterModel?.(view(turn), modelStep);
      const decided = session.beforeTool?.(view(turn), step.call);
      session.afterTool?.(view(turn), { call: step.call, result: step.result, durationMs: 0 });
      ns += process.hrtime.bigint() - started;
      if (decided?.some((directive) => directive.type === 'deny')) denials += 1;
    });
  }
  return { ns, denials };
}

const runs = readRuns();
const steps = runs.reduce((sum, run) => sum + run.steps.length, 0);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const measure = (controller: Controller) => {
  pass(runs, controller); // warm-up
  const perStep: number[] = [];
  let denials = 0;
  for (let index = 0; index < 7; index += 1) {
    const result = pass(runs, controller);
    perStep.push(Number(result.ns) / 1000 / steps);
    denials = result.denials;
  }
  return { microsecondsPerStep: median(perStep), denials };
};
const measuredContract = measure(contract);
const measuredHand = measure(handWritten);
console.log(
  `${runs.length} runs, ${steps} steps: contract ${measuredContract.microsecondsPerStep.toFixed(1)} µs/step (${measuredContract.denials} denials), hand-written ${measuredHand.microsecondsPerStep.toFixed(1)} µs/step (${measuredHand.denials} denials)`,
);
console.log(
  JSON.stringify({
    runs: runs.length,
    steps,
    contractMicrosecondsPerStep: measuredContract.microsecondsPerStep,
    handWrittenMicrosecondsPerStep: measuredHand.microsecondsPerStep,
    ratio: measuredContract.microsecondsPerStep / measuredHand.microsecondsPerStep,
    contractDenials: measuredContract.denials,
    handWrittenDenials: measuredHand.denials,
  }),
);
