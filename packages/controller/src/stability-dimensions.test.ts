import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createView, numbered } from '../test/replay.js';
import { createDriftMonitor, type DriftMonitorOptions } from './drift-monitor.js';
import { isHandoffTool } from './handoff-tool.js';
import { measureStability } from './measure-stability.js';
import type { Finding } from './monitor.js';
import {
  computeStabilityIndex,
  stabilityDimensions,
  stabilityIndexOf,
  unmeasuredStabilityDimensions,
} from './stability-index.js';
import { addTurnToWindow, emptyStabilityWindow } from './stability-window.js';
import { type TurnRecord, toObservedTurn } from './turn-record.js';

type Step = Omit<TurnRecord, 'turn'>;

/** A turn that reads `parser.py`, thinking `thought` (as streamed reasoning). */
function step(thought: string, args = '{"path":"parser.py"}', tool = 'read_file'): Step {
  return {
    text: 'Reading the parser module again.',
    reasoning: thought,
    actions: [{ name: tool, arguments: args }],
    observations: [{ name: tool, status: 'ok', text: 'ok' }],
  };
}

function observe(options: DriftMonitorOptions, steps: readonly Step[]): Finding[] {
  const task = 'Fix the parser so that dates parse.';
  const session = createDriftMonitor(options).open({ runId: 'r', task });
  const view = createView({ task });
  return numbered(steps).flatMap((record) => session.observe(toObservedTurn(record), view) ?? []);
}

/** Every scored window reports, with its ASI and dimensions as evidence. */
const everyWindow = { window: 5, threshold: 1.01, consecutiveWindows: 1 } as const;
const evidenceOf = (finding: Finding | undefined) => finding?.evidence as Record<string, number>;

describe('the reasoning-path dimension (decision pathway stability)', () => {
  // Two thoughts of equal length four words apart by one substitution: 'parser' → 'lexers'.
  const parser = 'Open the parser file';
  const lexers = 'Open the lexers file';

  it('is 1 − |d − d_baseline| of the mean normalised edit distance of consecutive chains', () => {
    // Baseline: the same thought five times, d = 0. Then alternating thoughts: each of the
    // four consecutive pairs is one substitution in four words, d = 0.25, so 1 − 0.25 = 0.75.
    // Answers, tools, arguments and lengths are unchanged: every other dimension is 1 and the
    // index is (0.30·(1 + 0.75)/2 + 0.25·1 + 0.20·1) ÷ 0.75 = 0.95.
    const findings = observe(everyWindow, [
      ...Array.from({ length: 5 }, () => step(parser)),
      ...[parser, lexers, parser, lexers, parser].map((thought) => step(thought)),
    ]);
    const evidence = evidenceOf(findings[0]);
    expect(evidence.reasoningPath).toBe(0.75);
    expect(evidence).toMatchObject({ outputSimilarity: 1, toolChoice: 1, errorClustering: 1 });
    expect(evidence.asi).toBeCloseTo((0.3 * 1.75) / 2 / 0.75 + (0.25 + 0.2) / 0.75, 3);
  });

  it('sees a change of pace either way: steadier reasoning than the baseline is also a change', () => {
    const alternating = [parser, lexers, parser, lexers, parser].map((thought) => step(thought));
    const steady = Array.from({ length: 5 }, () => step(parser));
    const findings = observe(everyWindow, [...alternating, ...steady]);
    expect(evidenceOf(findings[0]).reasoningPath).toBe(0.75);
  });

  it('counts only pairs inside a window, and is absent when a window has no pair with reasoning', () => {
    // The first turn of each window has no pair: the boundary pair (turn 5, turn 6) differs
    // but does not count, so both windows have d = 0.
    const findings = observe(everyWindow, [
      ...Array.from({ length: 5 }, () => step(parser)),
      ...Array.from({ length: 5 }, () => step(lexers)),
    ]);
    expect(evidenceOf(findings[0]).reasoningPath).toBe(1);
    const silent = (): Step => ({ ...step(''), text: '' });
    const withoutReasoning = observe(everyWindow, [
      ...Array.from({ length: 5 }, () => step(parser)),
      ...Array.from({ length: 5 }, silent),
    ]);
    expect(evidenceOf(withoutReasoning[0])).not.toHaveProperty('reasoningPath');
    const baselineWithout = observe(everyWindow, [
      ...Array.from({ length: 5 }, silent),
      ...Array.from({ length: 5 }, () => step(parser)),
    ]);
    expect(evidenceOf(baselineWithout[0])).not.toHaveProperty('reasoningPath');
  });
});

