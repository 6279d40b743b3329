import { describe, expect, it } from 'vitest';
import { actionTurn, createView, numbered, silentTurn } from '../test/replay.js';
import type { Finding } from './monitor.js';
import { createStuckMonitor, type StuckMonitorOptions } from './stuck-monitor.js';
import { type TurnRecord, toObservedTurn } from './turn-record.js';

function findings(records: readonly TurnRecord[], options: StuckMonitorOptions = {}): Finding[] {
  const session = createStuckMonitor(options).open({ runId: 'r', task: 't' });
  const view = createView();
  return records.flatMap((record) => session.observe(toObservedTurn(record), view) ?? []);
}

/** The action preview of `actionTurn(…, command, …)`: `name arguments`. */
const preview = (command: string) => `bash ${JSON.stringify({ command })}`;

/** A turn cut by the context window: no action, finish reason `length`. */
const cut = (): Omit<TurnRecord, 'turn'> => ({
  text: '',
  actions: [],
  observations: [],
  finishReason: 'length',
});

const stuck = (pattern: string, turn: number, message: string) => ({
  monitor: 'stuck',
  category: 'stuck',
  pattern,
  event: 'stuck.detected',
  message,
  turn,
});

describe('the stuck monitor’s findings, as reported', () => {
  it('repeating-action-observation: the message, the counts and the repeated action', () => {
    const records = numbered(
      Array.from({ length: 4 }, () => actionTurn(0, 'pytest -x', '1 failed')),
    );
    expect(findings(records)).toStrictEqual([
      {
        ...stuck(
          'repeating-action-observation',
          4,
          'The same action returned the same observation 4 times in a row.',
        ),
        action: preview('pytest -x'),
        evidence: {
          pattern: 'repeating-action-observation',
          repeats: 4,
          threshold: 4,
          action: preview('pytest -x'),
        },
      },
    ]);
  });

  it('repeating-action-error: the message and the counts', () => {
    const records = numbered(
      Array.from({ length: 3 }, (_, index) => actionTurn(0, 'make', `Error ${index}`, 'error')),
    );
    expect(findings(records)).toStrictEqual([
      {
        ...stuck('repeating-action-error', 3, 'The same action failed 3 times in a row.'),
        action: preview('make'),
        evidence: {
          pattern: 'repeating-action-error',
          repeats: 3,
          threshold: 3,
          action: preview('make'),
        },
      },
    ]);
  });

  it('repeating-action-error needs every one of the turns to fail, not only the last', () => {
    const records = numbered([
      actionTurn(0, 'make', 'built'),
      actionTurn(0, 'make', 'built'),
      actionTurn(0, 'make', 'Error 2', 'error'),
    ]);
    expect(findings(records)).toEqual([]);
  });

  it('monologue: no action, so no action in the finding or its evidence', () => {
    const records = numbered([silentTurn(0), silentTurn(0), silentTurn(0)]);
    expect(findings(records)).toStrictEqual([
      {
        ...stuck('monologue', 3, '3 turns in a row without an action.'),
        evidence: { pattern: 'monologue', turnsWithoutAction: 3, threshold: 3 },
      },
    ]);
  });

  it('alternating-pattern: the message, the length, and both actions in 200 characters', () => {
    const a = `cat ${'src/a/'.repeat(25)}x.py`; // previews of 165 characters each
    const b = `cat ${'src/b/'.repeat(25)}y.py`;
    const records = numbered(
      Array.from({ length: 6 }, (_, index) =>
        index % 2 === 0 ? actionTurn(0, a, 'ok') : actionTurn(0, b, 'no such file'),
      ),
    );
    expect(findings(records)).toStrictEqual([
      {
        ...stuck(
          'alternating-pattern',
          6,
          'Two actions have alternated with the same observations for 6 turns.',
        ),
        // The turn before the last, then the last, one a line, cut at 200 characters.
        action: `${preview(a)}\n${preview(b)}`.slice(0, 200),
        evidence: {
          pattern: 'alternating-pattern',
          length: 6,
          threshold: 6,
          action: `${preview(a)}\n${preview(b)}`.slice(0, 200),
        },
      },
    ]);
  });

  it('context-window-loop: the message and the count', () => {
    const records = numbered(Array.from({ length: 10 }, cut));
    expect(findings(records, { monologue: 0 })).toStrictEqual([
      {
        ...stuck(
          'context-window-loop',
          10,
          '10 model calls in a row were cut by the context window.',
        ),
        evidence: { pattern: 'context-window-loop', contextWindowErrors: 10, threshold: 10 },
      },
    ]);
  });
});

describe('alternation', () => {
  const abab = (length: number) =>
    numbered(
      Array.from({ length }, (_, index) =>
        index % 2 === 0
          ? actionTurn(0, 'git stash', 'Saved')
          : actionTurn(0, 'git stash pop', 'Dropped'),
      ),
    );

  it('of length 4 fires at the 4th turn; 0 turns it off', () => {
    expect(
      findings(abab(4), { alternation: 4 }).map((found) => `${found.turn} ${found.pattern}`),
    ).toEqual(['4 alternating-pattern']);
    expect(findings(abab(6), { alternation: 0 })).toEqual([]);
  });

  it('needs an action at every turn: an action between turns without one is not an alternation', () => {
    const records = numbered(
      Array.from({ length: 6 }, (_, index) =>
        index % 2 === 0 ? actionTurn(0, 'ls', 'a.py') : silentTurn(0),
      ),
    );
    expect(findings(records)).toEqual([]);
  });

  it('needs the same observations: actions that alternate over changing outputs are progress', () => {
    const records = numbered(
      Array.from({ length: 6 }, (_, index) =>
        index % 2 === 0
          ? actionTurn(0, 'tail -n 5 build.log', `compiling module ${'abcdef'[index]}`)
          : actionTurn(0, 'sleep 10', ''),
      ),
    );
    expect(findings(records)).toEqual([]);
  });
});

