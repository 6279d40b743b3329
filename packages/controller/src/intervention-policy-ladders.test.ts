import type { Directive, RunView } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createView } from '../test/replay.js';
import type { Compaction } from './compaction.js';
import {
  createInterventionPolicy,
  type InterventionPolicyOptions,
  type InterventionSession,
  toWarning,
} from './intervention-policy.js';
import type { Finding } from './monitor.js';

/** A finding of `category` on `turn`. */
const finding = (category: string, turn: number, overrides: Partial<Finding> = {}): Finding => ({
  monitor: `${category}-monitor`,
  category,
  pattern: `${category}-pattern`,
  event: 'stuck.detected',
  message: `${category} seen.`,
  turn,
  evidence: { seen: turn },
  ...overrides,
});

/** The view before model call `turn + 1`. */
function viewAt(turn: number): RunView {
  const view = createView();
  view.turn = turn;
  return view;
}

/** A compaction that always replaces messages 2 to 6 with 'short', or never compacts. */
const fixedCompaction = (compacts: boolean): Compaction => ({
  compact: (_view, source) =>
    compacts ? { type: 'compact', from: 2, to: 7, summary: 'short', source } : undefined,
});

function open(options: InterventionPolicyOptions = {}, state?: unknown): InterventionSession {
  return createInterventionPolicy({ compaction: fixedCompaction(true), ...options }).open({
    runId: 'run-1',
    ...(state === undefined ? {} : { state }),
  });
}

/** The rungs taken (`step@level`) when each finding arrives alone on its own turn. */
function climb(session: InterventionSession, findings: readonly Finding[]): string[] {
  return findings.map((one) => {
    const steps = session
      .decide([one], viewAt(one.turn))
      .flatMap((directive) =>
        directive.type === 'emit' && directive.event.name === 'intervention.applied'
          ? [`${directive.event.evidence.step}@${directive.event.evidence.level}`]
          : [],
      );
    return steps.join(',') || '-';
  });
}

/** The `intervention.applied` event of `step` at `level` after `one`, on `turn`. */
const applied = (
  step: string,
  level: number,
  one: Finding,
  turn: number,
  policy = 'interventions',
): Directive => ({
  type: 'emit',
  event: {
    name: 'intervention.applied',
    policy,
    message: `${step} after ${one.category} (${one.pattern}).`,
    evidence: {
      step,
      level,
      turn,
      category: one.category,
      pattern: one.pattern,
      monitor: one.monitor,
    },
  },
});

describe('createInterventionPolicy directives', () => {
  it("warns, as 'interventions' by default, with the warning and an applied event", () => {
    const policy = createInterventionPolicy();
    expect(policy.name).toBe('interventions');
    const stuck = finding('stuck', 5, { action: 'bash ls' });
    expect(policy.open({ runId: 'r' }).decide([stuck], viewAt(5))).toEqual([
      {
        type: 'inject',
        role: 'user',
        content: toWarning(stuck),
        ephemeral: true,
        source: 'interventions',
      },
      applied('warn', 0, stuck, 5),
    ]);
  });

  it('re-anchors a drifting agent on the current intent', () => {
    const view = createView({ task: 'Fix the login bug.' });
    view.turn = 4;
    view.intentUpdates.push({
      id: 'i-1',
      kind: 'revision',
      text: 'Only the OAuth flow.',
      urgency: 'next-turn',
      receivedAt: 0,
      turn: 2,
    });
    const drift = finding('drift', 4);
    expect(open({ name: 'guard' }).decide([drift], view)).toEqual([
      {
        type: 'inject',
        role: 'user',
        content:
          'Reminder of your task, as it stands now:\nFix the login bug.\n\nUpdates since:\n1. (revision) Only the OAuth flow.',
        ephemeral: true,
        source: 'guard',
      },
      applied('reanchor', 0, drift, 4, 'guard'),
    ]);
  });

  it('compacts, reporting which messages were replaced and by how long a summary', () => {
    const stuck = finding('stuck', 6);
    expect(open({ escalation: { stuck: ['compact'] } }).decide([stuck], viewAt(6))).toEqual([
      { type: 'compact', from: 2, to: 7, summary: 'short', source: 'interventions' },
      {
        type: 'emit',
        event: {
          name: 'compaction.applied',
          policy: 'interventions',
          message: 'Replaced messages 2–6 with a summary.', // to 7 is exclusive
          evidence: { from: 2, to: 7, summaryChars: 5, category: 'stuck' },
        },
      },
      applied('compact', 0, stuck, 6),
    ]);
  });

  it('pauses with the category and message as the reason', () => {
    const stuck = finding('stuck', 2);
    expect(open({ escalation: { stuck: ['pause'] } }).decide([stuck], viewAt(2))).toEqual([
      { type: 'pause', reason: 'stuck: stuck seen.', source: 'interventions' },
      applied('pause', 0, stuck, 2),
    ]);
  });

  it("stops with the category as reason and the finding's evidence, without a forced answer", () => {
    const failing = finding('predicted-failure', 3);
    expect(open().decide([failing], viewAt(3))).toEqual([
      applied('stop', 0, failing, 3),
      {
        type: 'stop',
        reason: 'predicted-failure',
        message: 'predicted-failure seen.',
        source: 'interventions',
        evidence: { seen: 3 },
      },
    ]);
    const custom = finding('looping', 3);
    const [, stop] = open({ escalation: { looping: ['stop'] } }).decide([custom], viewAt(3));
    expect(stop).toEqual({
      type: 'stop',
      reason: 'looping',
      message: 'looping seen.',
      source: 'interventions',
      evidence: { seen: 3 },
    });
    expect(stop !== undefined && 'finalAnswer' in stop).toBe(false);
  });

  it("asks for a final answer on stop with finalAnswer 'force'", () => {
    const failing = finding('predicted-failure', 3);
    const [, stop] = open({ finalAnswer: 'force' }).decide([failing], viewAt(3));
    expect(stop).toEqual({
      type: 'stop',
      reason: 'predicted-failure',
      message: 'predicted-failure seen.',
      source: 'interventions',
      evidence: { seen: 3 },
      finalAnswer: 'force',
    });
  });
});

