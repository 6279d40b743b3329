import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { share } from '../test/generators.js';
import { actionTurn, createView, numbered, silentTurn } from '../test/replay.js';
import { createDriftMonitor } from './drift-monitor.js';
import { chooseFailureThreshold, createFailurePredictor } from './failure-predictor.js';
import type { Finding, Monitor } from './monitor.js';
import { createOverthinkingMonitor } from './overthinking-monitor.js';
import { computeStabilityIndex } from './stability-index.js';
import { extractTurnFeatures } from './turn-features.js';
import { type TurnRecord, toObservedTurn } from './turn-record.js';

function observeAll(monitor: Monitor, records: readonly TurnRecord[]): Finding[] {
  const session = monitor.open({ runId: 'r', task: 'Fix the parser so that dates parse.' });
  const view = createView({ task: 'Fix the parser so that dates parse.' });
  return records.flatMap((record) => session.observe(toObservedTurn(record), view) ?? []);
}

const tools = ['read', 'edit', 'test'];
function steadyTurn(index: number): Omit<TurnRecord, 'turn'> {
  const tool = tools[index % 3] as string;
  return {
    text: `I will ${tool} the parser module next, checking dates.`,
    actions: [{ name: tool, arguments: JSON.stringify({ path: 'parser.py' }) }],
    observations: [{ name: tool, status: 'ok', text: 'ok' }],
  };
}
function driftedTurn(index: number): Omit<TurnRecord, 'turn'> {
  return {
    text: `Meanwhile the weather API returned ${index} clouds; maybe redesign everything in Rust with a new framework?`.repeat(
      1 + (index % 5),
    ),
    actions: [
      {
        name: 'browse',
        arguments: JSON.stringify({
          url: `https://example.com/${index}`,
          depth: index % 4,
          extra: 'x'.repeat(index * 50),
        }),
      },
    ],
    observations: [{ name: 'browse', status: index % 2 === 0 ? 'error' : 'ok', text: 'timeout' }],
  };
}

describe('createDriftMonitor', () => {
  it('stays quiet on a stable run', () => {
    const records = numbered(Array.from({ length: 60 }, (_, index) => steadyTurn(index)));
    expect(observeAll(createDriftMonitor({ window: 10 }), records)).toEqual([]);
  });

  it('reports drift after ASI < 0.75 for 3 consecutive windows, with each dimension as evidence', () => {
    const records = numbered([
      ...Array.from({ length: 10 }, (_, index) => steadyTurn(index)),
      ...Array.from({ length: 40 }, (_, index) => driftedTurn(index)),
    ]);
    const findings = observeAll(createDriftMonitor({ window: 10 }), records);
    expect(findings.map((finding) => finding.turn)).toEqual([40, 50]);
    const evidence = findings[0]?.evidence as Record<string, number>;
    expect(evidence.asi).toBeLessThan(0.75);
    expect(evidence.lowWindows).toBe(3);
    for (const key of [
      'outputSimilarity',
      'toolChoice',
      'toolSequence',
      'parameterDistribution',
      'responseLengthVariation',
      'errorClustering',
    ])
      expect(evidence[key]).toBeGreaterThanOrEqual(0);
    expect(evidence.humanOverride).toBe(1);
  });

  it('keeps ASI in [0, 1] for any windows', () => {
    const window = fc
      .record({
        turns: fc.integer({ min: 2, max: 50 }),
        output: fc.array(fc.nat(5), { minLength: 512, maxLength: 512 }),
        outputTurns: fc.nat(50),
        toolCounts: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.nat(20)),
        sequence: fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 50 }),
        argumentLengths: fc.array(fc.nat(10), { minLength: 16, maxLength: 16 }),
        actions: fc.nat(50),
        lengthSum: fc.nat(10000),
        lengthSquares: fc.nat(1e8),
        errorTurns: fc.nat(50),
        clusteredErrors: fc.nat(49),
        previousError: fc.boolean(),
        overrides: fc.nat(10),
        intentSimilaritySum: fc.nat(50),
        reasoningPrevious: fc.array(fc.nat(), { maxLength: 64 }),
        reasoningPairs: fc.nat(49),
        reasoningMean: share(),
        handoffs: fc.nat(10),
      })
      .map(({ reasoningMean, ...stats }) => ({
        ...stats,
        reasoningDistanceSum: reasoningMean * stats.reasoningPairs,
      }));
    fc.assert(
      fc.property(window, window, (a, b) => {
        const { asi, dimensions } = computeStabilityIndex(a, b);
        expect(asi).toBeGreaterThanOrEqual(0);
        expect(asi).toBeLessThanOrEqual(1 + 1e-12);
        for (const value of Object.values(dimensions)) expect(value).toBeGreaterThanOrEqual(-1e-12);
      }),
    );
  });
});

