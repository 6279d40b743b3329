import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { miniSweAgent, packageRoot, parseJsonOutput, requireData, runReins } from './helpers.js';
import { launchChromium, requireChromium } from './launch-chromium.js';

/** The screenshot is kept here for a person to look at (ignored by git). */
const screenshot = join(packageRoot, 'artifacts/report.png');

let work: string;

beforeAll(async () => {
  requireData(miniSweAgent);
  requireChromium('the report test opens the HTML report in it');
  work = await mkdtemp(join(tmpdir(), 'reins-report-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

it('writes a self-contained report that renders its plots in Chromium without errors', async () => {
  const policy = join(work, 'policy.json');
  const out = join(work, 'nested', 'report.html');
  const calibrated = await runReins([
    'calibrate',
    '--data',
    miniSweAgent,
    '--out',
    policy,
    '--json',
  ]);
  expect(calibrated.code, calibrated.stderr).toBe(0);
  const result = parseJsonOutput(
    await runReins([
      'report',
      '--data',
      miniSweAgent,
      '--policy',
      policy,
      '--out',
      out,
      '--mkdir',
      '--runs',
      '30',
      '--json',
    ]),
  );
  expect(result.report).toBe(out);
  const html = await readFile(out, 'utf8');
  // Self-contained: nothing is fetched and nothing runs.
  expect(html).not.toMatch(/<script|<link|<img|@import|url\((?!#)/i);

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) problems.push(`request: ${request.url()}`);
    });
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });

    const plots = await page.$$eval('svg.plot', (elements) =>
      elements.map((element) => {
        const box = element.getBoundingClientRect();
        return {
          plot: element.getAttribute('data-plot'),
          width: box.width,
          height: box.height,
          shapes: element.querySelectorAll('rect, path, circle, line').length,
        };
      }),
    );
    expect(plots.map((plot) => plot.plot)).toEqual(['turns', 'cost', 'saved-vs-lost', 'timelines']);
    for (const plot of plots) {
      expect(plot.width, plot.plot ?? '').toBeGreaterThan(300);
      expect(plot.height, plot.plot ?? '').toBeGreaterThan(150);
      expect(plot.shapes, plot.plot ?? '').toBeGreaterThan(10);
    }

    // Every run is in each histogram, split by outcome as evaluated.
    for (const id of ['turns', 'cost']) {
      const counts = await page.$$eval(`svg[data-plot="${id}"] rect.bar[data-count]`, (bars) =>
        bars.map((bar) => ({
          outcome: bar.classList.contains('resolved') ? 'resolved' : 'other',
          count: Number(bar.getAttribute('data-count')),
        })),
      );
      const total = counts.reduce((sum, bar) => sum + bar.count, 0);
      const resolved = counts
        .filter((bar) => bar.outcome === 'resolved')
        .reduce((sum, bar) => sum + bar.count, 0);
      expect(total, id).toBe(result.runs);
      expect(resolved, id).toBe(result.resolved);
    }

    // The saved-versus-lost curves are drawn, and the policy's point is inside the plot.
    const curve = await page.$eval('svg[data-plot="saved-vs-lost"]', (svg) => {
      const box = svg.getBoundingClientRect();
      const point = svg.querySelector('circle.chosen')?.getBoundingClientRect();
      return {
        scorer: svg.querySelector('path.curve.scorer')?.getAttribute('d')?.split('L').length ?? 0,
        turnCap:
          svg.querySelector('path.curve.turn-cap')?.getAttribute('d')?.split('L').length ?? 0,
        inside:
          point !== undefined &&
          point.left >= box.left &&
          point.right <= box.right &&
          point.top >= box.top &&
          point.bottom <= box.bottom,
      };
    });
    expect(curve.scorer).toBeGreaterThan(20);
    expect(curve.turnCap).toBeGreaterThan(20);
    expect(curve.inside).toBe(true);

    // Timelines: the requested number of runs, every stopped run first, one dot per firing.
    const rows = await page.$$eval('svg[data-plot="timelines"] g.run', (groups) =>
      groups.map((group) => ({
        stopped: group.getAttribute('data-stopped') === 'true',
        dots: group.querySelectorAll('circle.firing').length,
        stopMarks: group.querySelectorAll('line.stop-mark').length,
      })),
    );
    expect(rows).toHaveLength(30);
    const stoppedRows = rows.filter((row) => row.stopped).length;
    expect(stoppedRows).toBe(Math.min(30, result.runsStopped as number));
    expect(rows.slice(0, stoppedRows).every((row) => row.stopped && row.stopMarks === 1)).toBe(
      true,
    );
    expect(rows.reduce((sum, row) => sum + row.dots, 0)).toBeGreaterThan(0);

    // The stability table: the index and nine dimensions, each measured one with a visible bar
    // whose median tick sits at its p50 on the 0–1 scale.
    const stability = result.stability as {
      dimensions: Record<string, { p50: number } | null>;
    };
    const stabilityRows = await page.$$eval('#stability tbody tr', (trs) =>
      trs.map((tr) => {
        const svg = tr.querySelector('svg.range');
        const tick = svg?.querySelector('line.median-tick');
        return {
          name: tr.querySelector('code')?.textContent ?? '',
          width: svg?.getBoundingClientRect().width ?? 0,
          tick: Number(tick?.getAttribute('x1') ?? Number.NaN),
        };
      }),
    );
    expect(stabilityRows.map((row) => row.name)).toEqual([
      'ASI',
      ...Object.keys(stability.dimensions),
    ]);
    for (const row of stabilityRows.slice(1)) {
      const measured = stability.dimensions[row.name];
      if (measured === null || measured === undefined) continue;
      expect(row.width, row.name).toBeGreaterThan(100);
      expect(row.tick, row.name).toBeCloseTo(4 + measured.p50 * 152, 0);
    }

    const headline = await page.textContent('.cards');
    expect(headline).toContain(String(result.runs));

    await mkdir(join(packageRoot, 'artifacts'), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
}, 240_000);
