import {
  type AgentEvent,
  createAgent,
  defineTool,
  type Interrupt,
  InvalidOptionsError,
  type RunView,
} from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createController } from './create-controller.js';
import { toCurrentIntent } from './current-intent.js';
import { createDriftMonitor } from './drift-monitor.js';
import { createInterruptionPolicy, defaultInterruptionTemplates } from './interruption-policy.js';
import { createTurnBudget } from './turn-budget.js';
import { toObservedTurn } from './turn-record.js';

const step = defineTool({
  name: 'step',
  description: 'Does one step.',
  input: z.object({ n: z.number() }),
  execute: ({ n }) => `step ${n} done`,
});

function steps(count: number, answer = 'All done.') {
  return [
    ...Array.from({ length: count }, (_, index) => ({
      toolCalls: [{ name: 'step', arguments: { n: index + 1 } }],
    })),
    { text: answer },
  ];
}

function interrupt(
  kind: Interrupt['kind'],
  text: string,
  extra: Partial<Interrupt> = {},
): Interrupt {
  return {
    id: `${kind}-${text}`,
    kind,
    text,
    urgency: 'next-turn',
    receivedAt: 0,
    turn: 1,
    ...extra,
  };
}

function viewOf(task: string, updates: Interrupt[], turn = 1): RunView {
  return {
    runId: 'r',
    task,
    intentUpdates: updates,
    messages: [],
    turn,
    grantedTurns: 0,
    usage: {
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      costUsd: 0,
    },
    startedAt: 0,
    now: 0,
    toolStats: {},
    model: {
      provider: 'scripted',
      modelId: 'm',
      capabilities: { toolCalls: true, reasoning: false, logprobs: false },
    },
  };
}

describe('createInterruptionPolicy', () => {
  it('merges the updates of one decision point into one framed message, in order, restating the intent', () => {
    const policy = createInterruptionPolicy();
    const updates = [
      interrupt('addition', 'Only the top 3.'),
      interrupt('revision', 'January, not February.'),
      interrupt('retraction', 'Ignore the review count.'),
    ];
    const directives = policy.onInterrupts?.(viewOf('Top products in Feb.', updates), updates);
    const injects = directives?.filter((directive) => directive.type === 'inject') ?? [];
    expect(injects).toHaveLength(1);
    const content = injects[0]?.type === 'inject' ? injects[0].content : '';
    expect(content.startsWith(defaultInterruptionTemplates.header)).toBe(true);
    expect(content).toContain('comes from the user and is verified');
    expect(content).toContain('supersedes the earlier instructions');
    const order = ['Only the top 3.', 'January, not February.', 'Ignore the review count.'].map(
      (text) => content.indexOf(text),
    );
    expect(order.every((at, index) => at > (order[index - 1] ?? 0))).toBe(true);
    expect(content).toContain('1. New requirement');
    expect(content).toContain('2. Correction');
    expect(content).toContain('3. Dropped requirement');
    // It ends with the whole task as it now stands: the task and every update, typed.
    expect(content).toMatch(
      /\n\nThe task as it now stands:\nTop products in Feb\.\n\nUpdates since:\n1\. \(addition\) Only the top 3\.\n2\. \(revision\) January, not February\.\n3\. \(retraction\) Ignore the review count\.$/,
    );
    const event = directives?.find((directive) => directive.type === 'emit');
    expect(event).toMatchObject({
      event: { name: 'intent.updated', evidence: { additions: 1, revisions: 1, retractions: 1 } },
    });
  });

  it('grants turns on revisions up to maxTotal, and the turn budget honours them', async () => {
    const backend = createScriptedBackend({ responses: steps(5) });
    const controller = createController({
      budget: createTurnBudget({ mode: 'fixed', limit: 3, reminder: false }),
      interruptions: createInterruptionPolicy({ grantTurns: { perRevision: 2, maxTotal: 3 } }),
    });
    const handle = createAgent({ backend, tools: [step], controller }).run('Do five steps.');
    const extended: AgentEvent[] = [];
    handle.on('budget.extended', (event) => extended.push(event));
    handle.once('tool.start', () => {
      handle.interrupt({ kind: 'revision', text: 'Do five steps, not three.' });
      handle.interrupt({ kind: 'revision', text: 'Really five.' });
    });
    const result = await handle.result;
    // 3 turns + min(2 + 2, 3) granted = 6 turns: five steps and the answer.
    expect(result.status).toBe('done');
    expect(result.turns).toBe(6);
    expect(extended).toHaveLength(1);
    expect(extended[0]).toMatchObject({ evidence: { grantedNow: 3 } });
  });

  it('ends the run as stopped on stop, with a final answer forced from what is known and the updates before it', async () => {
    const backend = createScriptedBackend({
      responses: [
        { toolCalls: [{ name: 'step', arguments: { n: 1 } }] },
        (request) =>
          request.settings?.toolChoice === 'none'
            ? { text: 'Partial answer: step 1.' }
            : { toolCalls: [{ name: 'step', arguments: { n: 2 } }] },
        { text: 'unused' },
      ],
    });
    const controller = createController({ interruptions: createInterruptionPolicy() });
    const handle = createAgent({ backend, tools: [step], controller }).run('Do many steps.');
    handle.once('tool.start', () => {
      handle.interrupt({ kind: 'addition', text: 'Mention the step numbers.' });
      handle.interrupt({ kind: 'stop', text: 'That is enough.' });
    });
    const result = await handle.result;
    expect(result).toMatchObject({
      status: 'stopped',
      reason: 'user-stop',
      output: 'Partial answer: step 1.',
    });
    const forced = backend.requests.at(-1);
    expect(forced?.tools).toEqual([]);
    const contents = forced?.messages.map((message) =>
      'content' in message ? message.content : '',
    );
    expect(contents?.some((content) => content.includes('Mention the step numbers.'))).toBe(true);
    expect(contents?.at(-1)).toContain('The user asked you to stop now: That is enough.');
  });

  it('cancels the run when the whole task is retracted, keeping the work done as partial results', async () => {
    const backend = createScriptedBackend({ responses: steps(4) });
    const controller = createController({ interruptions: createInterruptionPolicy() });
    const handle = createAgent({ backend, tools: [step], controller }).run('Do four steps.');
    let started = 0;
    handle.on('tool.start', () => {
      if (++started === 2)
        handle.interrupt({
          kind: 'retraction',
          scope: 'task',
          text: 'Not needed any more',
          urgency: 'now',
        });
    });
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    expect(result.message).toContain('The user dropped the task: Not needed any more');
    const outputs = result.messages.flatMap((message) =>
      message.role === 'tool' && message.result.status === 'ok' ? [message.result.output] : [],
    );
    expect(outputs).toEqual(['step 1 done']);
    expect(result.messages.filter((message) => message.role === 'tool').at(-1)).toMatchObject({
      result: { status: 'cancelled' },
    });
  });

  it('answers now with the cap of the interrupt, or of the policy', () => {
    const policy = createInterruptionPolicy({ answerMaxTokens: 128 });
    const own = [interrupt('answer-now', '', { answerMaxTokens: 20 })];
    expect(policy.onInterrupts?.(viewOf('t', own), own)?.at(-1)).toMatchObject({
      type: 'stop',
      reason: 'user-answer-now',
      finalAnswer: 'force',
      answerMaxTokens: 20,
    });
    const plain = [interrupt('answer-now', '')];
    expect(policy.onInterrupts?.(viewOf('t', plain), plain)?.at(-1)).toMatchObject({
      answerMaxTokens: 128,
    });
  });

  it('rejects negative grants and caps, naming the field', () => {
    expect(() => createInterruptionPolicy({ grantTurns: { perRevision: -1 } })).toThrow(
      InvalidOptionsError,
    );
    expect(() => createInterruptionPolicy({ answerMaxTokens: 0 })).toThrow(/answerMaxTokens is 0/);
  });
});