describe('createOverthinkingMonitor', () => {
  const patterns = (records: readonly TurnRecord[]) =>
    observeAll(createOverthinkingMonitor(), records).map(
      (finding) => `${finding.turn}:${finding.pattern}`,
    );

  it('finds analysis paralysis, rogue actions and premature disengagement', () => {
    expect(
      patterns(numbered([silentTurn(0), actionTurn(0, 'ls', 'a'), silentTurn(0), silentTurn(0)])),
    ).toEqual(['4:analysis-paralysis']);
    const rogue = numbered([
      actionTurn(0, 'make', 'boom', 'error'),
      {
        text: '',
        actions: [
          { name: 'bash', arguments: 'rm -rf build' },
          { name: 'bash', arguments: 'make clean' },
        ],
        observations: [],
      },
    ]);
    expect(patterns(rogue)).toEqual(['2:rogue-actions']);
    const unverified = numbered([
      actionTurn(0, 'pytest', 'fail'),
      actionTurn(0, "sed -i 's/a/b/' x.py", ''),
      silentTurn(0, 'Done.'),
    ]);
    expect(patterns(unverified)).toEqual(['3:premature-disengagement']);
    const verified = numbered([
      actionTurn(0, "sed -i 's/a/b/' x.py", ''),
      actionTurn(0, 'pytest', 'pass'),
      actionTurn(0, 'echo COMPLETE_TASK', ''),
    ]);
    expect(patterns(verified)).toEqual([]);
  });
});

describe('createFailurePredictor', () => {
  it('reports when the scorer crosses the threshold after the warm-up, on the features of extractTurnFeatures', () => {
    const seen: number[] = [];
    const predictor = createFailurePredictor({
      threshold: 0.8,
      minTurns: 2,
      score: (features, previous) => {
        seen.push(previous.length);
        return features.repeatedAction === 1 ? 0.9 : 0.1;
      },
    });
    const records = numbered([
      actionTurn(0, 'pytest', 'x'),
      actionTurn(0, 'pytest', 'x'),
      actionTurn(0, 'ls', 'y'),
      actionTurn(0, 'ls', 'y'),
    ]);
    const findings = observeAll(predictor, records);
    expect(findings.map((finding) => [finding.turn, finding.event])).toEqual([
      [2, 'failure.predicted'],
      [4, 'failure.predicted'],
    ]);
    expect(seen).toEqual([0, 1, 2, 3]);
    const first = toObservedTurn(records[0] as TurnRecord);
    expect(extractTurnFeatures(toObservedTurn(records[1] as TurnRecord), first)).toMatchObject({
      actionSimilarity: 1,
      observationSimilarity: 1,
      repeatedAction: 1,
      lowestLogprob: null,
    });
  });

  it('chooses the threshold with the best true-positive rate within the false-positive target', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ score: share(), failed: fc.boolean() }), { maxLength: 60 }),
        share().map((value) => value / 2),
        (runs, target) => {
          const choice = chooseFailureThreshold(runs, { maxFalsePositiveRate: target });
          expect(choice.falsePositiveRate).toBeLessThanOrEqual(target);
          const succeeded = runs.filter((run) => !run.failed);
          const killed = succeeded.filter((run) => run.score >= choice.threshold).length;
          expect(succeeded.length === 0 ? 0 : killed / succeeded.length).toBe(
            choice.falsePositiveRate,
          );
          // No lower threshold among the scores does better within the target.
          for (const candidate of new Set(runs.map((run) => run.score))) {
            const fp =
              succeeded.length === 0
                ? 0
                : succeeded.filter((run) => run.score >= candidate).length / succeeded.length;
            const failures = runs.filter((run) => run.failed);
            const tp =
              failures.length === 0
                ? 0
                : failures.filter((run) => run.score >= candidate).length / failures.length;
            if (fp <= target) expect(tp).toBeLessThanOrEqual(choice.truePositiveRate);
          }
        },
      ),
    );
  });
});
