import type { Directive, RunView } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { actionTurn, createView, numbered, replay, silentTurn } from '../test/replay.js';
import { limitIdenticalFailingCommands } from './coding-contract-rules.js';
import type { Compaction } from './compaction.js';
import type { ContractOptions, Invariant } from './contract-definition.js';
import { createContract } from './create-contract.js';
import type { TurnRecord } from './turn-record.js';

/** A soft invariant: each step's text names the tests it ran. */
const namesTests: Invariant = {
  name: 'names-tests',
  kind: 'soft',
  description: 'Say which tests you ran.',
  holds: (step) => step.text.includes('pytest'),
};

/** One `ls` per turn, each turn's text without the word the invariant wants. */
const vague = (count: number): TurnRecord[] =>
  Array.from({ length: count }, (_, index) => actionTurn(index + 1, 'ls', 'a.py'));

const violatedAt = (turn: number) => ({
  type: 'emit',
  event: {
    name: 'contract.violated',
    policy: 'c',
    message: `Contract 'c': soft invariant 'names-tests' violated at step ${turn}: Say which tests you ran.`,
    evidence: {
      contract: 'c',
      rule: 'names-tests',
      section: 'invariant',
      kind: 'soft',
      turn,
      recovery: 'correct',
      calls: 1,
      action: 'bash ls',
    },
  },
});
const correction = {
  type: 'inject',
  role: 'user',
  content: "Contract rule 'names-tests' was broken: Say which tests you ran.",
  ephemeral: true,
  source: 'c',
};
/** The evidence of the episode that began at step 1 and ended (or ran out) at step 3. */
const episode = { contract: 'c', rule: 'names-tests', since: 1, turn: 3, steps: 2, k: 2 };
const unrecovered = {
  type: 'emit',
  event: {
    name: 'contract.unrecovered',
    policy: 'c',
    message:
      "Contract 'c': 'names-tests' still broken 2 steps after step 1 (recovery window k = 2).",
    evidence: episode,
  },
};

/** The directives each hook returned at step 3 (the end of step 3 comes before model call 4). */
const atStepThreeEnd = (options: ContractOptions, settings = {}) =>
  replay(createContract(options, settings), vague(4))
    .steps.filter((step) => step.hook === 'beforeModel' && step.turn === 3)
    .map((step) => step.directive);

