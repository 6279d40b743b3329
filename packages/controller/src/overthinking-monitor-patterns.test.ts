import { describe, expect, it } from 'vitest';
import { createView } from '../test/replay.js';
import type { Finding, Monitor } from './monitor.js';
import {
  createOverthinkingMonitor,
  type OverthinkingMonitorOptions,
} from './overthinking-monitor.js';
import { type TurnAction, type TurnRecord, toObservedTurn } from './turn-record.js';

const bash = (command: string): TurnAction => ({ name: 'bash', arguments: command });
const edit = bash("sed -i 's/a/b/' parser.py");
const runTests = bash('pytest -q');
const list = bash('ls -la');

/** Turn `turn` taking `actions`, each answered `status`; no action makes a silent turn. */
function turnOf(turn: number, actions: TurnAction[], status: 'ok' | 'error' = 'ok'): TurnRecord {
  return {
    turn,
    text: actions.length === 0 ? 'Thinking it over.' : 'Acting.',
    actions,
    observations: actions.map((action) => ({ name: action.name, status, text: 'output' })),
  };
}

/** Observes turns numbered from 1 (or `first`), returning what each observe returned. */
function observe(
  monitor: Monitor,
  turns: (TurnAction[] | [TurnAction[], 'error'])[],
  state?: unknown,
  first = 1,
) {
  const session = monitor.open({ runId: 'r', task: 'Fix the parser.', state });
  const view = createView();
  const results = turns.map((spec, index) => {
    const record =
      spec.length === 2 && spec[1] === 'error'
        ? turnOf(first + index, spec[0] as TurnAction[], 'error')
        : turnOf(first + index, spec as TurnAction[]);
    return session.observe(toObservedTurn(record), view);
  });
  return { session, results };
}
const findingsOf = (
  turns: (TurnAction[] | [TurnAction[], 'error'])[],
  options?: OverthinkingMonitorOptions,
  state?: unknown,
): Finding[] =>
  observe(createOverthinkingMonitor(options), turns, state).results.flatMap((found) => found ?? []);
const summary = (findings: Finding[]) => findings.map((found) => `${found.turn}:${found.pattern}`);

describe('overthinking: analysis paralysis', () => {
  it('reports three silent turns of three, with the whole finding', () => {
    const { results } = observe(createOverthinkingMonitor(), [[], [], []]);
    expect(results[0]).toBeUndefined();
    expect(results[1]).toBeUndefined();
    expect(results[2]).toStrictEqual([
      {
        monitor: 'overthinking',
        category: 'overthinking',
        pattern: 'analysis-paralysis',
        event: 'overthinking.detected',
        message: '3 of the last 3 turns took no action.',
        turn: 3,
        evidence: {
          pattern: 'analysis-paralysis',
          turnsWithoutAction: 3,
          window: 3,
          threshold: 3,
        },
      },
    ]);
  });

  it('counts over the last five turns only', () => {
    // S A S A S S: turn 5 sees S A S A S (3 of 5), turn 6 sees A S A S S (3 of 5).
    const findings = findingsOf([[], [list], [], [list], [], []]);
    expect(findings.map((found) => [found.turn, found.message, found.evidence])).toEqual([
      [
        5,
        '3 of the last 5 turns took no action.',
        { pattern: 'analysis-paralysis', turnsWithoutAction: 3, window: 5, threshold: 3 },
      ],
      [
        6,
        '3 of the last 5 turns took no action.',
        { pattern: 'analysis-paralysis', turnsWithoutAction: 3, window: 5, threshold: 3 },
      ],
    ]);
    // S S A A A A S: turn 7 sees A A A A S (1 of 5); the first two silent turns left the window.
    expect(findingsOf([[], [], [list], [list], [list], [list], []])).toEqual([]);
  });

  it('needs the threshold exactly, and only on a silent turn', () => {
    // Two silent of five: under 3.
    expect(findingsOf([[], [list], []])).toEqual([]);
    // S S S then an acting turn: still 3 silent in the window, but this turn acted.
    expect(summary(findingsOf([[], [], [], [list]]))).toEqual(['3:analysis-paralysis']);
  });

  it('takes its threshold and window from the options', () => {
    const findings = findingsOf([[], []], { paralysisTurns: 2, paralysisWindow: 3 });
    expect(findings.map((found) => [found.message, found.evidence])).toEqual([
      [
        '2 of the last 2 turns took no action.',
        { pattern: 'analysis-paralysis', turnsWithoutAction: 2, window: 2, threshold: 2 },
      ],
    ]);
    // Window 2: S S A S sees A S at turn 4 (1 of 2).
    expect(
      summary(findingsOf([[], [], [list], []], { paralysisTurns: 2, paralysisWindow: 2 })),
    ).toEqual(['2:analysis-paralysis']);
  });
});