describe('toCurrentIntent', () => {
  it('keeps the typed updates in order and the first ending as the status', () => {
    const intent = toCurrentIntent('Task', [
      interrupt('revision', 'a'),
      interrupt('retraction', 'b', { scope: 'task' }),
      interrupt('stop', 'c'),
      interrupt('addition', 'd'),
    ]);
    expect(intent.status).toBe('dropped');
    expect(intent.updates.map((update) => `${update.kind}:${update.text}`)).toEqual([
      'revision:a',
      'addition:d',
    ]);
  });
});

describe('drift monitor on intent updates', () => {
  it('re-baselines when the user updates the intent, and not when told not to', () => {
    const turn = (index: number, name: string) =>
      toObservedTurn({
        turn: index,
        text: `working on ${name}`,
        actions: [{ name, arguments: `{"n":${index}}` }],
        observations: [{ name, status: 'ok', text: `${name} output ${index}` }],
        finishReason: 'tool-calls',
        usage: { inputTokens: 10, outputTokens: 10 },
      });
    const run = (rebaselineOnIntentUpdate: boolean) => {
      const session = createDriftMonitor({
        window: 4,
        consecutiveWindows: 1,
        threshold: 0.9,
        rebaselineOnIntentUpdate,
      }).open({ runId: 'r', task: 'Task' });
      const findings: unknown[] = [];
      let updates: Interrupt[] = [];
      for (let index = 1; index <= 16; index++) {
        if (index === 5) updates = [interrupt('revision', 'Use the other tool.')];
        const found = session.observe(
          turn(index, index <= 4 ? 'grep' : 'sed'),
          viewOf('Task', updates, index),
        );
        if (found !== undefined) findings.push(...found);
      }
      return findings;
    };
    expect(run(false).length).toBeGreaterThan(0);
    expect(run(true)).toEqual([]);
  });
});
