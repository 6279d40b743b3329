import { describe, expect, it } from 'vitest';
import { checkContract } from './check-contract.js';
import type { ContractStep } from './contract-definition.js';
import { createContract } from './create-contract.js';
import type { TurnRecord } from './turn-record.js';

/**
 * A contract whose invariant writes down, at each step, the calls it saw (name, failed, output)
 * and the calls its tracker was given (the ones that ran).
 */
function recordingContract() {
  const seen: { calls: [string, boolean, string][]; ran: string[] }[] = [];
  const contract = createContract({
    name: 'recording',
    invariants: [
      {
        name: 'records',
        kind: 'soft',
        description: 'Writes down what it sees.',
        track: {
          initial: [] as string[],
          update: (ran: string[], outcome) => [...ran, outcome.name],
        },
        holds: (step: ContractStep, ran: string[]) => {
          seen.push({
            calls: step.calls.map((made) => [made.name, made.failed, made.output]),
            ran: [...ran],
          });
          return true;
        },
      },
    ],
  });
  return { contract, seen };
}

describe('checking a recorded run against a contract', () => {
  it('reads each call with its observation: failed unless ok, ran unless cancelled or missing', () => {
    const { contract, seen } = recordingContract();
    const turns: TurnRecord[] = [
      {
        turn: 1,
        text: 'Four calls.',
        actions: [
          { name: 'ok', arguments: '{}' },
          { name: 'error', arguments: '{}' },
          { name: 'cancelled', arguments: '{}' },
          { name: 'missing', arguments: '{}' },
        ],
        observations: [
          { name: 'ok', status: 'ok', text: 'fine' },
          { name: 'error', status: 'error', text: 'boom' },
          { name: 'cancelled', status: 'cancelled', text: 'stopped' },
        ],
      },
    ];
    const check = checkContract(contract, { runId: 'r', task: 't', turns });
    expect(seen).toEqual([
      {
        calls: [
          ['ok', false, 'fine'],
          ['error', true, 'boom'],
          ['cancelled', true, 'stopped'],
          ['missing', true, ''],
        ],
        ran: ['ok', 'error'],
      },
    ]);
    expect(check.violations).toEqual([]);
    expect(check.recoveries).toEqual([]);
    expect(check.compliance.steps).toBe(1);
  });

  it('gives a turn without calls an empty step', () => {
    const { contract, seen } = recordingContract();
    const check = checkContract(contract, {
      runId: 'r',
      task: 't',
      turns: [{ turn: 1, text: 'Done.', actions: [], observations: [] }],
    });
    expect(seen).toEqual([{ calls: [], ran: [] }]);
    expect(check).toMatchObject({ violations: [], recoveries: [] });
    expect(check.compliance.satisfied).toBe(true);
  });
});