describe("a contract's recovery directives", () => {
  it('injects a soft invariant’s correction before the next model call, and reports its recovery', () => {
    const run = replay(
      createContract({ name: 'c', invariants: [namesTests] }),
      numbered([actionTurn(0, 'ls', 'a.py'), { ...silentTurn(0), text: 'Ran pytest: 3 passed.' }]),
    );
    expect(run.steps).toEqual([
      // Step 1 ends when model call 2 is about to be made.
      { hook: 'beforeModel', turn: 1, directive: violatedAt(1) },
      { hook: 'beforeModel', turn: 1, directive: correction },
      // Step 2 is a final answer: it ends after its model call. 2 − 1 = 1 step.
      {
        hook: 'afterModel',
        turn: 2,
        directive: {
          type: 'emit',
          event: {
            name: 'contract.recovered',
            policy: 'c',
            message:
              "Contract 'c': 'names-tests' recovered at step 2, 1 step(s) after it was broken.",
            evidence: { contract: 'c', rule: 'names-tests', since: 1, turn: 2, steps: 1, k: 3 },
          },
        },
      },
    ]);
  });

  it('stops a soft violation still open k steps after it began, by default', () => {
    const run = replay(
      createContract({ name: 'c', invariants: [namesTests], satisfaction: { k: 2 } }),
      vague(4),
    );
    // Broken at steps 1, 2 and 3: at step 3 it has been broken for 3 − 1 = 2 = k steps.
    expect(run.stoppedAt).toBe(3);
    expect(run.stop).toEqual({
      type: 'stop',
      reason: 'contract',
      message: unrecovered.event.message,
      source: 'c',
      evidence: episode,
    });
    expect(run.events.map((event) => `${event.name} ${event.turn}`)).toEqual([
      'contract.violated 1',
      'contract.violated 2',
      'contract.violated 3',
      'contract.unrecovered 3',
    ]);
  });

  it('asks for the broken rule to be restored with onUnrecovered: correct', () => {
    const options = {
      name: 'c',
      invariants: [namesTests],
      satisfaction: { k: 2 },
      onUnrecovered: 'correct',
    } as const;
    expect(atStepThreeEnd(options)).toEqual([
      violatedAt(3),
      correction,
      unrecovered,
      {
        ...correction,
        content:
          "Contract rule 'names-tests' was broken: it has been broken since step 1; restore it now.",
      },
    ]);
  });

  it('only reports an unrecovered violation with onUnrecovered: none', () => {
    const options = {
      name: 'c',
      invariants: [namesTests],
      satisfaction: { k: 2 },
      onUnrecovered: 'none',
    } as const;
    expect(atStepThreeEnd(options)).toEqual([violatedAt(3), correction, unrecovered]);
  });

  it('compacts with the given compaction, and adds nothing when it has nothing to compact', () => {
    const sources: string[] = [];
    const compactDirective = {
      type: 'compact',
      from: 2,
      to: 4,
      summary: 'Listed the files twice.',
      source: 'c',
    } as const;
    const compacting: Compaction = {
      compact(_view: RunView, source: string) {
        sources.push(source);
        return compactDirective;
      },
    };
    const options = {
      name: 'c',
      invariants: [{ ...namesTests, recovery: 'none' as const }],
      satisfaction: { k: 2 },
      onUnrecovered: 'compact',
    } as const;
    const violated = (turn: number) => {
      const directive = violatedAt(turn);
      return {
        ...directive,
        event: {
          ...directive.event,
          evidence: { ...directive.event.evidence, recovery: 'none' },
        },
      };
    };
    expect(atStepThreeEnd(options, { compaction: compacting })).toEqual([
      violated(3),
      unrecovered,
      compactDirective,
    ]);
    expect(sources).toEqual(['c']);
    const nothing: Compaction = { compact: () => undefined };
    expect(atStepThreeEnd(options, { compaction: nothing })).toEqual([violated(3), unrecovered]);
  });

  it('compacts with createCompaction() when no compaction is given', () => {
    const options = {
      name: 'c',
      invariants: [{ ...namesTests, recovery: 'none' as const }],
      satisfaction: { k: 2 },
      onUnrecovered: 'compact',
    } as const;
    // Three turns so far, and the default keeps the last 4: nothing to compact.
    expect(atStepThreeEnd(options).map((directive) => directive.type)).toEqual(['emit', 'emit']);
  });

  it('returns nothing from beforeModel and afterModel when nothing was broken', () => {
    const contract = createContract({ name: 'c', invariants: [namesTests] });
    const session = contract.open({ runId: 'r', task: 'Fix it.' });
    const view = createView();
    expect(session.beforeModel?.(view)).toBeUndefined();
    view.turn = 1;
    const answer = {
      message: { role: 'assistant' as const, content: 'Ran pytest.', toolCalls: [] },
      finishReason: 'stop' as const,
      usage: view.usage,
      durationMs: 1,
    };
    expect(session.afterModel?.(view, answer)).toBeUndefined();
    expect(session.beforeModel?.(view)).toBeUndefined();
    expect(session.beforeModel?.(view)).toBeUndefined();
  });
});

