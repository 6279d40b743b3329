import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { miniSweAgent, packageRoot, parseJsonOutput, requireData, runReins } from './helpers.js';
import { launchChromium, requireChromium } from './launch-chromium.js';

/** The plot is kept here as a screenshot for a person to look at (ignored by git). */
const screenshot = join(packageRoot, 'artifacts/simulate-plot.png');

interface PolicyRow {
  readonly policy: string;
  readonly meanJobMs: number;
  readonly p95JobMs: number;
  readonly programsPerMinute: number;
  readonly recomputedPrefillTokens: number;
  readonly cacheHitRate: number;
}
interface Summary {
  readonly runs: number;
  readonly workloadRuns: number;
  readonly seedRuns: number;
  readonly programs: number;
  readonly seed: number;
  readonly rates: number[];
  readonly policies: string[];
  readonly rows: { arrivalsPerSecond: number; policies: PolicyRow[] }[];
  readonly out: string;
  readonly plot: string;
}

// Small enough to run in seconds, loaded enough that the policies differ at the higher rate.
const args = [
  '--programs',
  '60',
  '--rates',
  '0.1,0.5',
  '--seed',
  '3',
  '--policies',
  'lru,continuum,pin30,reins',
];
let work: string;

beforeAll(async () => {
  requireData(miniSweAgent);
  requireChromium('the simulate test parses the SVG plot in it');
  work = await mkdtemp(join(tmpdir(), 'reins-simulate-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('reins simulate', () => {
  it('prints a table that matches the JSON it writes, and a plot with one line per policy', async () => {
    const out = join(work, 'nested', 'results.json');
    const plot = join(work, 'plot.svg');
    const text = await runReins([
      'simulate',
      '--data',
      miniSweAgent,
      ...args,
      '--out',
      out,
      '--mkdir',
      '--plot',
      plot,
    ]);
    expect(text.code, text.stderr).toBe(0);
    // not a terminal: no progress on stderr
    expect(text.stderr).toBe('');
    const summary = JSON.parse(await readFile(out, 'utf8')) as Summary;

    // The mini-swe-agent runs all have usage and times: half are the workload, half the seed.
    const trajs = await readdir(join(miniSweAgent, 'trajs'));
    expect(summary.runs).toBe(trajs.length);
    expect(summary.workloadRuns).toBe(Math.ceil(trajs.length / 2));
    expect(summary.seedRuns).toBe(Math.floor(trajs.length / 2));
    expect(summary).toMatchObject({ programs: 60, seed: 3, rates: [0.1, 0.5], out, plot });
    expect(summary.policies).toEqual(['lru', 'continuum', 'pin30', 'reins']);

    // Every table row is the JSON's figures, rounded as printed.
    const tableRows = text.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s{2,}/))
      .filter((cells) => cells.length === 7 && cells[0] !== 'rate/s');
    expect(tableRows).toHaveLength(summary.rates.length * summary.policies.length);
    const expected = summary.rows.flatMap((row) =>
      row.policies.map((result) => [
        String(row.arrivalsPerSecond),
        result.policy,
        (result.meanJobMs / 1000).toFixed(1),
        (result.p95JobMs / 1000).toFixed(1),
        result.programsPerMinute.toFixed(2),
        String(Math.round(result.recomputedPrefillTokens)),
        result.cacheHitRate.toFixed(3),
      ]),
    );
    expect(tableRows).toEqual(expected);

    // Sanity of the figures themselves: the p95 is at least the mean, hit rates are shares,
    // and under load pinning recomputes fewer prefill tokens than LRU without pins.
    for (const row of summary.rows) {
      for (const result of row.policies) {
        expect(result.p95JobMs).toBeGreaterThanOrEqual(result.meanJobMs);
        expect(result.cacheHitRate).toBeGreaterThan(0);
        expect(result.cacheHitRate).toBeLessThanOrEqual(1);
      }
    }
    const high = summary.rows.at(-1)?.policies ?? [];
    const byName = Object.fromEntries(high.map((result) => [result.policy, result]));
    expect(byName.reins?.recomputedPrefillTokens ?? Number.NaN).toBeLessThan(
      byName.lru?.recomputedPrefillTokens ?? Number.NaN,
    );

    // The same run with --json prints the same figures as one object.
    const json = parseJsonOutput(
      await runReins(['simulate', '--data', miniSweAgent, ...args, '--json']),
    );
    expect(json.rows).toEqual(summary.rows);
    expect(json.out).toBeUndefined();

    // The SVG is well-formed XML, self-contained, and has one line per policy through each rate.
    const svg = await readFile(plot, 'utf8');
    expect(svg).not.toMatch(/<script|href=|url\(/i);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 700, height: 450 } });
      // Opened as a file, Chromium parses it as XML: a malformed document shows a parsererror.
      await page.goto(pathToFileURL(plot).href, { waitUntil: 'load' });
      expect(
        await page.$$eval('parsererror', (errors) => errors.map((error) => error.textContent)),
      ).toEqual([]);
      expect(await page.$eval(':root', (root) => root.nodeName)).toBe('svg');
      const paths = await page.$$eval('path', (elements) =>
        elements.map((path) => ({
          policy: path.getAttribute('data-policy'),
          points: (path.getAttribute('d') ?? '')
            .split(/[ML]/)
            .filter((part: string) => part.trim() !== '').length,
        })),
      );
      expect(paths).toEqual(
        summary.policies.map((policy) => ({ policy, points: summary.rates.length })),
      );
      const texts = await page.$$eval('text', (elements) =>
        elements.map((text) => text.textContent),
      );
      expect(texts).toEqual(
        expect.arrayContaining([
          'program arrivals per second',
          'mean job completion time (s)',
          'Reins hints',
          '0.1',
          '0.5',
        ]),
      );
      // It renders with a size.
      const box = await page.$eval(':root', (element) => {
        const rect = element.getBoundingClientRect();
        return { width: rect.width, height: rect.height };
      });
      expect(box.width).toBeGreaterThan(300);
      expect(box.height).toBeGreaterThan(200);
      await mkdir(join(packageRoot, 'artifacts'), { recursive: true });
      await page.screenshot({ path: screenshot });
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('rejects a bad rate list and a missing folder, naming the value and the fix', async () => {
    const rates = await runReins(['simulate', '--data', miniSweAgent, '--rates', '0.02,,0.1']);
    expect(rates.code).toBe(1);
    expect(rates.stderr).toContain(
      'reins: error [invalid-argument]: --rates 0.02,,0.1 is not valid: expected comma-separated program arrivals per second, each above 0, e.g. 0.02,0.05,0.08.',
    );
    const programs = await runReins(['simulate', '--data', miniSweAgent, '--programs', '0']);
    expect(programs.code).toBe(1);
    expect(programs.stderr).toContain('--programs 0 is not valid');
    const policies = await runReins([
      'simulate',
      '--data',
      miniSweAgent,
      '--programs',
      '2',
      '--policies',
      'lru,sglang',
    ]);
    expect(policies.code).toBe(1);
    expect(policies.stderr).toContain('policies has unknown names: sglang. Valid policies: lru,');
    const missing = await runReins(['simulate', '--data', join(work, 'nowhere')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[missing-path]');
    expect(missing.stdout).toBe('');
  }, 60_000);

  it('refuses runs without per-call usage and times, naming the folder and which runs to use', async () => {
    const tau = join(requireData(join(miniSweAgent, '../../tau-bench')));
    const result = await runReins(['simulate', '--data', tau, '--programs', '5', '--json']);
    expect(result.code, result.stdout).toBe(1);
    expect(result.stderr).toMatch(/\[no-runs\].*none with per-call token usage and start times/);
    expect(result.stderr).toContain('mini-swe-agent');
  }, 60_000);
});
