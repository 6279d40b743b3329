import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { withHeavyTailedPauses } from './with-heavy-tailed-pauses.js';
import type { ProgramTemplate } from './workload.js';

const templates: ProgramTemplate[] = Array.from({ length: 200 }, (_, program) => ({
  id: `t${program}`,
  turns: Array.from({ length: 20 }, (_, turn) => ({
    promptTokens: 1_000 + turn * 100,
    outputTokens: 50,
    pauseMs: 1_000,
    toolKey: turn % 2 === 0 ? 'bash:pytest' : 'bash:cat',
  })),
}));

describe('withHeavyTailedPauses', () => {
  const heavy = withHeavyTailedPauses(templates, { seed: 3 });
  const pauses = heavy.flatMap((template) =>
    template.turns.slice(0, -1).map((turn) => turn.pauseMs),
  );

  it('keeps tokens and tool keys, ends each program without a pause, and is reproducible', () => {
    expect(heavy[0]?.turns.map((turn) => turn.toolKey)).toEqual(
      templates[0]?.turns.map((turn) => turn.toolKey),
    );
    expect(heavy.every((template) => template.turns.at(-1)?.pauseMs === 0)).toBe(true);
    expect(withHeavyTailedPauses(templates, { seed: 3 })).toEqual(heavy);
    expect(withHeavyTailedPauses(templates, { seed: 4 })).not.toEqual(heavy);
  });

  it('has a heavy tail: the mean well above the median, some pauses over a minute', () => {
    const sorted = [...pauses].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    const mean = pauses.reduce((sum, pause) => sum + pause, 0) / pauses.length;
    expect(mean).toBeGreaterThan(2 * median);
    expect(pauses.filter((pause) => pause > 60_000).length).toBeGreaterThan(pauses.length / 100);
    expect(Math.max(...pauses)).toBeLessThanOrEqual(600_000);
  });

  it('makes one program’s tool consistently slower or faster than another’s', () => {
    const medianOf = (template: ProgramTemplate) => {
      const sorted = template.turns
        .filter((turn, index) => turn.toolKey === 'bash:cat' && index < template.turns.length - 1)
        .map((turn) => turn.pauseMs)
        .sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] as number;
    };
    const medians = heavy.map(medianOf).sort((a, b) => a - b);
    expect((medians.at(-20) as number) / (medians[20] as number)).toBeGreaterThan(4);
  });

  it('refuses a tail share outside [0, 1]', () => {
    expect(() => withHeavyTailedPauses(templates, { tailShare: 1.5 })).toThrow(InvalidOptionsError);
  });
});
