import { describe, expect, it } from 'vitest';
import { checkContract } from './check-contract.js';
import { summarizeContractCompliance } from './contract-compliance.js';
import type { ContractOptions, Invariant } from './contract-definition.js';
import { emptyDriftSums, estimateDriftRates } from './contract-drift.js';
import { createContract } from './create-contract.js';
import type { TurnRecord } from './turn-record.js';

/** An invariant broken at every step whose text names it (e.g. text 'S1 S2'). */
const marked = (name: string, kind: 'hard' | 'soft'): Invariant => ({
  name,
  kind,
  description: `${name} holds.`,
  holds: (step) => !step.text.split(' ').includes(name),
});

/** Turns whose texts are the given marks, without tool calls. */
const steps = (...texts: string[]): TurnRecord[] =>
  texts.map((text, index) => ({ turn: index + 1, text, actions: [], observations: [] }));

const contractOf = (options: Partial<ContractOptions> = {}) =>
  createContract({
    name: 'fixture',
    invariants: [marked('H', 'hard'), marked('S1', 'soft'), marked('S2', 'soft')],
    satisfaction: { p: 0.7, delta: 0.2, k: 2 },
    ...options,
  });

const check = (texts: string[], options?: Partial<ContractOptions>) =>
  checkContract(contractOf(options), { runId: 'r', task: 'Fix it.', turns: steps(...texts) })
    .compliance;

