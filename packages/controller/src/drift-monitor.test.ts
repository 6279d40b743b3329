import type { Interrupt } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createView, numbered } from '../test/replay.js';
import { createDriftMonitor, type DriftMonitorOptions } from './drift-monitor.js';
import { driftWindowFor } from './drift-window.js';
import type { Finding } from './monitor.js';
import { asiGroupWeights } from './stability-index.js';
import { type TurnRecord, toObservedTurn } from './turn-record.js';

/** One turn: the same words every time, one action of `tool`, its observation. */
function turn(tool: string, status: 'ok' | 'error' = 'ok'): Omit<TurnRecord, 'turn'> {
  return {
    text: 'Reading the parser module again.',
    actions: [{ name: tool, arguments: '{"path":"parser.py"}' }],
    observations: [{ name: tool, status, text: status === 'ok' ? 'ok' : 'failed' }],
  };
}

/** Observes `records`, applying `updates[turn]` to the view before that turn. */
function observe(
  options: DriftMonitorOptions,
  records: readonly Omit<TurnRecord, 'turn'>[],
  updates: Readonly<Record<number, Interrupt>> = {},
): Finding[] {
  const task = 'Fix the parser so that dates parse.';
  const session = createDriftMonitor(options).open({ runId: 'r', task });
  const view = createView({ task });
  return numbered(records).flatMap((record) => {
    const update = updates[record.turn];
    if (update !== undefined) view.intentUpdates.push(update);
    return session.observe(toObservedTurn(record), view) ?? [];
  });
}

/** Every scored window reports, with its ASI and dimensions as evidence. */
const everyWindow = { window: 5, threshold: 1.01, consecutiveWindows: 1 } as const;
const evidenceOf = (finding: Finding | undefined) => finding?.evidence as Record<string, number>;
const asiOf = (finding: Finding) => evidenceOf(finding).asi as number;
const repeat = (count: number, make: () => Omit<TurnRecord, 'turn'>) =>
  Array.from({ length: count }, make);

describe('Agent Stability Index', () => {
  it('weights its groups as the paper does: consistency 0.30, tools 0.25, coordination 0.25, boundaries 0.20', () => {
    expect({ ...asiGroupWeights }).toEqual({
      responseConsistency: 0.3,
      toolUsage: 0.25,
      interAgentCoordination: 0.25,
      behaviouralBoundaries: 0.2,
    });
  });

  it('scores a window that swapped every tool as (0.30·1 + 0.25·⅓ + 0.20·1) ÷ 0.75', () => {
    // Same answers, argument lengths, response lengths and no errors; the tool changes from
    // `read` to `write`: tool choice 0 (disjoint), tool sequence 0 (all substituted),
    // parameter distribution 1. Coordination has no data and drops out.
    const findings = observe(everyWindow, [
      ...repeat(5, () => turn('read')),
      ...repeat(5, () => turn('write')),
    ]);
    const evidence = evidenceOf(findings[0]);
    expect(evidence).toMatchObject({
      outputSimilarity: 1,
      toolChoice: 0,
      toolSequence: 0,
      parameterDistribution: 1,
      responseLengthVariation: 1,
      errorClustering: 1,
      humanOverride: 1,
    });
    expect(evidence.asi).toBeCloseTo((0.3 + 0.25 / 3 + 0.2) / 0.75, 3);
  });

  it('scores a window of clustered errors as (0.30·1 + 0.25·1 + 0.20·⅔) ÷ 0.75', () => {
    // Five errored turns in a row: four follow an error, so the clustered share is 4/4 and
    // error clustering is 0; everything else is unchanged.
    const findings = observe(everyWindow, [
      ...repeat(5, () => turn('read')),
      ...repeat(5, () => turn('read', 'error')),
    ]);
    const evidence = evidenceOf(findings[0]);
    expect(evidence).toMatchObject({ errorClustering: 0, toolChoice: 1, outputSimilarity: 1 });
    expect(evidence.asi).toBeCloseTo((0.3 + 0.25 + (0.2 * 2) / 3) / 0.75, 3);
  });
});