describe('createInterventionPolicy scheduled re-anchoring', () => {
  it('restates the intent once before each listed turn', () => {
    const session = open({ reanchorAtTurns: [4] });
    expect(session.decide([], viewAt(2))).toEqual([]); // before turn 3
    expect(session.decide([], viewAt(3))).toEqual([
      {
        type: 'inject',
        role: 'user',
        content: 'Reminder of your task, as it stands now:\nFix the bug.',
        ephemeral: true,
        source: 'interventions',
      },
      {
        type: 'emit',
        event: {
          name: 'intervention.applied',
          policy: 'interventions',
          message: 'Restated the current intent before turn 4.', // 3 + 1
          evidence: { step: 'reanchor', level: 0, turn: 3, scheduled: true },
        },
      },
    ]);
    expect(session.decide([], viewAt(3))).toEqual([]);
    expect(session.decide([], viewAt(4))).toEqual([]);
  });

  it('does not restate the intent by default', () => {
    const session = open();
    for (let turn = 0; turn < 12; turn++) expect(session.decide([], viewAt(turn))).toEqual([]);
  });
});

describe('createInterventionPolicy ladders', () => {
  it('climbs the default stuck ladder warn, compact, stop and repeats its last rung', () => {
    const session = open();
    const turns = [1, 4, 7, 10, 13];
    expect(
      climb(
        session,
        turns.map((turn) => finding('stuck', turn)),
      ),
    ).toEqual(['warn@0', 'compact@1', 'stop@2', 'stop@2', 'stop@2']);
  });

  it('climbs the default drift ladder re-anchor, compact, stop and repeats overthinking warnings', () => {
    expect(
      climb(
        open(),
        [1, 4, 7, 10].map((turn) => finding('drift', turn)),
      ),
    ).toEqual(['reanchor@0', 'compact@1', 'stop@2', 'stop@2']);
    expect(
      climb(
        open(),
        [1, 4, 7].map((turn) => finding('overthinking', turn)),
      ),
    ).toEqual(['warn@0', 'warn@0', 'warn@0']);
  });

  it('skips a compact rung with nothing to compact and takes the next rung at once', () => {
    const session = open({ compaction: fixedCompaction(false) });
    expect(
      climb(
        session,
        [1, 4, 7].map((turn) => finding('stuck', turn)),
      ),
    ).toEqual(['warn@0', 'stop@2', 'stop@2']);
  });

  it('does nothing when a last compact rung has nothing to compact, and tries again later', () => {
    const session = open({
      compaction: fixedCompaction(false),
      escalation: { stuck: ['compact'] },
    });
    expect(climb(session, [finding('stuck', 1), finding('stuck', 2)])).toEqual(['-', '-']);
    // no intervention yet, so the saved last intervention turn is the sentinel -1e9
    expect(session.snapshot()).toEqual({
      version: 1,
      ladders: { stuck: { level: 0, lastInterventionTurn: -1e9, lastFindingTurn: 2 } },
      reanchored: [],
    });
  });

  it('waits out a cooldown of 2 turns after an intervention by default', () => {
    // warn on 1; 3 - 1 = 2 is within the cooldown; 4 - 1 = 3 is not
    expect(
      climb(
        open(),
        [1, 3, 4].map((turn) => finding('stuck', turn)),
      ),
    ).toEqual(['warn@0', '-', 'compact@1']);
  });

  it('waits out a given cooldown, inclusive at its end', () => {
    const findings = [1, 4, 5, 5].map((turn) => finding('stuck', turn));
    // 4 - 1 = 3 ≤ 3: reported only; 5 - 1 = 4 > 3: climbs; 5 - 5 = 0 ≤ 3
    expect(climb(open({ cooldownTurns: 3 }), findings)).toEqual(['warn@0', '-', 'compact@1', '-']);
    // with no cooldown a finding on a later turn always climbs, on the same turn never
    expect(
      climb(
        open({ cooldownTurns: 0 }),
        [1, 1, 2].map((turn) => finding('stuck', turn)),
      ),
    ).toEqual(['warn@0', '-', 'compact@1']);
  });

  it('starts a ladder again after more than 10 quiet turns by default', () => {
    // 11 - 1 = 10 quiet turns: not more than 10, so the ladder goes on
    expect(
      climb(
        open(),
        [1, 11].map((turn) => finding('stuck', turn)),
      ),
    ).toEqual(['warn@0', 'compact@1']);
    // 12 - 1 = 11 > 10: the ladder starts again
    expect(
      climb(
        open(),
        [1, 12].map((turn) => finding('stuck', turn)),
      ),
    ).toEqual(['warn@0', 'warn@0']);
  });

  it('counts the quiet turns from the last finding, even one reported during a cooldown', () => {
    // warn on 1; 2 is within the cooldown but is a finding; 5 - 2 = 3 is not more than 3
    expect(
      climb(
        open({ resetAfterTurns: 3 }),
        [1, 2, 5].map((turn) => finding('stuck', turn)),
      ),
    ).toEqual(['warn@0', '-', 'compact@1']);
    // 6 - 2 = 4 > 3: the ladder starts again
    expect(
      climb(
        open({ resetAfterTurns: 3 }),
        [1, 2, 6].map((turn) => finding('stuck', turn)),
      ),
    ).toEqual(['warn@0', '-', 'warn@0']);
  });

  it('climbs one rung per category per call, whatever the turns of its findings', () => {
    const session = open();
    const directives = session.decide(
      [finding('stuck', 1), finding('stuck', 5), finding('drift', 5)],
      viewAt(5),
    );
    expect(
      directives.flatMap((directive) =>
        directive.type === 'emit' ? [directive.event.message] : [],
      ),
    ).toEqual(['warn after stuck (stuck-pattern).', 'reanchor after drift (drift-pattern).']);
  });

  it('only reports a category without a ladder or with an empty one, keeping no state for it', () => {
    const session = open({ escalation: { stuck: [], drift: ['warn'] } });
    expect(session.decide([finding('stuck', 1), finding('custom', 1)], viewAt(1))).toEqual([]);
    expect(session.snapshot()).toEqual({ version: 1, ladders: {}, reanchored: [] });
    expect(climb(session, [finding('drift', 2)])).toEqual(['warn@0']);
  });
});