describe("a contract's governance directives", () => {
  const noCurl = {
    name: 'no-curl',
    kind: 'soft',
    description: 'Do not reach the network.',
    allows: (call: { command: string | undefined }) => !(call.command ?? '').startsWith('curl'),
  } as const;
  const noNetwork = { ...noCurl, name: 'no-network', kind: 'hard' } as const;
  const violated = (rule: string, kind: string, recovery: string, extra = {}) => ({
    type: 'emit',
    event: {
      name: 'contract.violated',
      policy: 'c',
      message: `Contract 'c': ${kind} governance '${rule}' violated at step 1: Do not reach the network.`,
      evidence: {
        contract: 'c',
        rule,
        section: 'governance',
        kind,
        turn: 1,
        recovery,
        tool: 'bash',
        action: 'bash curl example.com',
        ...extra,
      },
    },
  });
  const curl = numbered([actionTurn(0, 'curl example.com', '<html>'), silentTurn(0)]);
  const directivesOf = (options: ContractOptions, settings = {}) =>
    replay(createContract({ name: 'c', ...options }, settings), curl).steps.map(
      (step) => `${step.hook} ${step.turn} ${step.directive.type}`,
    );

  it('denies with the first rule whose recovery is deny, and queues the soft rule’s correction', () => {
    const run = replay(createContract({ name: 'c', governance: [noCurl, noNetwork] }), curl);
    expect(run.steps.map((step) => step.directive)).toEqual([
      {
        type: 'deny',
        reason: "contract rule 'no-network': Do not reach the network.",
        source: 'c',
      },
      violated('no-curl', 'soft', 'correct'),
      violated('no-network', 'hard', 'deny'),
      {
        type: 'inject',
        role: 'user',
        content: "Contract rule 'no-curl' was broken: Do not reach the network.",
        ephemeral: true,
        source: 'c',
      },
      // Step 2 (a final answer) keeps the soft rule: recovered 2 − 1 = 1 step after.
      {
        type: 'emit',
        event: {
          name: 'contract.recovered',
          policy: 'c',
          message: "Contract 'c': 'no-curl' recovered at step 2, 1 step(s) after it was broken.",
          evidence: { contract: 'c', rule: 'no-curl', since: 1, turn: 2, steps: 1, k: 3 },
        },
      },
    ]);
    expect(run.steps.map((step) => step.hook)).toEqual([
      'beforeTool',
      'beforeTool',
      'beforeTool',
      'beforeModel',
      'afterModel',
    ]);
  });

  it('denies the call and stops the run for a rule whose recovery is stop', () => {
    const run = replay(
      createContract({ name: 'c', governance: [{ ...noNetwork, recovery: 'stop' }] }),
      curl,
    );
    const violation = violated('no-network', 'hard', 'stop');
    expect(run.steps.map((step) => step.directive)).toEqual([
      violation,
      {
        type: 'deny',
        reason: "contract rule 'no-network': Do not reach the network.",
        source: 'c',
      },
      {
        type: 'stop',
        reason: 'contract',
        message: violation.event.message,
        source: 'c',
        evidence: violation.event.evidence,
      },
    ]);
    expect(run.stoppedAt).toBe(1);
  });

  it('denies a call only once when one rule denies it and another stops the run', () => {
    expect(
      directivesOf({ governance: [noNetwork, { ...noCurl, name: 'stop-curl', recovery: 'stop' }] }),
    ).toEqual(['beforeTool 1 deny', 'beforeTool 1 emit', 'beforeTool 1 emit', 'beforeTool 1 stop']);
  });

  it('queues a compaction for a governance rule whose recovery is compact', () => {
    const compaction: Compaction = {
      compact: (_view, source) => ({ type: 'compact', from: 2, to: 3, summary: 's', source }),
    };
    expect(
      directivesOf({ governance: [{ ...noCurl, recovery: 'compact' }] }, { compaction }),
    ).toEqual(['beforeTool 1 emit', 'beforeModel 1 compact', 'afterModel 2 emit']);
    expect(directivesOf({ governance: [{ ...noCurl, recovery: 'none' }] })).toEqual([
      'beforeTool 1 emit',
      'afterModel 2 emit',
    ]);
  });

  it('counts only failed calls towards identical failures', () => {
    // `make` succeeds twice: no failure, so a third `make` breaks no limit of one failure.
    const makes = numbered([
      actionTurn(0, 'make', 'built'),
      actionTurn(0, 'make', 'built'),
      actionTurn(0, 'make', 'built'),
    ]);
    const contract = () => createContract({ governance: [limitIdenticalFailingCommands(1)] });
    expect(replay(contract(), makes).events).toEqual([]);
    // Once it has failed, the next `make` breaks it.
    const failing = numbered([
      actionTurn(0, 'make', 'Error 2', 'error'),
      actionTurn(0, 'make', ''),
    ]);
    expect(
      replay(contract(), failing).events.map((event) => `${event.name} ${event.turn}`),
    ).toEqual(['contract.violated 2']);
  });

  it('reports a rule whose tracker throws after the call, and returns nothing after a clean call', () => {
    const counting = {
      name: 'counts-calls',
      kind: 'soft',
      description: 'Count the calls.',
      allows: () => true,
      track: {
        initial: 0,
        update: (count: number, outcome: { command: string | undefined }) => {
          if (outcome.command === 'rm -rf build') throw new Error('cannot follow a deletion');
          return count + 1;
        },
      },
    } as const;
    const session = createContract({ name: 'c', governance: [counting] }).open({
      runId: 'r',
      task: 't',
    });
    const view = createView();
    view.turn = 1;
    const call = (id: string, command: string) => ({
      id,
      name: 'bash',
      arguments: JSON.stringify({ command }),
    });
    const ok = { status: 'ok' as const, output: '' };
    session.afterModel?.(view, {
      message: {
        role: 'assistant',
        content: '',
        toolCalls: [call('1', 'ls'), call('2', 'rm -rf build')],
      },
      finishReason: 'tool-calls',
      usage: view.usage,
      durationMs: 1,
    });
    expect(session.beforeTool?.(view, call('1', 'ls'))).toBeUndefined();
    expect(session.afterTool?.(view, { call: call('1', 'ls'), result: ok, durationMs: 1 })).toBe(
      undefined,
    );
    const thrown: readonly Directive[] | undefined = session.afterTool?.(view, {
      call: call('2', 'rm -rf build'),
      result: ok,
      durationMs: 1,
    });
    expect(thrown).toEqual([
      {
        type: 'emit',
        event: {
          name: 'contract.violated',
          policy: 'c',
          message:
            "Contract 'c': soft governance 'counts-calls' violated at step 1: Count the calls.",
          evidence: {
            contract: 'c',
            rule: 'counts-calls',
            section: 'governance',
            kind: 'soft',
            turn: 1,
            recovery: 'none',
            tool: 'bash',
            action: 'bash rm -rf build',
            error: 'cannot follow a deletion',
          },
        },
      },
    ]);
  });
});
