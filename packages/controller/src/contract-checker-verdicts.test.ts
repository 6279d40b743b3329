import { describe, expect, it } from 'vitest';
import { replay } from '../test/replay.js';
import { checkContract } from './check-contract.js';
import { toContractCall } from './contract-call.js';
import { openContractChecker } from './contract-checker.js';
import type { ContractOptions } from './contract-definition.js';
import { createContract } from './create-contract.js';
import type { TurnAction, TurnObservation, TurnRecord } from './turn-record.js';

/** A tool call with its observation. */
interface Call {
  readonly action: TurnAction;
  readonly observation: TurnObservation;
}

const shell = (command: string, output = 'ok', status: 'ok' | 'error' = 'ok'): Call => ({
  action: { name: 'run', arguments: JSON.stringify({ command }) },
  observation: { name: 'run', status, text: output },
});
const tool = (name: string, input: object): Call => ({
  action: { name, arguments: JSON.stringify(input) },
  observation: { name, status: 'ok', text: 'ok' },
});
const turn = (number: number, text: string, ...calls: Call[]): TurnRecord => ({
  turn: number,
  text,
  actions: calls.map((call) => call.action),
  observations: calls.map((call) => call.observation),
});
/** Turns numbered 1..n, each with its text and no tool call. */
const texts = (...all: string[]): TurnRecord[] => all.map((text, index) => turn(index + 1, text));

const check = (options: ContractOptions, turns: readonly TurnRecord[], task = 'Fix app.py.') =>
  checkContract(createContract(options), { runId: 'r', task, turns });

describe('contract preconditions', () => {
  const namesAFile = {
    name: 'names-a-file',
    description: 'The task names the file to change.',
    holds: (start: { task: string }) => /\.py\b/.test(start.task),
  };

  it('are hard rules checked at step 0, reported with the first 200 characters of the task', () => {
    const task = 'Tidy the code. '.repeat(20); // 300 characters, no file name
    const { violations, compliance } = check({ name: 'c', preconditions: [namesAFile] }, [], task);
    expect(violations).toEqual([
      {
        contract: 'c',
        rule: 'names-a-file',
        section: 'precondition',
        kind: 'hard',
        turn: 0,
        recovery: 'stop',
        message:
          "Contract 'c': hard precondition 'names-a-file' violated at step 0: The task names the file to change.",
        correction: 'The task names the file to change.',
        evidence: {
          contract: 'c',
          rule: 'names-a-file',
          section: 'precondition',
          kind: 'hard',
          turn: 0,
          recovery: 'stop',
          task: task.slice(0, 200),
        },
      },
    ]);
    expect(compliance.preconditionsFailed).toEqual(['names-a-file']);
  });

  it('are checked once per run: a later start reports nothing', () => {
    const checker = openContractChecker(createContract({ preconditions: [namesAFile] }).definition);
    expect(checker.start({ runId: 'r', task: 'Tidy up.' })).toHaveLength(1);
    expect(checker.start({ runId: 'r', task: 'Tidy up.' })).toEqual([]);
    expect(checker.ledger().preconditionsFailed).toEqual(['names-a-file']);
  });

  it('with a correct recovery, inject their correction once, not before every model call', () => {
    const contract = createContract({
      name: 'c',
      preconditions: [{ ...namesAFile, recovery: 'correct', correction: 'Ask which file.' }],
    });
    const { steps, stop } = replay(contract, texts('a', 'b', 'c'), { task: 'Tidy up.' });
    expect(stop).toBeUndefined();
    expect(steps.map((step) => `${step.hook} ${step.turn} ${step.directive.type}`)).toEqual([
      'beforeModel 0 emit',
      'beforeModel 0 inject',
    ]);
    expect(steps[1]?.directive).toMatchObject({
      content: "Contract rule 'names-a-file' was broken: Ask which file.",
    });
  });
});