describe('the hand-off dimension (messages per hand-off)', () => {
  const toHuman = '{"path":"humans.py"}'; // as long as the read's arguments: same length bucket
  const handoffs = { ...everyWindow, isHandoff: (_name: string, args: string) => args === toHuman };

  it('is min(h, h_baseline) ÷ max(h, h_baseline) of hand-offs per turn, with coordination weighted 0.25', () => {
    // Baseline: one hand-off in five turns (5 turns per hand-off); then two (2.5 per hand-off):
    // 0.2 ÷ 0.4 = 0.5. Everything else is unchanged, and the coordination group now counts:
    // (0.30·1 + 0.25·1 + 0.25·0.5 + 0.20·1) ÷ 1.00 = 0.875.
    const findings = observe(handoffs, [
      step('Ask', toHuman),
      ...Array.from({ length: 4 }, () => step('Ask')),
      step('Ask', toHuman),
      step('Ask'),
      step('Ask', toHuman),
      step('Ask'),
      step('Ask'),
    ]);
    const evidence = evidenceOf(findings[0]);
    expect(evidence.handoffEfficiency).toBe(0.5);
    expect(evidence).toMatchObject({ toolChoice: 1, parameterDistribution: 1, reasoningPath: 1 });
    expect(evidence.asi).toBeCloseTo(0.3 + 0.25 + 0.25 * 0.5 + 0.2, 3);
  });

  it('is 0 when one window hands off and the other never does, and absent when neither does', () => {
    const once = observe(handoffs, [
      ...Array.from({ length: 5 }, () => step('Ask')),
      step('Ask', toHuman),
      ...Array.from({ length: 4 }, () => step('Ask')),
    ]);
    expect(evidenceOf(once[0]).handoffEfficiency).toBe(0);
    const never = observe(
      handoffs,
      Array.from({ length: 10 }, () => step('Ask')),
    );
    expect(evidenceOf(never[0])).not.toHaveProperty('handoffEfficiency');
    // Without coordination data the three other groups are renormalised: 0.75 of weight.
    expect(evidenceOf(never[0]).asi).toBe(1);
  });

  it('by default counts transfer_to_*, handoff_to_* and hand_off_to_* tools', () => {
    expect(
      ['transfer_to_human_agents', 'handoff_to_billing', 'Hand_Off_To_support'].map((name) =>
        isHandoffTool(name),
      ),
    ).toEqual([true, true, true]);
    expect(['transfer', 'read_file', 'my_transfer_to_x'].some((name) => isHandoffTool(name))).toBe(
      false,
    );
  });
});

describe('a drift state saved before the reasoning and hand-off dimensions', () => {
  it('resumes with those fields empty and scores the next window without NaN', () => {
    const monitor = createDriftMonitor(everyWindow);
    const session = monitor.open({ runId: 'r', task: 'Fix the parser.' });
    const view = createView({ task: 'Fix the parser.' });
    const steps = numbered(Array.from({ length: 10 }, () => step('Open the parser file')));
    for (const record of steps.slice(0, 7)) session.observe(toObservedTurn(record), view);
    const strip = (window: Record<string, unknown>) => {
      const {
        reasoningPrevious: _p,
        reasoningDistanceSum: _s,
        reasoningPairs: _n,
        handoffs: _h,
        ...old
      } = window;
      return old;
    };
    const saved = session.snapshot() as Record<string, Record<string, unknown>>;
    const older = {
      ...saved,
      baseline: strip(saved.baseline ?? {}),
      current: strip(saved.current ?? {}),
    };
    const resumed = monitor.open({ runId: 'r', task: 'Fix the parser.', state: older });
    const findings = steps
      .slice(7)
      .flatMap((record) => resumed.observe(toObservedTurn(record), view) ?? []);
    // The baseline lost its reasoning pairs, so the dimension drops out; the rest score 1.
    expect(evidenceOf(findings[0])).not.toHaveProperty('reasoningPath');
    expect(evidenceOf(findings[0]).asi).toBe(1);
  });
});