describe('overthinking: rogue actions', () => {
  const burst = [bash('rm -rf build'), bash('make clean')];

  it('reports two actions right after a failed turn, with the actions', () => {
    const { results } = observe(createOverthinkingMonitor(), [[[bash('make')], 'error'], burst]);
    expect(results[0]).toBeUndefined();
    expect(results[1]).toStrictEqual([
      {
        monitor: 'overthinking',
        category: 'overthinking',
        pattern: 'rogue-actions',
        event: 'overthinking.detected',
        message: '2 actions in one turn right after a failure, without waiting for feedback.',
        turn: 2,
        action: 'bash rm -rf build\nbash make clean',
        evidence: { pattern: 'rogue-actions', actions: 2, threshold: 2 },
      },
    ]);
  });

  it('needs a failure just before and at least the threshold of actions', () => {
    // One action after a failure.
    expect(findingsOf([[[bash('make')], 'error'], [bash('make clean')]])).toEqual([]);
    // Two actions after a turn that went well, or on the first turn.
    expect(findingsOf([[bash('make')], burst])).toEqual([]);
    expect(findingsOf([burst])).toEqual([]);
    // The failure two turns back does not count.
    expect(findingsOf([[[bash('make')], 'error'], [list], burst])).toEqual([]);
  });

  it('takes its threshold from the options', () => {
    const failed: [TurnAction[], 'error'] = [[bash('make')], 'error'];
    expect(findingsOf([failed, burst], { rogueActions: 3 })).toEqual([]);
    const three = [...burst, bash('make all')];
    const findings = findingsOf([failed, three], { rogueActions: 3 });
    expect(findings.map((found) => [found.turn, found.message, found.evidence])).toEqual([
      [
        2,
        '3 actions in one turn right after a failure, without waiting for feedback.',
        { pattern: 'rogue-actions', actions: 3, threshold: 3 },
      ],
    ]);
  });
});

describe('overthinking: premature disengagement', () => {
  it('reports finishing by a submit action after an unverified edit, with the whole finding', () => {
    const { results } = observe(createOverthinkingMonitor({ name: 'over' }), [
      [edit],
      [{ name: 'submit', arguments: '' }],
    ]);
    expect(results[0]).toBeUndefined();
    expect(results[1]).toStrictEqual([
      {
        monitor: 'over',
        category: 'overthinking',
        pattern: 'premature-disengagement',
        event: 'overthinking.detected',
        message: 'Finishing without verifying the last edit.',
        turn: 2,
        evidence: { pattern: 'premature-disengagement', lastEditTurn: 1, lastVerificationTurn: 0 },
      },
    ]);
  });

  it('does not count an action that neither edits nor verifies as a verification', () => {
    expect(summary(findingsOf([[edit], [list], []]))).toEqual(['3:premature-disengagement']);
    expect(findingsOf([[edit], [runTests], []])).toEqual([]);
    // Finishing with no edit at all.
    expect(findingsOf([[runTests], [{ name: 'submit', arguments: '' }]])).toEqual([]);
  });

  it('orders the actions of one turn: a verification before the edit does not verify it', () => {
    const findings = findingsOf([[runTests, edit], []]);
    expect(findings.map((found) => [found.turn, found.evidence])).toEqual([
      [2, { pattern: 'premature-disengagement', lastEditTurn: 1, lastVerificationTurn: 1 }],
    ]);
    expect(findingsOf([[edit, runTests], []])).toEqual([]);
    // Edit, verify, edit in one turn: the second edit is unverified.
    expect(summary(findingsOf([[edit, runTests, edit], []]))).toEqual([
      '2:premature-disengagement',
    ]);
  });
});

describe('overthinking: resuming from a snapshot', () => {
  it('snapshots the window, the failure and the last edit and verification turns', () => {
    const { session } = observe(createOverthinkingMonitor(), [
      [edit],
      [],
      [[bash('make')], 'error'],
    ]);
    // make is a verification at turn 3; the edit was at turn 1.
    expect(session.snapshot()).toStrictEqual({
      version: 1,
      recentSilent: [false, true, false],
      previousFailed: true,
      lastEditTurn: 1,
      lastVerificationTurn: 3,
    });
    expect(observe(createOverthinkingMonitor(), []).session.snapshot()).toStrictEqual({
      version: 1,
      recentSilent: [],
      previousFailed: false,
      lastEditTurn: 0,
      lastVerificationTurn: 0,
    });
  });

  const resume = (before: (TurnAction[] | [TurnAction[], 'error'])[], after: TurnAction[][]) => {
    const saved = observe(createOverthinkingMonitor(), before).session.snapshot();
    return observe(createOverthinkingMonitor(), after, saved, before.length + 1).results.flatMap(
      (found) => found ?? [],
    );
  };

  it('remembers a failed last turn', () => {
    expect(summary(resume([[[bash('make')], 'error']], [[list, list]]))).toEqual([
      '2:rogue-actions',
    ]);
  });

  it('remembers the last edit and the last verification', () => {
    expect(summary(resume([[edit]], [[]]))).toEqual(['2:premature-disengagement']);
    expect(resume([[edit], [runTests]], [[]])).toEqual([]);
  });

  it('remembers the silent turns', () => {
    expect(summary(resume([[], []], [[]]))).toEqual(['3:analysis-paralysis']);
  });
});

describe('overthinking: classifiers from the options', () => {
  const done = { name: 'done', arguments: '' };
  const submit = { name: 'submit', arguments: '' };

  it('finishes on the given isFinish only', () => {
    const isFinish = (action: TurnAction) => action.name === 'done';
    expect(summary(findingsOf([[edit], [done]], { isFinish }))).toEqual([
      '2:premature-disengagement',
    ]);
    expect(findingsOf([[edit], [submit]], { isFinish })).toEqual([]);
  });

  it('edits on the given isEdit only', () => {
    const isEdit = (action: TurnAction) => action.name === 'modify';
    const modify = { name: 'modify', arguments: '' };
    expect(summary(findingsOf([[modify], [list], []], { isEdit }))).toEqual([
      '3:premature-disengagement',
    ]);
    expect(findingsOf([[edit], []], { isEdit })).toEqual([]);
  });

  it('verifies on the given isVerification only', () => {
    const isVerification = (action: TurnAction) => action.name === 'lint';
    const lint = { name: 'lint', arguments: '' };
    expect(findingsOf([[edit], [lint], []], { isVerification })).toEqual([]);
    expect(summary(findingsOf([[edit], [runTests], []], { isVerification }))).toEqual([
      '3:premature-disengagement',
    ]);
  });
});