describe('default recoveries: hard governance denies, hard invariants stop, soft rules correct', () => {
  const refuse = { allows: () => false };
  const contract = createContract({
    name: 'c',
    governance: [
      { name: 'hard-rule', kind: 'hard', description: 'Hard.', tools: ['hard'], ...refuse },
      { name: 'soft-rule', kind: 'soft', description: 'Soft.', tools: ['soft'], ...refuse },
      { name: 'fine', kind: 'hard', description: 'Fine.', tools: ['fine'], allows: () => true },
    ],
    invariants: [
      { name: 'hard-inv', kind: 'hard', description: 'H.', holds: (step) => step.text !== 'H' },
      { name: 'soft-inv', kind: 'soft', description: 'S.', holds: (step) => step.text !== 'S' },
    ],
  });
  const { definition } = contract;
  const call = (name: string) => toContractCall(1, { name, arguments: '{}' });

  it('governance: deny for a hard rule, correct for a soft one; only a deny denies', () => {
    const checker = openContractChecker(definition);
    checker.beginStep(1, '');
    const hard = checker.checkCall(call('hard'));
    expect(hard.denied).toBe(true);
    expect(hard.violations.map((found) => [found.rule, found.kind, found.recovery])).toEqual([
      ['hard-rule', 'hard', 'deny'],
    ]);
    const soft = checker.checkCall(call('soft'));
    expect(soft.denied).toBe(false);
    expect(soft.violations.map((found) => [found.rule, found.kind, found.recovery])).toEqual([
      ['soft-rule', 'soft', 'correct'],
    ]);
    expect(checker.checkCall(call('fine'))).toEqual({ violations: [], denied: false });
  });

  it('invariants: stop for a hard one, correct for a soft one', () => {
    const { violations } = checkContract(contract, {
      runId: 'r',
      task: 't',
      turns: texts('H', 'S'),
    });
    expect(
      violations.map((found) => [found.rule, found.section, found.kind, found.recovery]),
    ).toEqual([
      ['hard-inv', 'invariant', 'hard', 'stop'],
      ['soft-inv', 'invariant', 'soft', 'correct'],
    ]);
    expect(violations[1]?.message).toBe(
      "Contract 'c': soft invariant 'soft-inv' violated at step 2: S.",
    );
  });
});

describe('governance rules', () => {
  it('count only the calls of their tools that ran, and refuse the call past maxCalls', () => {
    // deploy-once governs `deploy` only: the two `run` calls do not count; the first deploy is
    // call 0 of 1 allowed, the second finds 1 call made, 1 allowed.
    const { violations } = check(
      {
        name: 'c',
        governance: [
          {
            name: 'deploy-once',
            kind: 'hard',
            description: 'Deploy at most once.',
            tools: ['deploy'],
            maxCalls: 1,
          },
        ],
      },
      [
        turn(1, '', shell('make')),
        turn(2, '', tool('deploy', { target: 'prod' })),
        turn(3, '', shell('make')),
        turn(4, '', tool('deploy', { target: 'prod' })),
      ],
    );
    expect(violations).toEqual([
      {
        contract: 'c',
        rule: 'deploy-once',
        section: 'governance',
        kind: 'hard',
        turn: 4,
        recovery: 'deny',
        message:
          "Contract 'c': hard governance 'deploy-once' violated at step 4: Deploy at most once.",
        correction: 'Deploy at most once.',
        evidence: {
          contract: 'c',
          rule: 'deploy-once',
          section: 'governance',
          kind: 'hard',
          turn: 4,
          recovery: 'deny',
          tool: 'deploy',
          action: 'deploy {"target":"prod"}',
          calls: 1,
          maxCalls: 1,
        },
      },
    ]);
  });

  it('maxCalls 0 refuses the first call; offline nothing is denied, so that call counts', () => {
    const contract = {
      governance: [
        {
          name: 'no-net',
          kind: 'hard' as const,
          description: 'No network.',
          tools: ['curl'],
          maxCalls: 0,
        },
      ],
    };
    const { violations } = check(contract, [
      turn(1, '', tool('curl', { url: 'a' })),
      turn(2, '', tool('curl', { url: 'b' })),
    ]);
    expect(violations.map((found) => [found.turn, found.evidence.calls])).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });

  it('report an allows refusal with the command and no call counts, and a throw as its error', () => {
    const command = `git push --force origin ${'b'.repeat(300)}`;
    const { violations } = check(
      {
        name: 'c',
        governance: [
          {
            name: 'no-force-push',
            kind: 'soft',
            description: 'Never force-push.',
            allows: (call) => !(call.command ?? '').includes('--force'),
          },
          {
            name: 'known-tools',
            kind: 'hard',
            description: 'Only known tools.',
            tools: ['legacy'],
            recovery: 'none',
            allows: () => {
              throw new Error('E'.repeat(300));
            },
          },
        ],
      },
      [turn(1, '', shell(command)), turn(2, '', tool('legacy', {}))],
    );
    expect(violations.map((found) => found.evidence)).toEqual([
      {
        contract: 'c',
        rule: 'no-force-push',
        section: 'governance',
        kind: 'soft',
        turn: 1,
        recovery: 'correct',
        tool: 'run',
        // `name command`, cut at 200 characters.
        action: `run ${command}`.slice(0, 200),
      },
      {
        contract: 'c',
        rule: 'known-tools',
        section: 'governance',
        kind: 'hard',
        turn: 2,
        recovery: 'none',
        tool: 'legacy',
        action: 'legacy {}',
        error: 'E'.repeat(200),
      },
    ]);
  });

  const longMake = `make ${'V=1 '.repeat(60)}`;

  it('a tracker that throws breaks its rule at that step, reported with the call and its error', () => {
    const { violations, compliance } = check(
      {
        name: 'c',
        governance: [
          {
            name: 'builds-tracked',
            kind: 'soft',
            description: 'Every build is tracked.',
            allows: () => true,
            track: {
              initial: 0,
              update: (count: number, outcome) => {
                if (outcome.command?.startsWith('make')) throw new Error('cannot follow make');
                return count + 1;
              },
            },
          },
        ],
      },
      [turn(1, '', shell('ls')), turn(2, '', shell('make'), shell(longMake))],
    );
    const tracked = {
      contract: 'c',
      rule: 'builds-tracked',
      section: 'governance',
      kind: 'soft',
      turn: 2,
      recovery: 'none',
      tool: 'run',
      action: 'run make',
      error: 'cannot follow make',
    };
    expect(violations.map((found) => found.evidence)).toEqual([
      tracked,
      // `name command`, cut at 200 characters.
      { ...tracked, action: `run ${longMake}`.slice(0, 200) },
    ]);
    expect(violations[0]?.message).toBe(
      "Contract 'c': soft governance 'builds-tracked' violated at step 2: Every build is tracked.",
    );
    // Step 2 broke the rule (once, however many calls broke it); its state kept the `ls`.
    expect(compliance.rules).toEqual({ 'governance:builds-tracked': { steps: 1, firstTurn: 2 } });
  });
});