describe('createInterventionPolicy snapshots', () => {
  it('saves each ladder and the scheduled re-anchors, and goes on from them', () => {
    const options: InterventionPolicyOptions = { reanchorAtTurns: [3] };
    const first = open(options);
    first.decide([finding('stuck', 2)], viewAt(2));
    const saved = first.snapshot();
    expect(saved).toEqual({
      version: 1,
      ladders: { stuck: { level: 1, lastInterventionTurn: 2, lastFindingTurn: 2 } },
      reanchored: [3],
    });
    const resumed = open(options, JSON.parse(JSON.stringify(saved)));
    expect(resumed.decide([], viewAt(2))).toEqual([]); // turn 3 was re-anchored already
    expect(climb(resumed, [finding('stuck', 4), finding('stuck', 5)])).toEqual(['-', 'compact@1']);
  });

  it('goes on from a ladder saved before any intervention', () => {
    const compactOnly: InterventionPolicyOptions = {
      compaction: fixedCompaction(false),
      escalation: { stuck: ['compact', 'pause'] },
    };
    const first = open({ ...compactOnly, escalation: { stuck: ['compact'] } });
    first.decide([finding('stuck', 1)], viewAt(1));
    // restored with a two-rung ladder: the sentinel lies far outside any cooldown
    const resumed = open(compactOnly, first.snapshot());
    expect(climb(resumed, [finding('stuck', 2)])).toEqual(['pause@1']);
  });
});
