import type { Interrupt, InterruptKind } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createView, type MutableView, numbered } from '../test/replay.js';
import { createDriftMonitor, type DriftMonitorOptions } from './drift-monitor.js';
import type { Finding, MonitorSession } from './monitor.js';
import { type TurnRecord, toObservedTurn } from './turn-record.js';

const task = 'Fix the parser so that dates parse.';

/** One turn: the same words every time, one action of `tool`, its observation. */
const toolTurn = (tool: string): Omit<TurnRecord, 'turn'> => ({
  text: 'Reading the parser module again.',
  actions: [{ name: tool, arguments: '{"path":"parser.py"}' }],
  observations: [{ name: tool, status: 'ok', text: 'ok' }],
});
/** A turn that only says `text`: no action, so only its answer is compared with the intent. */
const saying = (text: string): Omit<TurnRecord, 'turn'> => ({
  text,
  actions: [],
  observations: [],
});
const repeat = (count: number, make: () => Omit<TurnRecord, 'turn'>) =>
  Array.from({ length: count }, make);

const update = (kind: InterruptKind, turn: number): Interrupt => ({
  id: `u${turn}`,
  kind,
  text: 'Only the ISO dates, not the US ones.',
  urgency: 'next-turn',
  receivedAt: 0,
  turn,
});

/** Observes `records` (numbered from `from`), applying `updates[turn]` to the view before that turn. */
function observeWith(
  session: MonitorSession,
  view: MutableView,
  records: readonly Omit<TurnRecord, 'turn'>[],
  updates: Readonly<Record<number, Interrupt>> = {},
  from = 1,
): Finding[] {
  return numbered(records).flatMap((numberedRecord) => {
    const record = { ...numberedRecord, turn: numberedRecord.turn + from - 1 };
    const pending = updates[record.turn];
    if (pending !== undefined) view.intentUpdates.push(pending);
    return session.observe(toObservedTurn(record), view) ?? [];
  });
}

const observe = (
  options: DriftMonitorOptions,
  records: readonly Omit<TurnRecord, 'turn'>[],
  updates: Readonly<Record<number, Interrupt>> = {},
) =>
  observeWith(
    createDriftMonitor(options).open({ runId: 'r', task }),
    createView({ task }),
    records,
    updates,
  );

const evidenceOf = (finding: Finding | undefined) => finding?.evidence as Record<string, number>;

/**
 * Five turns of `read`, then turns of `write`: every later window swaps every tool. Its index is
 * (0.30·1 + 0.25·⅓ + 0.20·1) ÷ 0.75 = 0.7778 (as in drift-monitor.test.ts): 0.778 rounded to
 * three places, "0.78" in the message.
 */
const swapped = (windows: number) => [
  ...repeat(5, () => toolTurn('read')),
  ...repeat(5 * windows, () => toolTurn('write')),
];
const swappedAsi = 0.778;

describe('drift reported from the Agent Stability Index', () => {
  it('reports a window below the threshold as drift.detected, with the index and the window', () => {
    const findings = observe({ window: 5, threshold: 0.8, consecutiveWindows: 1 }, swapped(1));
    expect(findings).toEqual([
      {
        monitor: 'drift',
        category: 'drift',
        pattern: 'agent-stability-index',
        event: 'drift.detected',
        message: 'Agent Stability Index 0.78 < 0.8 for 1 consecutive windows.',
        turn: 10,
        evidence: expect.objectContaining({
          asi: swappedAsi,
          threshold: 0.8,
          lowWindows: 1,
          // The baseline (turns 1–5) is window 1.
          window: 2,
          windowTurns: 5,
        }),
      },
    ]);
  });

  it('waits for the given number of consecutive low windows', () => {
    const findings = observe(
      { name: 'asi', window: 5, threshold: 0.8, consecutiveWindows: 2 },
      swapped(2),
    );
    expect(findings.map((finding) => [finding.monitor, finding.turn, finding.message])).toEqual([
      ['asi', 15, 'Agent Stability Index 0.78 < 0.8 for 2 consecutive windows.'],
    ]);
    expect(evidenceOf(findings[0])).toMatchObject({ lowWindows: 2, window: 3 });
  });

  it('continues its window count and low windows from a snapshot', () => {
    const monitor = createDriftMonitor({ window: 5, threshold: 0.8, consecutiveWindows: 3 });
    const view = createView({ task });
    const first = monitor.open({ runId: 'r', task });
    // Turns 1–10: the baseline and one low window.
    expect(observeWith(first, view, swapped(1))).toEqual([]);
    const saved = JSON.parse(JSON.stringify(first.snapshot?.()));
    const resumed = monitor.open({ runId: 'r', task, state: saved });
    // Turns 11–20: windows 3 and 4, the second and third low windows in a row.
    const findings = observeWith(
      resumed,
      view,
      repeat(10, () => toolTurn('write')),
      {},
      11,
    );
    expect(findings.map((finding) => [finding.turn, finding.message])).toEqual([
      [20, 'Agent Stability Index 0.78 < 0.8 for 3 consecutive windows.'],
    ]);
    expect(evidenceOf(findings[0])).toMatchObject({ window: 4, lowWindows: 3, asi: swappedAsi });
  });
});