describe('the dimensions option', () => {
  const parser = 'Open the parser file';
  const lexers = 'Open the lexers file';
  const steps = [
    ...Array.from({ length: 5 }, () => step(parser)),
    ...[parser, lexers, parser, lexers, parser].map((thought) => step(thought)),
  ];
  const seven = [
    'outputSimilarity',
    'toolChoice',
    'toolSequence',
    'parameterDistribution',
    'responseLengthVariation',
    'errorClustering',
    'humanOverride',
  ] as const;

  it('computes the index from the listed dimensions only: the seven earlier ones give the earlier index', () => {
    // Without reasoningPath (0.75) every remaining dimension is 1, and so is the index.
    const findings = observe({ ...everyWindow, dimensions: seven }, steps);
    expect(evidenceOf(findings[0])).not.toHaveProperty('reasoningPath');
    expect(evidenceOf(findings[0]).asi).toBe(1);
    const measured = measureStability(numbered(steps), {
      window: 5,
      dimensions: ['reasoningPath'],
    });
    expect(measured.windows[0]).toEqual({ asi: 0.75, dimensions: { reasoningPath: 0.75 } });
  });

  it('names an unknown or unmeasurable dimension and the valid ones', () => {
    expect(() =>
      createDriftMonitor({ dimensions: ['confidenceCalibration' as 'toolChoice'] }),
    ).toThrow(
      "'confidenceCalibration' is not measurable from a run. Use some of: outputSimilarity",
    );
    expect(() => measureStability([], { dimensions: ['toolchoice' as 'toolChoice'] })).toThrow(
      expect.objectContaining({ field: 'dimensions' }),
    );
  });
});

describe('the dimensions documented as not measurable', () => {
  it('together with the measured ones make the paper’s twelve, three per group', () => {
    const all = { ...stabilityDimensions, ...unmeasuredStabilityDimensions };
    expect(Object.keys(all)).toHaveLength(12);
    const perGroup: Record<string, number> = {};
    for (const info of Object.values(all)) perGroup[info.group] = (perGroup[info.group] ?? 0) + 1;
    expect(perGroup).toEqual({
      responseConsistency: 3,
      toolUsage: 3,
      interAgentCoordination: 3,
      behaviouralBoundaries: 3,
    });
  });
});

// Realistic runs: coding-agent thoughts from a vocabulary of the words such agents write,
// commands and file tools with real argument shapes, occasional errors and hand-offs.
const thoughtWords = [
  'let',
  'me',
  'check',
  'the',
  'failing',
  'test',
  'in',
  'parser',
  'py',
  'now',
  'run',
  'again',
  'i',
  'need',
  'to',
  'look',
  'at',
  'how',
  'dates',
  'are',
  'parsed',
  'fix',
  'edit',
  'function',
  'error',
  'shows',
  'that',
  'import',
  'is',
  'missing',
  'first',
  'reproduce',
  'issue',
];
const thought = fc
  .array(fc.constantFrom(...thoughtWords), { minLength: 0, maxLength: 40 })
  .map((words) => words.join(' '));
