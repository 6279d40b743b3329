import {
  type Controller,
  type ControllerEvent,
  type ControllerSession,
  createAgent,
  defineTool,
  emptyUsage,
  type ModelStep,
  type RunHandle,
  type RunView,
} from '@reins/core';
import { createScriptedBackend, type ScriptedResponse } from '@reins/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  limitIdenticalFailingCommands,
  neverEditTestFiles,
  runTestsBeforeSubmitting,
} from '../src/coding-contract-rules.js';
import { toContractCall } from '../src/contract-call.js';
import { openContractChecker } from '../src/contract-checker.js';
import { toContractCompliance } from '../src/contract-compliance.js';
import type { ContractLedger } from '../src/contract-ledger.js';
import { type Contract, createContract, toContractFinding } from '../src/create-contract.js';
import { createController } from '../src/create-controller.js';
import { createTurnBudget } from '../src/turn-budget.js';

/** A shell whose commands are recorded; `pytest` passes, `make` always fails. */
function createShell() {
  const ran: string[] = [];
  const run = defineTool({
    name: 'run',
    description: 'Runs a shell command.',
    input: z.object({ command: z.string() }),
    execute: ({ command }) => {
      ran.push(command);
      if (command.startsWith('make')) throw new Error('make: *** [all] Error 2');
      return command.startsWith('pytest') ? '3 passed' : `ran ${command}`;
    },
  });
  const submitted: string[] = [];
  const submit = defineTool({
    name: 'submit',
    description: 'Submits the work.',
    input: z.object({ summary: z.string() }),
    execute: ({ summary }) => {
      submitted.push(summary);
      return 'submitted';
    },
  });
  return { tools: [run, submit], ran, submitted };
}

const shell = (command: string): ScriptedResponse => ({
  toolCalls: [{ name: 'run', arguments: { command } }],
});
const submit: ScriptedResponse = { toolCalls: [{ name: 'submit', arguments: { summary: 'fix' } }] };

function contractEvents(handle: RunHandle): ControllerEvent[] {
  const events: ControllerEvent[] = [];
  handle.on('*', (event) => {
    if ('controller' in event && event.type.startsWith('contract.')) events.push(event);
  });
  return events;
}

const coding = () =>
  createContract({
    name: 'coding',
    governance: [
      neverEditTestFiles(),
      runTestsBeforeSubmitting(),
      limitIdenticalFailingCommands(2),
    ],
    satisfaction: { p: 0.9, delta: 0.2, k: 2 },
  });

