import { describe, expect, it } from 'vitest';
import type { SimulationSweep } from './run-simulation-sweep.js';
import { toSweepSvg } from './to-sweep-svg.js';

const result = (policy: 'lru' | 'reins', meanJobMs: number) => ({
  policy,
  meanJobMs,
  meanJobMsBySeed: [meanJobMs],
  pins: 0,
  p95JobMs: meanJobMs * 2,
  programsPerMinute: 1,
  recomputedPrefillTokens: 0,
  cacheHitRate: 0.5,
  preemptions: 0,
  evictions: 0,
});
const sweep: SimulationSweep = {
  programs: 10,
  seeds: [1],
  policies: ['lru', 'reins'],
  rows: [
    {
      arrivalsPerSecond: 0.1,
      policies: [result('lru', 100_000), result('reins', 50_000)],
    },
    {
      arrivalsPerSecond: 0.3,
      policies: [result('lru', 400_000), result('reins', 100_000)],
    },
  ],
};

/** The numbers of a path's `d` attribute as [x, y] pairs. */
function pathPoints(svg: string, policy: string): number[][] {
  const match = new RegExp(`<path d="([^"]+)"[^>]*data-policy="${policy}"`).exec(svg);
  if (match === null) throw new Error(`no path for ${policy} in:\n${svg}`);
  return (match[1] as string)
    .split(/ ?[ML]/)
    .filter(Boolean)
    .map((pair) => pair.split(' ').map(Number));
}

describe('toSweepSvg', () => {
  it('draws one path per policy; a higher mean job time is drawn higher, later rates to the right', () => {
    const svg = toSweepSvg(sweep, { title: 'JCT <sweep> & more' });
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('JCT &lt;sweep&gt; &amp; more');
    const lru = pathPoints(svg, 'lru');
    const reins = pathPoints(svg, 'reins');
    expect(lru).toHaveLength(2);
    // same x for the same rate, increasing with the rate
    expect(lru.map((point) => point[0])).toEqual(reins.map((point) => point[0]));
    expect((lru[1]?.[0] ?? 0) > (lru[0]?.[0] ?? 0)).toBe(true);
    // SVG y grows downwards: LRU's 400 s is above Reins' 100 s, and four times as far from the axis
    const axis = Number(/<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="\1"\/>/.exec(svg)?.[1]);
    expect((lru[1]?.[1] ?? 0) < (reins[1]?.[1] ?? 0)).toBe(true);
    expect((axis - (lru[1]?.[1] ?? 0)) / (axis - (reins[1]?.[1] ?? 0))).toBeCloseTo(4, 1);
    expect(svg).toContain('Reins hints');
    expect(svg).toContain('vLLM-like (LRU, no pins)');
    expect(svg).not.toMatch(/<script|href=/);
  });

  it('draws a single rate without dividing by zero', () => {
    const svg = toSweepSvg({ ...sweep, rows: sweep.rows.slice(0, 1) });
    expect(svg).not.toContain('NaN');
    expect(svg).not.toContain('Infinity');
  });
});