describe('thresholds of 0 turn patterns off', () => {
  it('repeat patterns', () => {
    const records = numbered(
      Array.from({ length: 5 }, () => actionTurn(0, 'make', 'Error 2', 'error')),
    );
    expect(findings(records, { repeatedActionObservation: 0, repeatedActionError: 0 })).toEqual([]);
  });

  it('context-window errors', () => {
    const records = numbered([cut(), actionTurn(0, 'ls', 'a.py'), cut(), cut()]);
    expect(findings(records, { contextWindowErrors: 0, monologue: 0 })).toEqual([]);
  });
});

describe('near-duplicate loops', () => {
  const near = (found: Finding[]) =>
    found.filter((finding) => finding.pattern === 'near-duplicate-loop');

  it('are not exact repeats: those are the other pattern, whatever its threshold', () => {
    const records = numbered(Array.from({ length: 5 }, () => actionTurn(0, 'pytest', '1 failed')));
    expect(findings(records, { repeatedActionObservation: 6 })).toEqual([]);
  });

  it('need alike actions: different commands with the same output are no loop', () => {
    const records = numbered(
      ['ls src', 'git status --short', 'python -m pytest tests', 'cat setup.cfg'].map((command) =>
        actionTurn(0, command, 'ok'),
      ),
    );
    expect(findings(records)).toEqual([]);
  });

  it('fire when the actions are exactly as alike as the threshold, with the similarities', () => {
    // Actions `bash {"command":"ls X"}`: tokens bash, command, ls, X; 4 tokens and 3 pairs.
    // Two of them share 3 tokens and 2 pairs: Jaccard 5 / (7 + 7 − 5) = 5/9 ≈ 0.556.
    const records = numbered(['a', 'b', 'c', 'd'].map((x) => actionTurn(0, `ls ${x}`, 'ok')));
    const found = findings(records, { nearDuplicateSimilarity: 5 / 9 });
    expect(found).toStrictEqual([
      {
        ...stuck(
          'near-duplicate-loop',
          4,
          'Nearly the same action and observation 4 times in a row.',
        ),
        action: preview('ls d'),
        evidence: {
          pattern: 'near-duplicate-loop',
          repeats: 4,
          threshold: 4,
          actionSimilarity: 0.556,
          observationSimilarity: 1,
          action: preview('ls d'),
        },
      },
    ]);
    expect(findings(records, { nearDuplicateSimilarity: 0.56 })).toEqual([]);
  });

  it('fire when the observations are exactly as alike as the threshold', () => {
    // Observations `state waiting X`: 3 tokens and 2 pairs; two share 2 tokens and 1 pair:
    // Jaccard 3 / (5 + 5 − 3) = 3/7 ≈ 0.429. The command is the same each time.
    const records = numbered(
      ['a', 'b', 'c', 'd'].map((x) => actionTurn(0, 'curl -s localhost', `state waiting ${x}`)),
    );
    expect(near(findings(records, { nearDuplicateSimilarity: 3 / 7 }))[0]?.evidence).toEqual({
      pattern: 'near-duplicate-loop',
      repeats: 4,
      threshold: 4,
      actionSimilarity: 1,
      observationSimilarity: 0.429,
      action: preview('curl -s localhost'),
    });
    expect(findings(records, { nearDuplicateSimilarity: 0.43 })).toEqual([]);
  });

  it('are broken by a turn without an action, however low the threshold', () => {
    const records = numbered([
      actionTurn(0, 'ls a', 'ok'),
      actionTurn(0, 'ls b', 'ok'),
      silentTurn(0),
      actionTurn(0, 'ls c', 'ok'),
    ]);
    expect(findings(records, { nearDuplicateSimilarity: 0, monologue: 0 })).toEqual([]);
  });
});

describe('the stuck monitor’s snapshot', () => {
  it('carries the window over a resume: a repeat across it is found', () => {
    const monitor = createStuckMonitor();
    const view = createView();
    const records = numbered(Array.from({ length: 4 }, () => actionTurn(0, 'pytest', '1 failed')));
    const first = monitor.open({ runId: 'r', task: 't' });
    for (const record of records.slice(0, 2)) first.observe(toObservedTurn(record), view);
    const state = JSON.parse(JSON.stringify(first.snapshot()));
    const second = monitor.open({ runId: 'r', task: 't', state });
    const found = records
      .slice(2)
      .flatMap((record) => second.observe(toObservedTurn(record), view) ?? []);
    expect(found.map((finding) => `${finding.turn} ${finding.pattern}`)).toEqual([
      '4 repeating-action-observation',
    ]);
  });

  it('keeps only the last turns, as many as the largest threshold', () => {
    const records = numbered(
      Array.from({ length: 10 }, (_, index) =>
        actionTurn(0, `echo step${'abcdefghij'[index]}`, 'ok'),
      ),
    );
    const window = (options: StuckMonitorOptions) => {
      const session = createStuckMonitor(options).open({ runId: 'r', task: 't' });
      for (const record of records) session.observe(toObservedTurn(record), createView());
      return (session.snapshot() as { window: { turn: number }[] }).window.map(
        (entry) => entry.turn,
      );
    };
    // Defaults: max(4, 3, 6, 4) = 6 turns.
    expect(window({})).toEqual([5, 6, 7, 8, 9, 10]);
    expect(window({ alternation: 8 })).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
