import type { Controller } from '@reins/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../../test/shared-data.js';
import { evaluateController } from '../evaluate-controller.js';
import { importTrajectoryDirectory } from '../import-trajectories.js';
import { measureRunStability } from '../measure-run-stability.js';
import type { Policy } from '../policy.js';
import type { Trajectory } from '../trajectory.js';
import { createHtmlReport } from './create-html-report.js';
import { createThresholdCurves } from './threshold-curves.js';

const cap = 40;
const turnCap: Controller = {
  name: 'turn-cap',
  open: () => ({
    beforeModel: (view) =>
      view.turn >= cap
        ? [{ type: 'stop', reason: 'turn-budget', message: 'cap', source: 'turn-cap' }]
        : undefined,
  }),
};
const zeros = { p50: 0, p75: 0, p90: 0, p95: 0, p99: 0 };
const capPolicy: Policy = {
  format: 'reins.policy',
  version: 1,
  createdAt: new Date(0).toISOString(),
  budgets: {
    turns: {
      default: {
        maxTurns: cap,
        runs: 0,
        turnPercentiles: zeros,
        costPercentiles: zeros,
        resolvedLostFraction: 0,
      },
      perModel: {},
    },
  },
};

let runs: Trajectory[] = [];
beforeAll(async () => {
  runs = (
    await importTrajectoryDirectory(sharedData('swe-trajectories/mini-swe-agent-gemini-3-pro'))
  ).trajectories;
}, 120_000);

describe('createThresholdCurves', () => {
  it("gives a turn cap's saving and loss as the counterfactual evaluation measures them", async () => {
    const curves = createThresholdCurves(runs, capPolicy);
    expect(curves.scorer).toEqual([]);
    expect(curves.turnCap[0]?.maxTurns).toBe(Math.max(...runs.map((run) => run.turns.length)));
    expect(curves.turnCap[0]?.runsStopped).toBe(0);
    const point = curves.turnCap.find((entry) => entry.maxTurns === cap);
    const report = await evaluateController(runs, turnCap, { bootstrap: { samples: 10 } });
    expect(point?.runsStopped).toBe(report.runsStopped);
    expect(point?.resolvedLost).toBe(report.resolvedLost);
    expect(point?.savedUsd).toBeCloseTo(report.savedUsd, 9);
    expect(point?.savedFractionOfUnresolvedCost).toBeCloseTo(
      report.savedFractionOfUnresolvedCost,
      12,
    );
  });
});

describe('createHtmlReport', () => {
  it('draws four plots, runs no script and escapes what the runs contain', async () => {
    const sample = runs
      .slice(0, 20)
      .map((run, index) => (index === 0 ? { ...run, id: '<script>alert("x")</script>&' } : run));
    const evaluation = await evaluateController(sample, turnCap, { bootstrap: { samples: 10 } });
    const html = createHtmlReport({
      evaluation,
      curves: createThresholdCurves(sample, capPolicy),
      policy: capPolicy,
      timelineRuns: 20,
      now: () => new Date(0),
    });
    expect(html.match(/<svg class="plot/g)).toHaveLength(4);
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    expect(html.match(/<g class="run"/g)).toHaveLength(20);
    expect(html).toContain('1970-01-01T00:00:00.000Z');
    const counted = [...html.matchAll(/data-plot="turns"[\s\S]*?<\/svg>/g)][0]?.[0] ?? '';
    const bars = [...counted.matchAll(/data-count="(\d+)"/g)].map((match) => Number(match[1]));
    expect(bars.reduce((sum, count) => sum + count, 0)).toBe(20);
  });

  it('tables each stability dimension over the runs, with the unmeasurable ones and why', async () => {
    const sample = runs.slice(0, 40);
    const evaluation = await evaluateController(sample, turnCap, { bootstrap: { samples: 10 } });
    const stability = measureRunStability(sample, { window: 11 });
    const html = createHtmlReport({ evaluation, stability });
    const section = html.slice(html.indexOf('<section id="stability">'));
    const rows = [...section.matchAll(/<tr><td title="[^"]*"><code>(\w+)<\/code>/g)].map(
      (match) => match[1],
    );
    expect(rows).toEqual(['ASI', ...Object.keys(stability.dimensions)]);
    const p50 = stability.dimensions.reasoningPath?.p50 as number;
    expect(section).toContain(`<td class="number">${p50.toFixed(3)}</td>`);
    // Coding runs hand off to no one: the coordination row says so.
    expect(section).toMatch(/<code>handoffEfficiency<\/code>[\s\S]*?no run's data supports it/);
    for (const name of ['confidenceCalibration', 'agreementRate', 'roleConsistency'])
      expect(section).toContain(`<li><code>${name}</code>`);
    expect(createHtmlReport({ evaluation })).not.toContain('id="stability"');
  });

  it('leaves the curve out without curves', async () => {
    const evaluation = await evaluateController(runs.slice(0, 5), turnCap, {
      bootstrap: { samples: 10 },
    });
    const html = createHtmlReport({ evaluation });
    expect(html.match(/<svg class="plot/g)).toHaveLength(3);
    expect(html).not.toContain('data-plot="saved-vs-lost"');
  });

  it('marks the curves in-sample and colours the saving card by whether its goal is met', async () => {
    const sample = runs.slice(0, 30);
    const evaluation = await evaluateController(sample, turnCap, { bootstrap: { samples: 10 } });
    const saved = evaluation.savedFractionOfUnresolvedCost;
    expect(saved).toBeGreaterThan(0);
    const savingCard = (html: string) =>
      /<div class="card (\w*)"><div class="card-label">Unresolved cost saved/.exec(html)?.[1];
    const report = (savingGoal: number) =>
      createHtmlReport({
        evaluation,
        curves: createThresholdCurves(sample, capPolicy),
        policy: capPolicy,
        savingGoal,
      });
    expect(savingCard(report(saved))).toBe('good');
    expect(savingCard(report(saved + 0.001))).toBe('bad');
    const html = report(0.2);
    expect(html).toMatch(
      /<figure class="in-sample"><figcaption>Saved versus lost over thresholds <span class="badge">in-sample<\/span>/,
    );
    expect(html).toContain('goal ≥ 20.0%');
  });
});
