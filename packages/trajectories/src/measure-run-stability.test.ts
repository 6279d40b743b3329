import { describe, expect, it } from 'vitest';
import {
  handoffClassifierFor,
  measureRunStability,
  toReplayedTurnRecords,
} from './measure-run-stability.js';
import type { Trajectory, TrajectoryTurn } from './trajectory.js';

/** An agent turn that looks a booking up. */
const lookUp = (index: number): TrajectoryTurn => ({
  index,
  text: 'Checking the booking.',
  actions: [
    {
      id: `call-${index}`,
      name: 'get_reservation_details',
      arguments: '{"reservation_id":"4WQ150"}',
      result: { status: 'ok', output: '{"flights": 2}' },
    },
  ],
});
/** A reply to the user (no action), answered by the user's next message. */
const reply = (index: number): TrajectoryTurn => ({
  index,
  text: 'Checking the booking.',
  actions: [],
  feedback: ['Yes, please go ahead.'],
});

function run(
  id: string,
  format: Trajectory['source']['format'],
  pattern: readonly ('act' | 'reply')[],
): Trajectory {
  const turns = pattern.map((kind, position) =>
    kind === 'act' ? lookUp(position + 1) : reply(position + 1),
  );
  turns.push({ index: turns.length + 1, text: 'Your booking is changed.', actions: [] });
  return {
    format: 'reins.trajectory',
    version: 1,
    id,
    task: 'Change my flight.',
    turns,
    outcome: {},
    source: { format },
  };
}

// Window 3. Run `halved`: baseline act-reply-act (1 hand-off in 3), then reply-act-reply (2 in
// 3): handoffEfficiency = (1/3) ÷ (2/3) = 0.5. Run `steady`: the same pattern twice: 1.
const halved = ['act', 'reply', 'act', 'reply', 'act', 'reply'] as const;
const steady = ['act', 'reply', 'act', 'act', 'reply', 'act'] as const;

describe('measureRunStability', () => {
  it('counts replies to the user as hand-offs in conversations, and gives each dimension over runs', () => {
    const report = measureRunStability(
      [run('halved', 'tau-bench', halved), run('steady', 'tau-bench', steady)],
      { window: 3 },
    );
    expect(report).toMatchObject({ window: 3, runs: 2, runsMeasured: 2, windows: 2 });
    // Per run: 0.5 and 1 (the 7th turn, the final answer, is a partial window). Over two runs:
    // mean 0.75; type-7 percentiles p10 = 0.5 + 0.1·0.5, p50 = 0.75, p90 = 0.5 + 0.9·0.5.
    const handoffs = report.dimensions.handoffEfficiency;
    expect(handoffs).toMatchObject({ runs: 2, min: 0.5, max: 1, mean: 0.75, p50: 0.75 });
    expect(handoffs?.p10).toBeCloseTo(0.55, 12);
    expect(handoffs?.p90).toBeCloseTo(0.95, 12);
    // Every turn thinks the same words: no change of reasoning pace.
    expect(report.dimensions.reasoningPath).toMatchObject({ min: 1, max: 1 });
    expect(report.dimensions.humanOverride).toMatchObject({ min: 1, max: 1 });
    expect(Object.keys(report.notMeasured)).toEqual([
      'confidenceCalibration',
      'agreementRate',
      'roleConsistency',
    ]);
  });

  it('does not count a coding agent’s turn without a command as a hand-off', () => {
    const report = measureRunStability([run('halved', 'mini-swe-agent', halved)], { window: 3 });
    expect(report.dimensions.handoffEfficiency).toBeNull();
    const mixed = [run('a', 'tau-bench', halved), run('b', 'mini-swe-agent', halved)];
    expect(handoffClassifierFor(mixed)('environment', '{}')).toBe(false);
    expect(handoffClassifierFor(mixed)('transfer_to_human_agents', '{}')).toBe(true);
    expect(handoffClassifierFor(mixed.slice(0, 1))('environment', '{}')).toBe(true);
  });

  it('leaves out runs shorter than two windows, and says so', () => {
    const report = measureRunStability([run('short', 'tau-bench', ['act', 'reply'])], {
      window: 3,
    });
    expect(report).toMatchObject({ runs: 1, runsMeasured: 0, windows: 0, lowWindowShare: null });
    expect(report.asi).toBeNull();
    expect(Object.values(report.dimensions).every((value) => value === null)).toBe(true);
  });

  it('names a threshold outside (0, 1]', () => {
    expect(() => measureRunStability([], { window: 3, threshold: 1.5 })).toThrow(
      'threshold is 1.5',
    );
  });
});

describe('toReplayedTurnRecords', () => {
  it('gives the monitors the replayed calls: a reply becomes an environment call answered by the user', () => {
    const records = toReplayedTurnRecords(run('r', 'tau-bench', ['act', 'reply']));
    expect(records.map((record) => record.actions.map((action) => action.name))).toEqual([
      ['get_reservation_details'],
      ['environment'],
      [],
    ]);
    expect(records[1]?.observations).toEqual([
      { name: 'environment', status: 'ok', text: 'Yes, please go ahead.' },
    ]);
    expect(records[0]?.actions[0]?.arguments).toBe('{"reservation_id":"4WQ150"}');
  });
});
