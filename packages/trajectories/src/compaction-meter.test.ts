import type { Controller } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { meterCompaction } from './compaction-meter.js';
import { evaluateController } from './evaluate-controller.js';
import { simulateController } from './simulate-controller.js';
import type { Trajectory } from './trajectory.js';

const usage = (inputTokens: number) => ({
  inputTokens,
  outputTokens: 10,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  costUsd: inputTokens / 1e6,
});

/** Two shell calls with 1,000-byte outputs, then an answer; 100, 600 and 1,100 input tokens. */
const run: Trajectory = {
  format: 'reins.trajectory',
  version: 1,
  id: 'fixture',
  task: 'T',
  turns: [
    {
      index: 1,
      text: '',
      actions: [
        {
          id: 'c1',
          name: 'shell',
          arguments: '{}',
          result: { status: 'ok', output: 'x'.repeat(1000) },
        },
      ],
      usage: usage(100),
    },
    {
      index: 2,
      text: '',
      actions: [
        {
          id: 'c2',
          name: 'shell',
          arguments: '{}',
          result: { status: 'ok', output: 'y'.repeat(1000) },
        },
      ],
      usage: usage(600),
    },
    { index: 3, text: 'done', actions: [], usage: usage(1100) },
  ],
  outcome: { resolved: true },
  source: { format: 'reins' },
};

/** Before the third call, replaces the first call and its result with the summary 's'. */
const compactsOnce: Controller = {
  name: 'compacts-once',
  open: () => ({
    beforeModel: (view) =>
      view.turn === 2
        ? [{ type: 'compact', from: 1, to: 3, summary: 's', source: 'compacts-once' }]
        : undefined,
  }),
};

describe('meterCompaction', () => {
  it('counts the input tokens later calls would not have re-sent, in proportion to bytes', () => {
    // By hand: the task 'T' is 1 + 8 bytes; an assistant message with one call `shell {}` is
    // 0 + 8 + (5 + 2 + 16) = 31; a 1,000-byte tool result 1,016; the summary 's' 9.
    // Removed: 31 + 1,016 − 9 = 1,038. The third prompt holds 9 + 9 + 31 + 1,016 = 1,065.
    // Saved: 1,100 × 1,038 / (1,065 + 1,038); the first two calls save nothing.
    const meter = meterCompaction(compactsOnce);
    simulateController(run, meter.controller);
    const savings = meter.take();
    expect(savings.compactions).toBe(1);
    expect(savings.inputTokens).toBe(1800);
    expect(savings.inputTokensSaved).toBeCloseTo((1100 * 1038) / 2103, 6);
    expect(meter.take()).toEqual({ compactions: 0, inputTokens: 0, inputTokensSaved: 0 });
  });

  it('changes no decision, and the fast path and the real loop measure the same', async () => {
    const fast = await evaluateController([run], compactsOnce, { bootstrap: { samples: 10 } });
    const loop = await evaluateController([run], compactsOnce, {
      mode: 'loop',
      bootstrap: { samples: 10 },
    });
    expect(fast.perRun[0]?.firings.map((firing) => firing.name)).toEqual(['compact']);
    expect(fast.compaction).toEqual({
      runs: 1,
      compactions: 1,
      inputTokens: 1800,
      inputTokensSaved: expect.closeTo((1100 * 1038) / 2103, 6),
      inputTokensSavedFraction: expect.closeTo((1100 * 1038) / 2103 / 1800, 9),
    });
    expect(loop.compaction.compactions).toBe(1);
    expect(loop.compaction.inputTokensSaved).toBeCloseTo(fast.compaction.inputTokensSaved, 6);
  });

  it('saves nothing when nothing is compacted', async () => {
    const report = await evaluateController([run], { name: 'idle', open: () => ({}) });
    expect(report.compaction).toMatchObject({ runs: 0, compactions: 0, inputTokensSaved: 0 });
    expect(report.compaction.inputTokens).toBe(1800);
  });
});