describe('contract compliance, by the definitions of Agent Behavioral Contracts', () => {
  // Steps: –, S1, S1 S2, S2, S2, –   (k = 2, δ = 0.2; rules H, S1, S2)
  const fixture = ['', 'S1', 'S1 S2', 'S2', 'S2', ''];

  it('soft compliance is the mean over steps of the fraction of soft rules that held', () => {
    // 1, 0.5, 0, 0.5, 0.5, 1 → 3.5 / 6
    expect(check(fixture).soft.compliance).toBeCloseTo(3.5 / 6, 12);
  });

  it('an episode is recovered when its rule holds again within k steps of its first violation', () => {
    const compliance = check(fixture);
    // S1 broken at 2–3, holds at 4: 2 steps ≤ k. S2 broken at 3–5, holds at 6: 3 steps > k.
    expect(compliance.soft.episodes).toBe(2);
    expect(compliance.soft.recoveredWithinK).toBe(1);
    expect(compliance.soft.recoveryRate).toBe(0.5);
    expect(compliance.soft.meanRecoverySteps).toBe(2);
    expect(compliance.rules).toEqual({
      'invariant:S1': { steps: 2, firstTurn: 2 },
      'invariant:S2': { steps: 3, firstTurn: 3 },
    });
  });

  it('recovery exactly k steps after the violation counts; k + 1 does not', () => {
    expect(check(['S1', 'S1', ''], {}).soft.recoveredWithinK).toBe(1);
    expect(check(['S1', 'S1', 'S1', ''], {}).soft.recoveredWithinK).toBe(0);
  });

  it('an episode still open when the run ends is not recovered', () => {
    const compliance = check(['', '', '', '', '', '', '', '', '', 'S1']);
    expect(compliance.soft.compliance).toBeCloseTo(0.95, 12);
    expect(compliance.soft.episodes).toBe(1);
    expect(compliance.soft.recoveredWithinK).toBe(0);
    expect(compliance.satisfied).toBe(false);
  });

  it('hard compliance is the fraction of steps at which every hard rule held', () => {
    const compliance = check(['', 'H', 'H S1', '']);
    expect(compliance.hard.violatedSteps).toBe(2);
    expect(compliance.hard.compliance).toBe(0.5);
    expect(compliance.satisfied).toBe(false);
  });

  it('a run (δ, k)-satisfies the contract only with no hard violation, soft compliance ≥ 1 − δ and every episode recovered', () => {
    // 10 steps, S1 broken at 3 and 4, recovered at 5: soft compliance (8 + 2·0.5)/10 = 0.9 ≥ 0.8.
    const ok = check(['', '', 'S1', 'S1', '', '', '', '', '', '']);
    expect(ok.soft.compliance).toBeCloseTo(0.9, 12);
    expect(ok.satisfied).toBe(true);
    // The same with δ = 0.05: 0.9 < 0.95.
    expect(
      check(['', '', 'S1', 'S1', '', '', '', '', '', ''], {
        satisfaction: { p: 0.7, delta: 0.05, k: 2 },
      }).satisfied,
    ).toBe(false);
    expect(check(fixture).satisfied).toBe(false);
  });

  it('a failed precondition makes the run unsatisfied, whatever its steps', () => {
    const compliance = check(['', ''], {
      preconditions: [
        {
          name: 'has-tests',
          description: 'The task names a test.',
          holds: (start) => start.task.includes('test'),
        },
      ],
    });
    expect(compliance.preconditionsMet).toBe(false);
    expect(compliance.preconditionsFailed).toEqual(['has-tests']);
    expect(compliance.hard.compliance).toBe(1);
    expect(compliance.satisfied).toBe(false);
  });

  it('drift D(t) is the fraction of rules broken; α and γ are the least-squares fit of ΔD = α − γ·D', () => {
    // D = 0, 1/3, 2/3, 1/3, 1/3, 0. Pairs (D, ΔD): (0, 1/3) (1/3, 1/3) (2/3, −1/3) (1/3, 0) (1/3, −1/3)
    // Σx = 5/3, Σy = 0, Σx² = 7/9, Σxy = −2/9, n = 5 → slope = (5·(−2/9)) / (5·7/9 − 25/9) = −1,
    // γ = 1, α = (0 + 5/3) / 5 = 1/3, D* = α/γ = 1/3.
    const { drift } = check(fixture);
    expect(drift.mean).toBeCloseTo(5 / 18, 12);
    expect(drift.max).toBeCloseTo(2 / 3, 12);
    expect(drift.gamma).toBeCloseTo(1, 12);
    expect(drift.alpha).toBeCloseTo(1 / 3, 12);
    expect(drift.bound).toBeCloseTo(1 / 3, 12);
    expect(drift.bounded).toBe(true);
  });

  it('for one rule, α is the chance of breaking it after a compliant step and α/γ the stationary share of broken steps', () => {
    // D = 0,1,1,0,0,1,0: after 0 → broken 2 of 3 times (α = 2/3); after 1 → restored 2 of 3 (α − γ = −2/3).
    const contract = createContract({ name: 'one', invariants: [marked('S1', 'soft')] });
    const { drift } = checkContract(contract, {
      runId: 'r',
      task: 't',
      turns: steps('', 'S1', 'S1', '', '', 'S1', ''),
    }).compliance;
    expect(drift.alpha).toBeCloseTo(2 / 3, 12);
    expect(drift.gamma).toBeCloseTo(4 / 3, 12);
    expect(drift.bound).toBeCloseTo(0.5, 12);
  });

  it('drift that never varies has no recovery rate, and a run of one step no rates at all', () => {
    expect(check(['', '', '']).drift).toMatchObject({
      mean: 0,
      alpha: 0,
      gamma: null,
      bound: null,
    });
    expect(estimateDriftRates(emptyDriftSums())).toMatchObject({ steps: 0, alpha: null });
  });

  it('an agent (p, δ, k)-satisfies the contract when at least a fraction p of its runs do', () => {
    const good = ['', '', '', '', '', '', '', '', '', ''];
    const runs = [check(good), check(good), check(good), check(fixture)];
    const summary = summarizeContractCompliance(runs);
    expect(summary.runsSatisfied).toBe(3);
    expect(summary.satisfiedFraction).toBe(0.75);
    expect(summary.satisfied).toBe(true); // p = 0.7
    expect(summarizeContractCompliance(runs, { p: 0.8, delta: 0.2, k: 2 }).satisfied).toBe(false);
    // Pooled over 36 steps: soft (30 + 3.5) / 36; episodes 2, recovered 1.
    expect(summary.steps).toBe(36);
    expect(summary.softCompliance).toBeCloseTo(33.5 / 36, 12);
    expect(summary.hardCompliance).toBe(1);
    expect(summary.hardCompliantRuns).toBe(4);
    expect(summary.recoveryRate).toBe(0.5);
    expect(summary.rules['invariant:S2']).toEqual({ steps: 3, runs: 1 });
  });

  it('a rule that throws counts as broken, with the error as evidence, and the run goes on', () => {
    const throwing = createContract({
      name: 'throwing',
      preconditions: [
        {
          name: 'reads-task',
          description: 'd',
          holds: () => {
            throw new Error('no task parser');
          },
        },
      ],
      invariants: [
        {
          name: 'answers',
          kind: 'soft',
          description: 'd',
          holds: (step) => {
            if (step.text === 'boom') throw new Error('cannot read the answer');
            return true;
          },
        },
      ],
      governance: [
        {
          name: 'tracked',
          kind: 'soft',
          description: 'd',
          allows: () => true,
          track: {
            initial: 0,
            update: (count: number) => {
              if (count >= 1) throw new Error('tracker broke');
              return count + 1;
            },
          },
        },
      ],
    });
    const call = { name: 'run', arguments: '{"command":"ls"}' };
    const turns: TurnRecord[] = [
      {
        turn: 1,
        text: 'boom',
        actions: [call],
        observations: [{ name: 'run', status: 'ok', text: '' }],
      },
      {
        turn: 2,
        text: '',
        actions: [call],
        observations: [{ name: 'run', status: 'ok', text: '' }],
      },
      { turn: 3, text: '', actions: [], observations: [] },
    ];
    const check = checkContract(throwing, { runId: 'r', task: 't', turns });
    expect(
      check.violations.map((violation) => [
        violation.rule,
        violation.turn,
        violation.evidence.error,
      ]),
    ).toEqual([
      ['reads-task', 0, 'no task parser'],
      ['answers', 1, 'cannot read the answer'],
      ['tracked', 2, 'tracker broke'],
    ]);
    expect(check.compliance.steps).toBe(3);
    expect(check.compliance.preconditionsMet).toBe(false);
    // Steps 1 and 2 each broke one of two soft rules: (0.5 + 0.5 + 1) / 3.
    expect(check.compliance.soft.compliance).toBeCloseTo(2 / 3, 12);
  });
});