describe('invariants', () => {
  const options: ContractOptions = {
    name: 'c',
    invariants: [
      {
        name: 'final-names-tests',
        kind: 'soft',
        description: 'The final answer says which tests ran.',
        holds: (step) => !step.final || /tests?\b/.test(step.text),
      },
      {
        name: 'one-failure',
        kind: 'hard',
        description: 'At most one failed call.',
        recovery: 'none',
        track: {
          initial: { failures: 0 },
          update: (state: { failures: number }, outcome) => ({
            failures: state.failures + (outcome.failed ? 1 : 0),
          }),
        },
        holds: (_step, state: { failures: number }) => state.failures < 2,
      },
    ],
  };
  const answer = 'All done. '.repeat(30); // 300 characters, no tests named
  const summary = 'Fixed the parser. '.repeat(12); // 216 characters

  it('see the step, its calls and their tracked state, and report the calls or the answer', () => {
    const { violations } = check(options, [
      turn(1, 'Building.', shell('make', 'Error 2', 'error')),
      turn(2, 'Again.', shell('make', 'Error 2', 'error'), tool('submit', { summary })),
      turn(3, answer),
    ]);
    const base = { contract: 'c', section: 'invariant' };
    expect(violations.map((found) => found.evidence)).toEqual([
      // Two failures after step 2: the calls of the step, one `name command-or-arguments` a line,
      // cut at 200 characters.
      {
        ...base,
        rule: 'one-failure',
        kind: 'hard',
        turn: 2,
        recovery: 'none',
        calls: 2,
        action: `run make\nsubmit {"summary":"${summary}"}`.slice(0, 200),
      },
      // Step 3 made no call: it is final, and its answer (first 200 characters) names no tests.
      {
        ...base,
        rule: 'final-names-tests',
        kind: 'soft',
        turn: 3,
        recovery: 'correct',
        calls: 0,
        answer: answer.slice(0, 200),
      },
      {
        ...base,
        rule: 'one-failure',
        kind: 'hard',
        turn: 3,
        recovery: 'none',
        calls: 0,
        answer: answer.slice(0, 200),
      },
    ]);
    expect(violations[0]?.message).toBe(
      "Contract 'c': hard invariant 'one-failure' violated at step 2: At most one failed call.",
    );
  });

  it('a final answer that names the tests holds', () => {
    const { violations } = check(options, [turn(1, 'Ran the tests: 3 passed.')]);
    expect(violations).toEqual([]);
  });
});

describe('soft episodes and the recovery window k', () => {
  const options: ContractOptions = {
    name: 'c',
    onUnrecovered: 'none',
    invariants: [
      {
        name: 'has-plan',
        kind: 'soft',
        description: 'State the plan.',
        holds: (step) => step.text.includes('plan'),
      },
    ],
    satisfaction: { k: 2 },
  };

  it('an episode still broken k steps on is unrecovered once; a later one can recover', () => {
    // Broken at 2–5: 4 − 2 = k at step 4 → unrecovered there, and only there. Holds at 6 (too
    // late to count). Broken at 7, holds at 8: recovered 1 step after.
    const { recoveries, compliance } = check(
      options,
      texts('plan', 'x', 'x', 'x', 'x', 'plan', 'x', 'plan'),
    );
    expect(recoveries).toEqual([
      { contract: 'c', rule: 'has-plan', since: 2, turn: 4, outcome: 'unrecovered' },
      { contract: 'c', rule: 'has-plan', since: 7, turn: 8, outcome: 'recovered' },
    ]);
    expect(compliance.soft).toMatchObject({
      episodes: 2,
      recoveredWithinK: 1,
      meanRecoverySteps: 1,
    });
  });

  it('counts the window in steps: a rule holding again more than k steps on is not recovered within k', () => {
    // Broken at step 1, the next step recorded is 4: 3 steps > k = 2.
    const { recoveries, compliance } = check(options, [turn(1, 'x'), turn(4, 'plan')]);
    expect(recoveries).toEqual([]);
    expect(compliance.soft).toMatchObject({ episodes: 1, recoveredWithinK: 0 });
  });
});

