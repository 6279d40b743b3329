import { defineTool, type Tool } from '@reins/core';
import type { Page } from 'playwright-core';
import { z } from 'zod';

/** Options of {@link createBrowserTools}. */
export interface BrowserToolsOptions {
  /** The page the tools drive. */
  readonly page: Page;
  /** The site's base URL; `open_page` resolves paths against it and refuses other origins. */
  readonly baseURL: string;
  /**
   * Characters of page content returned by `read_page`.
   * @defaultValue 6 000
   */
  readonly outputLimit?: number;
  /**
   * Milliseconds a navigation or an action may take.
   * @defaultValue 10 000
   */
  readonly actionTimeoutMs?: number;
}

const roles = ['link', 'button', 'tab', 'menuitem', 'checkbox', 'option'] as const;

/**
 * The tools of a web agent over one Playwright page: `open_page`, `read_page` (visible text
 * or the accessibility snapshot), `click` (by role and accessible name), `type` (into a field
 * found by its label, optionally submitting) and `go_back`. Every tool answers with the page
 * it ended on (`Page: <title> (<path>)`), so the model always knows where it is.
 *
 * @param options - page, base URL, output cap, action timeout.
 * @returns the five tools, for `createAgent({ tools })`.
 * @example
 * ```ts
 * const page = await (await launchChromium()).newPage();
 * const agent = createAgent({ backend, tools: createBrowserTools({ page, baseURL: app.url }) });
 * ```
 */
export function createBrowserTools(options: BrowserToolsOptions): Tool<unknown, string>[] {
  const { page } = options;
  const origin = new URL(options.baseURL).origin;
  const outputLimit = options.outputLimit ?? 6_000;
  const timeout = options.actionTimeoutMs ?? 10_000;
  page.setDefaultTimeout(timeout);
  const where = async () => {
    const url = new URL(page.url());
    return `Page: ${await page.title()} (${url.pathname}${url.search})`;
  };
  const cap = (text: string) =>
    text.length <= outputLimit
      ? text
      : `${text.slice(0, outputLimit)}\n[${text.length - outputLimit} more characters not shown]`;

  const open = defineTool({
    name: 'open_page',
    description: `Opens a page of the site (${origin}); give a path such as /admin or a full URL on the site.`,
    input: z.object({ url: z.string().min(1) }),
    execute: async ({ url }) => {
      const target = new URL(url, options.baseURL);
      if (target.origin !== origin) {
        throw new Error(
          `'${url}' is not on the site (${origin}). Open a path such as /admin, or a URL starting with ${origin}.`,
        );
      }
      await page.goto(target.href, { waitUntil: 'domcontentloaded' });
      return where();
    },
  });

  const read = defineTool({
    name: 'read_page',
    description:
      "Reads the current page: 'text' gives its visible text (tables as tab-separated rows), 'snapshot' its accessibility tree (roles and names of links, buttons, fields).",
    input: z.object({ mode: z.enum(['text', 'snapshot']).default('text') }),
    execute: async ({ mode }) => {
      const body = page.locator('body');
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText() is the rendered text (tables as tab-separated rows), not the DOM property
      const content = mode === 'text' ? await body.innerText() : await body.ariaSnapshot();
      return `${await where()}\n${cap(content)}`;
    },
  });

  const click = defineTool({
    name: 'click',
    description:
      'Clicks a link or button by its visible name (exact), e.g. { role: "link", name: "Reviews" }.',
    input: z.object({ name: z.string().min(1), role: z.enum(roles).default('link') }),
    execute: async ({ name, role }) => {
      const target = page.getByRole(role, { name, exact: true });
      const count = await target.count();
      if (count !== 1) {
        const names = await page
          .getByRole(role)
          .evaluateAll((elements) =>
            elements.map((element) => (element.textContent ?? '').trim()).filter(Boolean),
          );
        throw new Error(
          `${count === 0 ? 'No' : count} ${role} named '${name}' on this page${count > 1 ? ' (ambiguous)' : ''}. ${role}s here: ${names.slice(0, 30).join(', ') || 'none'}.`,
        );
      }
      await target.click();
      await page.waitForLoadState('domcontentloaded');
      return where();
    },
  });

  const type = defineTool({
    name: 'type',
    description:
      'Types text into the field with the given label, replacing what is there; submit: true presses Enter.',
    input: z.object({
      label: z.string().min(1),
      text: z.string(),
      submit: z.boolean().default(false),
    }),
    execute: async ({ label, text, submit }) => {
      const field = page.getByLabel(label, { exact: true });
      if ((await field.count()) !== 1) {
        throw new Error(
          `No single field labelled '${label}' on this page. Read the page with mode 'snapshot' to see the fields.`,
        );
      }
      await field.fill(text);
      if (submit) {
        await Promise.all([
          page.waitForNavigation({ waitUntil: 'domcontentloaded' }),
          field.press('Enter'),
        ]);
      }
      return where();
    },
  });

  const back = defineTool({
    name: 'go_back',
    description: 'Goes back to the previous page.',
    input: z.object({}),
    execute: async () => {
      const response = await page.goBack({ waitUntil: 'domcontentloaded' });
      if (response === null) throw new Error('There is no previous page to go back to.');
      return where();
    },
  });

  return [open, read, click, type, back] as Tool<unknown, string>[];
}