const action = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .constantFrom('ls -la', 'pytest -x tests', 'cat src/parser.py', "grep -rn 'parse_date' src")
      .map((command) => ({ name: 'bash', arguments: JSON.stringify({ command }) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('src/parser.py', 'tests/test_dates.py')
      .map((path) => ({ name: 'read_file', arguments: JSON.stringify({ path }) })),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      name: 'transfer_to_human_agents',
      arguments: '{"summary":"needs a refund"}',
    }),
  },
);
const generatedStep: fc.Arbitrary<Step> = fc
  .record({
    thought,
    actions: fc.array(action, { minLength: 0, maxLength: 2 }),
    failed: fc.integer({ min: 0, max: 9 }).map((draw) => draw < 2),
    streamed: fc.boolean(),
  })
  .map(({ thought: text, actions, failed, streamed }) => ({
    text: streamed ? 'Running it.' : `THOUGHT: ${text}\n\n\`\`\`bash\nls\n\`\`\``,
    ...(streamed ? { reasoning: text } : {}),
    actions,
    observations: actions.map((made) => ({
      name: made.name,
      status: failed ? ('error' as const) : ('ok' as const),
      text: failed ? 'Traceback (most recent call last):' : 'ok',
    })),
  }));
const run = fc.array(generatedStep, { minLength: 10, maxLength: 60 });
const windowSize = fc.integer({ min: 3, max: 12 });

describe('properties of the index over realistic runs', () => {
  it('keeps every dimension and the index in [0, 1], the index being the renormalised group mean', () => {
    fc.assert(
      fc.property(run, windowSize, (steps, window) => {
        for (const scored of measureStability(numbered(steps), { window }).windows) {
          for (const value of Object.values(scored.dimensions)) {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1 + 1e-12);
          }
          expect(scored.asi).toBeCloseTo(stabilityIndexOf(scored.dimensions), 12);
        }
      }),
    );
  });

  it('scores 1 on every dimension when later windows repeat the baseline exactly', () => {
    fc.assert(
      fc.property(run, fc.integer({ min: 2, max: 4 }), (steps, copies) => {
        const repeated = Array.from({ length: copies }, () => steps).flat();
        const { windows } = measureStability(numbered(repeated), { window: steps.length });
        expect(windows).toHaveLength(copies - 1);
        for (const scored of windows) {
          for (const value of Object.values(scored.dimensions)) expect(value).toBeCloseTo(1, 12);
          expect(scored.asi).toBeCloseTo(1, 12);
        }
      }),
    );
  });

  it('gives the new dimensions the same value whichever window is the baseline', () => {
    fc.assert(
      fc.property(run, run, (first, second) => {
        const windowOf = (steps: readonly Step[]) => {
          const stats = emptyStabilityWindow();
          const settings = {
            sequenceLength: 60,
            actionKind: (name: string) => name,
            isHandoff: isHandoffTool,
          };
          for (const record of numbered(steps))
            addTurnToWindow(stats, toObservedTurn(record), settings);
          return stats;
        };
        const a = windowOf(first);
        const b = windowOf(second);
        const forward = computeStabilityIndex(a, b).dimensions;
        const backward = computeStabilityIndex(b, a).dimensions;
        expect(forward.reasoningPath).toBe(backward.reasoningPath);
        expect(forward.handoffEfficiency).toBe(backward.handoffEfficiency);
      }),
    );
  });

  it('measures a finished run exactly as the drift monitor scores it while it runs', () => {
    const round = (value: number) => Math.round(value * 1000) / 1000;
    fc.assert(
      fc.property(run, windowSize, (steps, window) => {
        const measured = measureStability(numbered(steps), { window }).windows.map((scored) => ({
          asi: round(scored.asi),
          ...Object.fromEntries(
            Object.entries(scored.dimensions).map(([name, value]) => [name, round(value)]),
          ),
        }));
        const monitored = observe({ window, threshold: 1.01, consecutiveWindows: 1 }, steps).map(
          (finding) => {
            const {
              threshold: _t,
              lowWindows: _l,
              window: _w,
              windowTurns: _n,
              intentSimilarity: _s,
              ...rest
            } = evidenceOf(finding);
            return rest;
          },
        );
        expect(monitored).toEqual(measured);
      }),
    );
  });
});