describe('the human-override dimension', () => {
  const revision = (turn: number): Interrupt => ({
    id: `u${turn}`,
    kind: 'revision',
    text: 'Only the ISO dates, not the US ones.',
    urgency: 'next-turn',
    receivedAt: 0,
    turn,
  });
  const steady = repeat(20, () => turn('read'));

  it('is 1 − overrides ÷ window turns, and an override that starts a new baseline still counts', () => {
    // Default rebaselining: the revision before turn 11 restarts the baseline (turns 11–15);
    // turns 16–20 are the first window scored after it and carry its one override.
    const findings = observe(everyWindow, steady, { 11: revision(11) });
    const scored = findings.map((finding) => [finding.turn, evidenceOf(finding).humanOverride]);
    expect(scored).toEqual([
      [10, 1],
      [20, 1 - 1 / 5],
    ]);
  });

  it('lowers the index: a run with an override never scores higher than the same run without', () => {
    for (const rebaselineOnIntentUpdate of [true, false]) {
      const options = { ...everyWindow, rebaselineOnIntentUpdate };
      const without = observe(options, steady).map(asiOf);
      const withOverride = observe(options, steady, { 8: revision(8) }).map(asiOf);
      // Steady turns: without the override every window scores 1; with it, one scores less.
      expect(without).toEqual([1, 1, 1].slice(0, without.length));
      expect(without.length).toBeGreaterThan(0);
      expect(withOverride.every((asi) => asi <= 1)).toBe(true);
      expect(Math.min(...withOverride)).toBeLessThan(1);
    }
  });

  it('does not count an addition as an override', () => {
    const addition = { ...revision(11), kind: 'addition' as const };
    const findings = observe({ ...everyWindow, rebaselineOnIntentUpdate: false }, steady, {
      11: addition,
    });
    expect(findings.map((finding) => evidenceOf(finding).humanOverride)).toEqual([1, 1, 1]);
  });
});

describe('drift windows scaled to the turn limit', () => {
  it('fits a baseline and three low windows into the limit, at least five turns each', () => {
    expect([20, 36, 46, 145].map((limit) => driftWindowFor(limit))).toEqual([5, 9, 11, 36]);
    expect(driftWindowFor(46, 1)).toBe(23);
    for (const bad of [0, -3, 2.5, Number.NaN]) {
      expect(() => driftWindowFor(bad)).toThrow(`turnLimit is ${bad}`);
    }
    expect(() => driftWindowFor(40, 0)).toThrow('consecutiveWindows is 0');
    expect(() => driftWindowFor(0)).toThrow(expect.objectContaining({ field: 'turnLimit' }));
    expect(() => driftWindowFor(40, 1.5)).toThrow(
      expect.objectContaining({ field: 'consecutiveWindows' }),
    );
  });

  it('lets drift be reported by the limit, where 50-turn windows stay silent for 145 turns', () => {
    // The run changes tools, arguments and answers after its first quarter.
    const limit = 46;
    const drifted = (index: number): Omit<TurnRecord, 'turn'> => ({
      text: `Meanwhile the weather API returned ${index} clouds; maybe rewrite it all in Rust?`.repeat(
        1 + (index % 4),
      ),
      actions: [{ name: `browse-${index % 7}`, arguments: 'x'.repeat(10 + index * 40) }],
      observations: [{ name: 'browse', status: index % 2 === 0 ? 'error' : 'ok', text: 'timeout' }],
    });
    const window = driftWindowFor(limit);
    const run = [
      ...repeat(window, () => turn('read')),
      ...Array.from({ length: 145 }, (_, index) => drifted(index)),
    ];
    const scaled = observe({ window }, run.slice(0, limit));
    expect(scaled[0]?.turn).toBe(4 * window);
    expect(scaled[0]?.turn).toBeLessThanOrEqual(limit);
    expect(observe({}, run.slice(0, 145))).toEqual([]);
  });
});