describe('a contract in the Reins loop', () => {
  it('denies a hard governance violation before the tool runs, and reports it with evidence', async () => {
    const { tools, ran } = createShell();
    const backend = createScriptedBackend({
      responses: [shell("sed -i 's/1/2/' pkg/tests/test_a.py"), shell('pytest'), { text: 'Done.' }],
    });
    const { controller, ledger } = watched(coding());
    const agent = createAgent({ backend, tools, controller });
    const handle = agent.run('Fix the bug.');
    const events = contractEvents(handle);
    const result = await handle.result;

    expect(ran).toEqual(['pytest']);
    const denied = result.messages.find((message) => message.role === 'tool');
    expect(denied).toMatchObject({
      result: {
        status: 'error',
        error: {
          code: 'tool-denied',
          message:
            "Tool call 'run' was denied by coding: contract rule 'never-edit-test-files': Never edit test files; change the code under test instead.",
        },
      },
    });
    expect(events[0]).toMatchObject({
      type: 'contract.violated',
      policy: 'coding',
      evidence: {
        rule: 'never-edit-test-files',
        section: 'governance',
        kind: 'hard',
        turn: 1,
        recovery: 'deny',
        action: "run sed -i 's/1/2/' pkg/tests/test_a.py",
      },
    });
    const compliance = toContractCompliance(ledger());
    // Steps: 1 (hard violation), 2, 3 → hard compliance 2/3.
    expect(compliance.steps).toBe(3);
    expect(compliance.hard.compliance).toBeCloseTo(2 / 3, 12);
  });

  it('a denied call changes nothing the rules track: a refused test edit is no edit to re-test', async () => {
    const { tools, submitted } = createShell();
    const backend = createScriptedBackend({
      responses: [
        shell('pytest'),
        shell("sed -i 's/1/2/' tests/test_a.py"),
        submit,
        { text: 'Done.' },
      ],
    });
    const { controller, ledger } = watched(coding());
    await createAgent({ backend, tools, controller }).run('Fix the bug.').result;
    expect(submitted).toEqual(['fix']);
    expect(ledger().tracked['governance:run-tests-before-submitting']).toEqual({
      testsRun: 1,
      editsSinceTests: 0,
    });
  });

  it('refuses a submission before the tests ran, and counts the recovery within k', async () => {
    const { tools, submitted } = createShell();
    const backend = createScriptedBackend({
      responses: [
        shell("sed -i 's/a/b/' src/x.py"),
        submit,
        shell('pytest -q'),
        submit,
        { text: 'Submitted.' },
      ],
    });
    const { controller, ledger } = watched(coding());
    const agent = createAgent({ backend, tools, controller });
    const handle = agent.run('Fix the bug.');
    const events = contractEvents(handle);
    await handle.result;

    expect(submitted).toEqual(['fix']);
    expect(events.map((event) => `${event.type} ${event.evidence.rule}`)).toEqual([
      'contract.violated run-tests-before-submitting',
      'contract.recovered run-tests-before-submitting',
    ]);
    expect(events[1]?.evidence).toMatchObject({ since: 2, turn: 3, steps: 1, k: 2 });
    const compliance = toContractCompliance(ledger());
    expect(compliance.soft).toMatchObject({ episodes: 1, recoveredWithinK: 1, recoveryRate: 1 });
    // 5 steps, 2 soft rules (1 hard); step 2 broke one of them: (4 + 1/2) / 5.
    expect(compliance.soft.compliance).toBeCloseTo((4 + 1 / 2) / 5, 12);
    expect(compliance.satisfied).toBe(true);
  });

  it('injects a correction after a command failed N times, and stops when it is not recovered within k', async () => {
    const { tools } = createShell();
    const backend = createScriptedBackend({
      responses: [
        shell('make'),
        shell('make'),
        shell('make'),
        shell('make'),
        shell('make'),
        shell('make'),
      ],
    });
    const agent = createAgent({ backend, tools, controller: coding() });
    const handle = agent.run('Build it.');
    const events = contractEvents(handle);
    const result = await handle.result;

    // Calls 3, 4, 5 break the rule (make failed twice before each); k = 2 runs out at step 5.
    expect(result.status).toBe('stopped');
    expect(result.reason).toBe('contract');
    expect(backend.requests).toHaveLength(5);
    expect(backend.requests[3]?.messages.at(-1)).toMatchObject({
      role: 'user',
      content:
        "Contract rule 'limit-identical-failing-commands' was broken: Do not run a command that has already failed 2 times; change the approach.",
    });
    expect(events.map((event) => event.type)).toEqual([
      'contract.violated',
      'contract.violated',
      'contract.violated',
      'contract.unrecovered',
    ]);
    expect(events[3]?.evidence).toMatchObject({ since: 3, turn: 5, k: 2 });
  });

  it('stops the run when a hard invariant breaks, and when a precondition fails', async () => {
    const { tools } = createShell();
    const secrets = createContract({
      name: 'secrets',
      preconditions: [
        {
          name: 'names-a-file',
          description: 'The task names the file to change.',
          holds: (start) => /\.py\b/.test(start.task),
        },
      ],
      invariants: [
        {
          name: 'no-keys',
          kind: 'hard',
          description: 'Never print an API key.',
          holds: (step) => step.calls.every((call) => !call.output.includes('sk-')),
        },
      ],
    });
    const leaking = createScriptedBackend({
      responses: [shell('echo sk-123'), shell('ls'), { text: 'ok' }],
    });
    const leaked = await createAgent({ backend: leaking, tools, controller: secrets }).run(
      'List app.py.',
    ).result;
    expect(leaked).toMatchObject({ status: 'stopped', reason: 'contract' });
    expect(leaking.requests).toHaveLength(1);

    const empty = createScriptedBackend({ responses: [{ text: 'ok' }] });
    const refused = await createAgent({ backend: empty, tools, controller: secrets }).run('List.')
      .result;
    expect(refused).toMatchObject({ status: 'stopped', reason: 'contract' });
    expect(empty.requests).toHaveLength(0);
  });

  it('sits in createController beside a turn budget, and its violations read as findings', async () => {
    const { tools, ran } = createShell();
    const backend = createScriptedBackend({
      responses: [shell('rm tests/test_a.py'), shell('ls'), shell('ls'), shell('ls')],
    });
    const contract = coding();
    const controller = createController({
      budget: [createTurnBudget({ mode: 'fixed', limit: 2 }), contract],
    });
    const handle = createAgent({ backend, tools, controller }).run('Tidy up.');
    const events = contractEvents(handle);
    const result = await handle.result;
    expect(ran).toEqual(['ls']);
    expect(result).toMatchObject({ status: 'stopped', reason: 'turn-budget' });
    expect(events.map((event) => event.type)).toEqual(['contract.violated']);

    const checker = openContractChecker(contract.definition);
    checker.beginStep(1, '');
    const [violation] = checker.checkCall(
      toContractCall(1, { name: 'run', arguments: '{"command":"rm tests/test_a.py"}' }),
    ).violations;
    if (violation === undefined) throw new Error('A violation was expected.');
    expect(toContractFinding(violation)).toEqual({
      monitor: 'coding',
      category: 'contract',
      pattern: 'never-edit-test-files',
      event: 'contract.violated',
      message: violation.message,
      turn: 1,
      action: 'run rm tests/test_a.py',
      evidence: violation.evidence,
    });
  });

  it('continues from a snapshot: counts and tracked state survive a resume', () => {
    const contract = coding();
    const view = fakeView();
    const first = contract.open({ runId: 'r', task: 't' });
    first.beforeModel?.(view);
    first.afterModel?.(
      { ...view, turn: 1 },
      step([{ id: 'c1', name: 'run', arguments: '{"command":"make"}' }]),
    );
    first.beforeTool?.(
      { ...view, turn: 1 },
      { id: 'c1', name: 'run', arguments: '{"command":"make"}' },
    );
    first.afterTool?.(
      { ...view, turn: 1 },
      {
        call: { id: 'c1', name: 'run', arguments: '{"command":"make"}' },
        result: { status: 'error', error: { code: 'tool-failed', message: 'Error 2' } },
        durationMs: 1,
      },
    );
    const saved = JSON.parse(JSON.stringify(first.snapshot?.()));
    const second = contract.open({ runId: 'r', task: 't', state: saved });
    second.beforeModel?.({ ...view, turn: 1 });
    second.afterModel?.(
      { ...view, turn: 2 },
      step([{ id: 'c2', name: 'run', arguments: '{"command":"make"}' }]),
    );
    expect(
      second.beforeTool?.(
        { ...view, turn: 2 },
        { id: 'c2', name: 'run', arguments: '{"command":"make"}' },
      ),
    ).toBeUndefined();
    second.afterTool?.(
      { ...view, turn: 2 },
      {
        call: { id: 'c2', name: 'run', arguments: '{"command":"make"}' },
        result: { status: 'error', error: { code: 'tool-failed', message: 'Error 2' } },
        durationMs: 1,
      },
    );
    second.beforeModel?.({ ...view, turn: 2 });
    second.afterModel?.(
      { ...view, turn: 3 },
      step([{ id: 'c3', name: 'run', arguments: '{"command":"make"}' }]),
    );
    const third = second.beforeTool?.(
      { ...view, turn: 3 },
      { id: 'c3', name: 'run', arguments: '{"command":"make"}' },
    );
    expect(third?.[0]).toMatchObject({ type: 'emit', event: { name: 'contract.violated' } });
    expect(() => contract.open({ runId: 'r', task: 't', state: { version: 2 } })).toThrow(/coding/);
  });

  it('rejects invalid definitions with the field and the fix', () => {
    expect(() =>
      createContract({
        invariants: [{ name: 'x', kind: 'firm' as 'hard', description: 'd', holds: () => true }],
      }),
    ).toThrow(/invariants\.0\.kind/);
    expect(() =>
      createContract({ governance: [{ name: 'g', kind: 'hard', description: 'd' }] }),
    ).toThrow(/allows\(call, state\) or maxCalls/);
    expect(() =>
      createContract({
        invariants: [
          { name: 'x', kind: 'hard', description: 'd', holds: () => true },
          { name: 'x', kind: 'soft', description: 'd', holds: () => true },
        ],
      }),
    ).toThrow(/two invariants are named 'x'/);
    expect(() => createContract({ satisfaction: { k: 0 } })).toThrow(/satisfaction\.k/);
    expect(() => limitIdenticalFailingCommands(-1)).toThrow(/whole number/);
  });
});

/** The contract, and the ledger of the last run it opened. */
function watched(contract: Contract) {
  let session: ControllerSession | undefined;
  const controller: Controller = {
    name: contract.name,
    open(context) {
      session = contract.open(context);
      return session;
    },
  };
  return {
    controller,
    ledger: (): ContractLedger => {
      if (session?.snapshot === undefined) throw new Error('The contract opened no session.');
      return (session.snapshot() as { ledger: ContractLedger }).ledger;
    },
  };
}

function fakeView(): RunView {
  return {
    runId: 'r',
    task: 't',
    intentUpdates: [],
    messages: [],
    turn: 0,
    grantedTurns: 0,
    usage: emptyUsage,
    startedAt: 0,
    now: 0,
    toolStats: {},
    model: {
      provider: 'p',
      modelId: 'm',
      capabilities: { toolCalls: true, reasoning: false, logprobs: false },
    },
  };
}

function step(toolCalls: { id: string; name: string; arguments: string }[]): ModelStep {
  return {
    message: { role: 'assistant', content: '', toolCalls },
    finishReason: 'tool-calls',
    usage: emptyUsage,
    durationMs: 1,
  };
}
