import type { ScriptedResponse } from '@reins/core/testing';

/** The page's place and visible text, as the built-in `read_page` gives them. */
const readPageFunction =
  "() => 'Page: ' + document.title + ' (' + location.pathname + location.search + ')\\n' + document.body.innerText";

/** Built-in tool names by Playwright MCP tool name. */
const builtInNames: Readonly<Record<string, string>> = {
  browser_navigate: 'open_page',
  browser_click: 'click',
  browser_type: 'type',
  browser_evaluate: 'read_page',
  browser_navigate_back: 'go_back',
};

/**
 * Rewrites a response's built-in browser calls (`open_page`, `click`, `type`, `read_page`,
 * `go_back`) as the Playwright MCP server's tools: `browser_navigate` with an absolute URL,
 * `browser_click` and `browser_type` with a Playwright selector as target (`role=link[name="…"]`,
 * `internal:label="…"i`), and `browser_evaluate` reading the page's text.
 *
 * @param response - a response calling the built-in tools.
 * @param baseURL - the site, for `open_page`'s paths.
 * @returns the same response calling the MCP tools.
 */
export function toPlaywrightMcpCalls(
  response: ScriptedResponse,
  baseURL: string,
): ScriptedResponse {
  if (response.toolCalls === undefined) return response;
  return {
    ...response,
    toolCalls: response.toolCalls.map((call) => {
      const input = (call.arguments ?? {}) as Record<string, unknown>;
      switch (call.name) {
        case 'open_page':
          return {
            name: 'browser_navigate',
            arguments: { url: new URL(String(input.url), baseURL).href },
          };
        case 'click':
          return {
            name: 'browser_click',
            arguments: {
              element: `${String(input.name)} ${String(input.role)}`,
              target: `role=${String(input.role)}[name=${JSON.stringify(input.name)}]`,
            },
          };
        case 'type':
          return {
            name: 'browser_type',
            arguments: {
              element: `${String(input.label)} field`,
              target: `internal:label=${JSON.stringify(input.label)}i`,
              text: input.text,
              submit: input.submit === true,
            },
          };
        case 'read_page':
          return { name: 'browser_evaluate', arguments: { function: readPageFunction } };
        case 'go_back':
          return { name: 'browser_navigate_back', arguments: {} };
        default:
          return call;
      }
    }),
  };
}

/**
 * Reads a Playwright MCP tool result as the built-in tools would have answered: the tool's
 * built-in name, and its text with the `Page: <title> (<path>)` line first.
 *
 * @param toolName - the MCP tool's name.
 * @param text - its result text (markdown sections: `### Result`, `### Page`, …).
 * @returns the built-in name and text.
 */
export function fromPlaywrightMcpResult(
  toolName: string,
  text: string,
): { readonly toolName: string; readonly text: string } {
  const name = builtInNames[toolName] ?? toolName;
  const result = /^### Result\n(".*")$/m.exec(text)?.[1];
  if (result !== undefined) return { toolName: name, text: JSON.parse(result) as string };
  const url = /^- Page URL: (.*)$/m.exec(text)?.[1];
  const title = /^- Page Title: (.*)$/m.exec(text)?.[1];
  if (url === undefined || title === undefined) return { toolName: name, text };
  const { pathname, search } = new URL(url);
  return { toolName: name, text: `Page: ${title} (${pathname}${search})\n${text}` };
}