describe('drift reported from the similarity to the current intent', () => {
  /** The baseline window (turns 1–4) echoes the task; the threshold 0 keeps the index silent. */
  const withBaseline = (scored: Omit<TurnRecord, 'turn'>[]) => [
    ...repeat(4, () => saying(task)),
    ...scored,
  ];
  // An answer that is the task has similarity 1 to it; an empty answer with no action, 0.
  // One of each and two more empty ones: a mean of (1 + 0 + 0 + 0) / 4 = 0.25.
  const quarter = withBaseline([saying(task), saying(''), saying(''), saying('')]);

  it('reports a window whose mean similarity is below minIntentSimilarity', () => {
    const findings = observe({ window: 4, threshold: 0, minIntentSimilarity: 0.3 }, quarter);
    expect(findings).toEqual([
      {
        monitor: 'drift',
        category: 'drift',
        pattern: 'intent-similarity',
        event: 'drift.detected',
        message: 'The last 4 turns have a mean similarity of 0.25 to the current intent (< 0.3).',
        turn: 8,
        evidence: expect.objectContaining({
          intentSimilarity: 0.25,
          minIntentSimilarity: 0.3,
          window: 2,
          windowTurns: 4,
          lowWindows: 0,
        }),
      },
    ]);
  });

  it('is silent at the bound, above it, and without minIntentSimilarity', () => {
    expect(observe({ window: 4, threshold: 0, minIntentSimilarity: 0.25 }, quarter)).toEqual([]);
    const onTask = withBaseline(repeat(4, () => saying(task)));
    expect(observe({ window: 4, threshold: 0, minIntentSimilarity: 0.3 }, onTask)).toEqual([]);
    expect(observe({ window: 4, threshold: 0 }, quarter)).toEqual([]);
  });

  it('compares with the intent as updated since, not with the task alone', () => {
    // After the revision the intent reads as follows; the window that says it exactly scores 1.
    const revised = `${task}\n\nUpdates since:\n1. (revision) Only the ISO dates, not the US ones.`;
    const findings = observe(
      { window: 4, threshold: 1.01, consecutiveWindows: 1, rebaselineOnIntentUpdate: false },
      withBaseline([...repeat(4, () => saying(revised)), ...repeat(4, () => saying(revised))]),
      { 5: update('revision', 5) },
    );
    expect(findings.map((finding) => [finding.turn, evidenceOf(finding).intentSimilarity])).toEqual(
      [
        [8, 1],
        [12, 1],
      ],
    );
  });
});

describe('a new baseline after an intent update', () => {
  /** Every scored window reports. */
  const everyWindow = { window: 5, threshold: 1.01, consecutiveWindows: 1 } as const;
  const steady = repeat(20, () => toolTurn('read'));
  const reportedAt = (kind: InterruptKind) =>
    observe(everyWindow, steady, { 11: update(kind, 11) }).map((finding) => finding.turn);

  it('starts after an addition, a revision or a retraction: turns 11–15 are the new baseline', () => {
    for (const kind of ['addition', 'revision', 'retraction'] as const) {
      expect(reportedAt(kind)).toEqual([10, 20]);
    }
  });

  it('does not start after a stop or an answer-now, which leave the intent as it was', () => {
    for (const kind of ['stop', 'answer-now'] as const) {
      expect(reportedAt(kind)).toEqual([10, 15, 20]);
    }
  });

  it('counts an update made before the first turn as an override of the first scored window', () => {
    const findings = observe(everyWindow, steady, { 1: update('revision', 1) });
    // One override in the five turns of window 2: 1 − 1/5.
    expect(findings.map((finding) => [finding.turn, evidenceOf(finding).humanOverride])).toEqual([
      [10, 0.8],
      [15, 1],
      [20, 1],
    ]);
  });
});
