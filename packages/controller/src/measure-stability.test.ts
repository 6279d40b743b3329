import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownAs } from '../../../scripts/thrown-by.js';
import { measureStability } from './measure-stability.js';
import type { TurnRecord } from './turn-record.js';

/** A run whose answers, tools, arguments and reasoning drift from turn to turn. */
function driftingRun(turns: number): TurnRecord[] {
  const tools = ['read_file', 'run_tests', 'edit_file'];
  return Array.from({ length: turns }, (_, index) => ({
    turn: index + 1,
    text: `Step ${index}: ${'looking at the parser '.repeat(1 + (index % 4))}`,
    reasoning: `Think about ${['dates', 'the lexer', 'tests', 'edge cases'][index % 4]} ${index}`,
    actions: [
      { name: tools[index % (index < 4 ? 1 : 3)] as string, arguments: 'x'.repeat(index * 7) },
    ],
    observations: [
      { name: 'tool', status: index % 3 === 2 ? ('error' as const) : ('ok' as const), text: 'out' },
    ],
  }));
}

const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

describe('measureStability', () => {
  it.each([0, -4, 2.5, Number.NaN])('refuses a window of %s turns, naming it', (window) => {
    const error = thrownAs(InvalidOptionsError, () => measureStability([], { window }));
    expect(error.field).toBe('window');
    expect(error.message).toContain(`window is ${String(window)}`);
  });

  it('scores each full window after the baseline, and averages the index and each dimension', () => {
    // windows of 4: turns 1–4 are the baseline, 5–8 and 9–12 are scored, 13–14 are partial
    const measurement = measureStability(driftingRun(14), { window: 4 });
    expect(measurement.window).toBe(4);
    expect(measurement.windows).toHaveLength(2);
    const [a, b] = measurement.windows as [
      (typeof measurement.windows)[0],
      (typeof measurement.windows)[0],
    ];
    expect(a.asi).not.toBe(b.asi);
    expect(measurement.asi).toBeCloseTo(mean([a.asi, b.asi]), 12);
    const names = Object.keys(a.dimensions);
    expect(names.length).toBeGreaterThan(3);
    expect(Object.keys(measurement.dimensions).sort()).toEqual(names.sort());
    for (const name of names) {
      const key = name as keyof typeof a.dimensions;
      expect(measurement.dimensions[key]).toBeCloseTo(
        mean([a.dimensions[key] as number, b.dimensions[key] as number]),
        12,
      );
    }
    const means = Object.values(measurement.dimensions) as number[];
    expect(Math.min(...means)).toBeLessThan(1);
  });

  it('accepts a window of one turn, and scores nothing until a window after the baseline fills', () => {
    expect(measureStability(driftingRun(3), { window: 1 }).windows).toHaveLength(2);
    const unscored = measureStability(driftingRun(7), { window: 4 });
    expect(unscored.windows).toEqual([]);
    expect(unscored).not.toHaveProperty('asi');
    expect(unscored.dimensions).toEqual({});
  });
});