describe('compliance and drift with a section empty', () => {
  it('soft compliance is 1 without soft rules, drift 0 without rules', () => {
    const hardOnly = check(
      { invariants: [{ name: 'h', kind: 'hard', description: 'H.', holds: () => true }] },
      texts('a', 'b'),
    ).compliance;
    expect(hardOnly.soft.compliance).toBe(1);
    const none = check(
      { preconditions: [{ name: 'p', description: 'P.', holds: () => true }] },
      texts('a', 'b'),
    ).compliance;
    expect(none.drift).toMatchObject({ steps: 2, mean: 0, max: 0 });
  });

  it('adds each step’s drift D(t) to the least-squares sums', () => {
    // One rule: D = 0, 1, 1. Pairs (D(t), D(t+1) − D(t)): (0, 1), (1, 0).
    // Σx = 1, Σy = 1, Σx² = 1, Σxy = 0.
    const { compliance } = check(
      {
        invariants: [
          {
            name: 'h',
            kind: 'hard',
            description: 'H.',
            recovery: 'none',
            holds: (step) => step.text !== 'x',
          },
        ],
      },
      texts('a', 'x', 'x'),
    );
    expect(compliance.driftSums).toEqual({
      steps: 3,
      sum: 2,
      max: 1,
      pairs: 2,
      sumX: 1,
      sumY: 1,
      sumXX: 1,
      sumXY: 0,
      previous: 1,
    });
  });
});

describe('the checker between steps', () => {
  const definition = createContract({
    governance: [
      {
        name: 'no-rm',
        kind: 'hard',
        description: 'No rm.',
        allows: (call) => call.command !== 'rm',
        track: {
          initial: 0,
          update: (count: number, outcome) => {
            if (outcome.command === 'rm') throw new Error('rm ran');
            return count + 1;
          },
        },
      },
    ],
    invariants: [
      { name: 'h', kind: 'hard', description: 'H.', holds: (step) => step.text !== 'x' },
    ],
  }).definition;
  const rm = toContractCall(1, { name: 'run', arguments: '{"command":"rm"}' });

  it('ends nothing when no step is open, and says whether one is', () => {
    const checker = openContractChecker(definition);
    expect(checker.stepOpen).toBe(false);
    expect(checker.endStep()).toEqual({ violations: [], recoveries: [] });
    checker.beginStep(1, 'a');
    expect(checker.stepOpen).toBe(true);
    checker.endStep();
    expect(checker.stepOpen).toBe(false);
    expect(checker.ledger().steps).toBe(1);
  });

  it('ends an open step before opening the next', () => {
    const checker = openContractChecker(definition);
    checker.beginStep(1, 'x');
    checker.beginStep(2, 'a');
    checker.endStep();
    const ledger = checker.ledger();
    expect(ledger.steps).toBe(2);
    expect(ledger.lastTurn).toBe(2);
    expect(ledger.ruleViolations).toEqual({ 'invariant:h': { steps: 1, firstTurn: 1 } });
  });

  it('keeps each rule broken in a step once in the saved ledger', () => {
    const checker = openContractChecker(definition);
    checker.beginStep(1, 'a');
    checker.checkCall(rm);
    checker.checkCall(rm);
    expect(checker.ledger().current?.violated).toEqual(['governance:no-rm']);
    // Its tracker throws on the `rm` that ran (twice): the same rule, still listed once.
    checker.recordCall({ ...rm, failed: false, output: '' }, true);
    checker.recordCall({ ...rm, failed: false, output: '' }, true);
    expect(checker.ledger().current?.violated).toEqual(['governance:no-rm']);
  });

  it('checks and records a call made with no step open', () => {
    const checker = openContractChecker(definition);
    expect(checker.checkCall(rm).denied).toBe(true);
    const broken = checker.recordCall({ ...rm, failed: false, output: '' }, true);
    expect(broken.map((found) => found.evidence.error)).toEqual(['rm ran']);
    expect(checker.ledger().current).toBeNull();
  });
});
