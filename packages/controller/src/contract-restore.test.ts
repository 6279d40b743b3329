import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../scripts/thrown-by.js';
import { createView } from '../test/replay.js';
import { openContractChecker } from './contract-checker.js';
import type { GovernanceRule } from './contract-definition.js';
import type { ContractLedger } from './contract-ledger.js';
import { createContract, toContractFinding } from './create-contract.js';

const shape =
  "A contract is { name, preconditions: [{ name, description, holds }], invariants: [{ name, kind: 'hard' | 'soft', description, holds }], governance: [{ name, kind, description, tools?, allows?, maxCalls? }], satisfaction: { p, delta, k } }.";

describe("a contract's option errors", () => {
  it('names the whole contract when the options are not an object', () => {
    const error = thrownBy(() => createContract(null as never));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'contract',
      message: `createContract: contract is invalid: Invalid input: expected object, received null. ${shape}`,
    });
  });

  it('names the field and what it should be', () => {
    const error = thrownBy(() =>
      createContract({
        invariants: [{ name: 'x', kind: 'firm' as 'hard', description: 'd', holds: () => true }],
      }),
    );
    expect(error).toMatchObject({
      field: 'invariants.0.kind',
      message: `createContract: invariants.0.kind is invalid: Invalid option: expected one of "hard"|"soft". ${shape}`,
    });
  });

  it('names the section where two rules share a name', () => {
    const rule = { name: 'g', kind: 'hard', description: 'd', allows: () => true } as const;
    const error = thrownBy(() => createContract({ governance: [rule, { ...rule, kind: 'soft' }] }));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'governance',
      message:
        "createContract: two governance are named 'g'; their counts and saved state would collide. Give each rule a distinct name.",
    });
  });
});

describe('a contract violation as a finding', () => {
  it('carries an action only when the violation saw one', () => {
    const contract = createContract({
      name: 'c',
      preconditions: [{ name: 'names-a-file', description: 'Name the file.', holds: () => false }],
    });
    const [violation] = openContractChecker(contract.definition).start({
      runId: 'r',
      task: 'Fix it.',
    });
    if (violation === undefined) throw new Error('A violation was expected.');
    const finding = toContractFinding(violation);
    expect(finding).toEqual({
      monitor: 'c',
      category: 'contract',
      pattern: 'names-a-file',
      event: 'contract.violated',
      message: "Contract 'c': hard precondition 'names-a-file' violated at step 0: Name the file.",
      turn: 0,
      evidence: {
        contract: 'c',
        rule: 'names-a-file',
        section: 'precondition',
        kind: 'hard',
        turn: 0,
        recovery: 'stop',
        task: 'Fix it.',
      },
    });
    expect(Object.keys(finding)).not.toContain('action');
  });
});

describe('a contract session restored from its snapshot', () => {
  /** Soft: no `curl`. Hard: no `rm`, with a count of the calls that ran. */
  const noCurl: GovernanceRule = {
    name: 'no-curl',
    kind: 'soft',
    description: 'Do not reach the network.',
    allows: (call) => !(call.command ?? '').startsWith('curl'),
  };
  const noRm: GovernanceRule<number> = {
    name: 'no-rm',
    kind: 'hard',
    description: 'Never delete files.',
    allows: (call) => !(call.command ?? '').startsWith('rm'),
    track: { initial: 0, update: (ran) => ran + 1 },
  };
  const contract = () => createContract({ name: 'c', governance: [noCurl, noRm] });
  const bash = (id: string, command: string) => ({
    id,
    name: 'bash',
    arguments: JSON.stringify({ command }),
  });
  const modelCalled = (
    session: ReturnType<ReturnType<typeof contract>['open']>,
    view: ReturnType<typeof createView>,
    calls: ReturnType<typeof bash>[],
  ) => {
    view.turn += 1;
    session.afterModel?.(view, {
      message: { role: 'assistant', content: '', toolCalls: calls },
      finishReason: 'tool-calls',
      usage: view.usage,
      durationMs: 1,
    });
  };

  it('applies a correction queued before the snapshot at the next model call', () => {
    const view = createView();
    const first = contract().open({ runId: 'r', task: 't' });
    first.beforeModel?.(view);
    modelCalled(first, view, [bash('1', 'curl example.com')]);
    first.beforeTool?.(view, bash('1', 'curl example.com'));
    first.afterTool?.(view, {
      call: bash('1', 'curl example.com'),
      result: { status: 'ok', output: '<html>' },
      durationMs: 1,
    });
    const saved = JSON.parse(JSON.stringify(first.snapshot?.()));
    const second = contract().open({ runId: 'r', task: 't', state: saved });
    expect(second.beforeModel?.(view)).toEqual([
      {
        type: 'inject',
        role: 'user',
        content: "Contract rule 'no-curl' was broken: Do not reach the network.",
        ephemeral: true,
        source: 'c',
      },
    ]);
    // Applied once: the next model call gets nothing more.
    expect(second.beforeModel?.(view)).toBeUndefined();
  });

  it('remembers a call denied before the snapshot: its result changes nothing tracked', () => {
    const view = createView();
    const first = contract().open({ runId: 'r', task: 't' });
    first.beforeModel?.(view);
    modelCalled(first, view, [bash('1', 'ls'), bash('2', 'rm -rf src')]);
    first.beforeTool?.(view, bash('1', 'ls'));
    first.afterTool?.(view, {
      call: bash('1', 'ls'),
      result: { status: 'ok', output: 'src' },
      durationMs: 1,
    });
    expect(first.beforeTool?.(view, bash('2', 'rm -rf src'))?.[0]).toEqual({
      type: 'deny',
      reason: "contract rule 'no-rm': Never delete files.",
      source: 'c',
    });
    const saved = JSON.parse(JSON.stringify(first.snapshot?.()));
    const second = contract().open({ runId: 'r', task: 't', state: saved });
    second.afterTool?.(view, {
      call: bash('2', 'rm -rf src'),
      result: { status: 'error', error: { code: 'tool-denied', message: 'denied' } },
      durationMs: 1,
    });
    const state = second.snapshot?.() as { ledger: ContractLedger } | undefined;
    // Only `ls` ran.
    expect(state?.ledger.tracked['governance:no-rm']).toBe(1);
    expect(second.beforeModel?.(view)).toBeUndefined();
  });
});
