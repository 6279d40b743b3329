import { type Message, type ModelRequest, toolResultText } from '@reins/core';
import {
  createScriptedBackend,
  type ScriptedBackend,
  type ScriptedResponse,
} from '@reins/core/testing';
import { fromPlaywrightMcpResult, toPlaywrightMcpCalls } from './playwright-mcp-dialect.js';

/** The model id the scripted shopper reports. */
export const scriptedShopperModelId = 'web-agent-script';

/** Which browser tools the shopper calls. */
export type ShopperTools = 'built-in' | 'playwright-mcp';

/** Options of {@link createScriptedShopper}. */
export interface ScriptedShopperOptions {
  /**
   * The example's own browser tools, or the Playwright MCP server's.
   * @defaultValue `'built-in'`
   */
  readonly tools?: ShopperTools;
}

/** What the shopper knows from the conversation so far. */
interface Situation {
  /** The site, from the instructions (`The store admin is at <url>/admin`). */
  readonly baseURL: string;
  readonly task: string;
  readonly updates: readonly string[];
  readonly toolNames: readonly string[];
  /** The last tool result, or '' before any. */
  readonly last: string;
  /** Title and path of the page the last tool ended on: `Page: <title> (<path>)`. */
  readonly page: string;
}

function situationOf(messages: readonly Message[], tools: ShopperTools): Situation {
  let baseURL = '';
  let task = '';
  const updates: string[] = [];
  const toolNames: string[] = [];
  let last = '';
  for (const message of messages) {
    if (message.role === 'system') {
      baseURL = /(https?:\/\/\S+?)\/admin/.exec(message.content)?.[1] ?? baseURL;
    } else if (message.role === 'user') {
      if (message.origin?.kind === 'interrupt') updates.push(...message.content.split('\n'));
      else if (task === '' && message.origin?.kind !== 'controller') task = message.content;
    } else if (message.role === 'tool') {
      const text = toolResultText(message.result);
      const read =
        tools === 'playwright-mcp'
          ? fromPlaywrightMcpResult(message.toolName, text)
          : { toolName: message.toolName, text };
      toolNames.push(read.toolName);
      last = read.text;
    }
  }
  const page = /^Page: .*$/m.exec(last)?.[0] ?? '';
  return { baseURL, task, updates, toolNames, last, page };
}

/** The newest statement (updates first, newest first; then the task) matching `pattern`. */
function latest(situation: Situation, pattern: RegExp): RegExpExecArray | undefined {
  for (const text of [...situation.updates].reverse().concat(situation.task)) {
    const match = pattern.exec(text);
    if (match !== null) return match;
  }
  return undefined;
}

const call = (text: string, name: string, input: Record<string, unknown>): ScriptedResponse => ({
  text,
  toolCalls: [{ name, arguments: input }],
});

function reviewsStep(situation: Situation): ScriptedResponse {
  const term = latest(situation, /"([^"]+)"/)?.[1];
  if (situation.toolNames.length === 0)
    return call('Opening the store admin.', 'open_page', { url: '/admin' });
  if (!situation.page.startsWith('Page: Reviews'))
    return call('Going to the reviews.', 'click', { role: 'link', name: 'Reviews' });
  if (term !== undefined && !situation.page.includes(`q=${encodeURIComponent(term)}`))
    return call(`Searching the reviews for "${term}".`, 'type', {
      label: 'Keyword',
      text: term,
      submit: true,
    });
  if (situation.toolNames.at(-1) !== 'read_page') {
    const mode = situation.toolNames.includes('read_page') ? 'text' : 'snapshot';
    return call('Reading the page.', 'read_page', { mode });
  }
  const count = /(\d+) reviews found/.exec(situation.last)?.[1];
  if (count === undefined) return { text: 'I could not find the number of reviews on the page.' };
  return {
    text:
      term === undefined
        ? `The store has received ${count} reviews so far.`
        : `${count} reviews mention "${term}".`,
  };
}

const monthPattern = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? (\d{4})\b/;

function bestsellersStep(situation: Situation): ScriptedResponse {
  const count = Number(latest(situation, /\btop[- ]?(\d+)\b/i)?.[1] ?? 5);
  const monthMatch = latest(situation, monthPattern);
  const month = monthMatch === undefined ? undefined : `${monthMatch[1]} ${monthMatch[2]}`;
  const priceRule = /priced over \$(\d+)/.exec(situation.task);
  const priceDropped = situation.updates.some((update) =>
    /regardless of price|price filter/i.test(update),
  );
  const minPrice = priceRule !== null && !priceDropped ? Number(priceRule[1]) : 0;
  const { page } = situation;
  if (situation.toolNames.length === 0)
    return call('Opening the store admin.', 'open_page', { url: '/admin' });
  if (page.startsWith('Page: Dashboard'))
    return call('The bestsellers are under the reports.', 'click', {
      role: 'link',
      name: 'Reports',
    });
  if (page.startsWith('Page: Reports'))
    return call('Opening the bestsellers report.', 'click', { role: 'link', name: 'Bestsellers' });
  if (month !== undefined && !page.includes(`- ${month}`))
    return call(`Switching the report to ${month}.`, 'click', { role: 'link', name: month });
  if (situation.toolNames.at(-1) !== 'read_page')
    return call('Reading the report.', 'read_page', { mode: 'text' });
  const rows = situation.last
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((cells) => cells.length === 5 && /^\d+$/.test(cells[0] ?? ''))
    .map(([, name = '', , price = '', sold = '']) => ({
      name,
      price: Number(price.replace('$', '')),
      sold: Number(sold),
    }));
  const chosen = rows.filter((row) => row.price > minPrice).slice(0, count);
  const filter = minPrice > 0 ? ` priced over $${minPrice}` : '';
  return {
    text: `The top-${count} best-selling products${filter} in ${month ?? 'the period'}: ${chosen
      .map((row) => `${row.name} (${row.sold} sold)`)
      .join(', ')}.`,
  };
}

/**
 * A scripted web shopper for running the web agent without a model: a small rule-based policy
 * that reads the conversation (the task, the user's updates, the tool results) and picks the
 * next browser action, then answers from the page it read. Only the model is scripted; the
 * browser and the store are real, and the answer comes from the page.
 *
 * @param options - which browser tools it calls: the built-in ones, or the Playwright MCP
 * server's (`createScriptedShopper({ tools: 'playwright-mcp' })`).
 * @returns a scripted backend (it records its `requests`).
 * @example
 * ```ts
 * const agent = createAgent({ backend: createScriptedShopper(), tools: createBrowserTools({ page, baseURL }) });
 * ```
 */
export function createScriptedShopper(options: ScriptedShopperOptions = {}): ScriptedBackend {
  const tools = options.tools ?? 'built-in';
  const step = (request: ModelRequest): ScriptedResponse => {
    const situation = situationOf(request.messages, tools);
    const response = /review/i.test(situation.task)
      ? reviewsStep(situation)
      : bestsellersStep(situation);
    return tools === 'playwright-mcp'
      ? toPlaywrightMcpCalls(response, situation.baseURL)
      : response;
  };
  return createScriptedBackend({
    modelId: scriptedShopperModelId,
    chunkSize: 32,
    responses: Array.from({ length: 20 }, () => step),
  });
}
