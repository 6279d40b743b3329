import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserTools } from './create-browser-tools.js';
import { createScriptedShopper } from './create-scripted-shopper.js';
import { launchChromium } from './launch-chromium.js';
import { runWebTask } from './run-web-task.js';
import { type StoreApp, startStoreApp } from './start-store-app.js';
import { readWebTasks, type WebTask } from './web-task.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const interruptBench = resolve(repoRoot, '../shared/data/interruptbench');

let browser: Browser;
let tasks: WebTask[];

beforeAll(async () => {
  // Fails with ChromiumMissingError (naming /usr/bin/chromium and the apt command) when absent.
  browser = await launchChromium();
  tasks = await readWebTasks(interruptBench);
});

afterAll(async () => {
  await browser?.close();
});

describe('the web agent on the InterruptBench-style tasks', () => {
  it('covers an addition, a revision and a retraction', () => {
    expect(tasks.map((task) => task.kind)).toEqual(['addition', 'revision', 'retraction']);
  });

  it.each(['addition', 'revision', 'retraction'])(
    'answers the %s task as updated, matching the store data',
    async (kind) => {
      const task = tasks.find((each) => each.kind === kind) as WebTask;
      const backend = createScriptedShopper();
      const outcome = await runWebTask({ task, browser, backend });
      expect(outcome.result.status).toBe('done');
      expect(outcome.passed).toBe(true);
      for (const value of outcome.expected) expect(outcome.answer).toContain(value);
      // The updates reached the model right after the chosen tool result, not before.
      const at = backend.requests[task.interruptAfterTools];
      const before = backend.requests[task.interruptAfterTools - 1];
      for (const update of task.updates) {
        expect(JSON.stringify(at?.messages)).toContain(JSON.stringify(update).slice(1, -1));
        expect(JSON.stringify(before?.messages)).not.toContain(JSON.stringify(update).slice(1, -1));
      }
    },
  );

  it('gives the stale answer when the updates never come', async () => {
    for (const task of tasks) {
      const silent = { ...task, updates: [] };
      const outcome = await runWebTask({ task: silent, browser });
      expect(outcome.result.status).toBe('done');
      expect(outcome.passed).toBe(false);
    }
  });
});

describe('browser tools', () => {
  let app: StoreApp;
  let page: Page;
  let tools: Map<string, (input: Record<string, unknown>) => Promise<string>>;

  beforeAll(async () => {
    app = await startStoreApp();
    page = await browser.newPage();
    tools = new Map(
      createBrowserTools({ page, baseURL: app.url }).map((tool) => [
        tool.name,
        (input) =>
          Promise.resolve(
            tool.execute(tool.input.parse(input), {
              signal: new AbortController().signal,
              runId: 'run',
              callId: 'call',
            }),
          ),
      ]),
    );
  });

  afterAll(async () => {
    await page?.close();
    await app?.close();
  });

  const use = (name: string, input: Record<string, unknown> = {}) =>
    (tools.get(name) as (input: Record<string, unknown>) => Promise<string>)(input);

  it('opens, reads as text and as an accessibility snapshot, clicks and goes back', async () => {
    expect(await use('open_page', { url: '/admin' })).toBe('Page: Dashboard (/admin)');
    const snapshot = await use('read_page', { mode: 'snapshot' });
    expect(snapshot).toContain('link "Reviews"');
    expect(snapshot).toContain('heading "Dashboard" [level=1]');
    expect(await use('click', { name: 'Orders' })).toBe('Page: Orders (/admin/orders)');
    expect(await use('read_page', { mode: 'text' })).toMatch(
      /#000000303\t2023-01-12\tSamantha Jones\tcanceled\t\$288\.00/,
    );
    expect(await use('go_back')).toBe('Page: Dashboard (/admin)');
  });

  it('types into a labelled field and submits', async () => {
    await use('open_page', { url: '/admin/reviews' });
    expect(await use('type', { label: 'Keyword', text: 'strap', submit: true })).toBe(
      'Page: Reviews (/admin/reviews?q=strap)',
    );
    expect(await use('read_page')).toContain('1 reviews found containing "strap".');
  });

  it('changes the store through the page: cancelling an order', async () => {
    await use('open_page', { url: '/admin/orders/306' });
    await use('click', { role: 'button', name: 'Cancel order' });
    expect(app.data.orders.find((order) => order.id === 306)?.status).toBe('canceled');
    expect(await use('read_page')).toContain('Status: canceled.');
  });

  it('explains what it cannot do', async () => {
    await use('open_page', { url: '/admin' });
    await expect(use('click', { name: 'Customers' })).rejects.toThrow(
      /No link named 'Customers' on this page\. links here: Dashboard, Products, Orders, Reviews, Reports\./,
    );
    await expect(use('type', { label: 'Email', text: 'x' })).rejects.toThrow(
      /No single field labelled 'Email'/,
    );
    await expect(use('open_page', { url: 'https://example.com/' })).rejects.toThrow(
      /is not on the site/,
    );
  });
});
