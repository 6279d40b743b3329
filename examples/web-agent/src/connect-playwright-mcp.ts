import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { connectMcpServer, type McpServerConnection } from '@reins/mcp';
import { ChromiumMissingError } from './chromium-missing-error.js';
import { chromiumFlags } from './launch-chromium.js';

/** Options of {@link connectPlaywrightMcp}. */
export interface PlaywrightMcpOptions {
  /** @defaultValue `'/usr/bin/chromium'` (Debian's package) */
  readonly executablePath?: string;
  /**
   * Where the server writes its snapshots and other output files.
   * @defaultValue a new temporary folder
   */
  readonly outputDir?: string;
}

/**
 * Starts the Playwright MCP server (`@playwright/mcp`, from node_modules, over stdio) on the
 * system's Chromium, headless, without sandbox and with an in-memory profile, and connects to
 * it. Its tools (`browser_navigate`, `browser_click`, `browser_type`, `browser_evaluate`,
 * `browser_snapshot`, …) replace the example's built-in browser tools.
 *
 * @param options - Chromium's path and the output folder.
 * @returns the connection, a tool source for `createAgent({ toolSources })`; close it when done.
 * @throws {ChromiumMissingError} when the executable does not exist.
 * @example
 * ```ts
 * const playwright = await connectPlaywrightMcp();
 * const agent = createAgent({ backend, toolSources: [playwright] });
 * ```
 */
export async function connectPlaywrightMcp(
  options: PlaywrightMcpOptions = {},
): Promise<McpServerConnection> {
  const executablePath = options.executablePath ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new ChromiumMissingError(executablePath);
  const outputDir = options.outputDir ?? mkdtempSync(join(tmpdir(), 'reins-playwright-mcp-'));
  const config = join(outputDir, 'playwright-mcp.json');
  writeFileSync(
    config,
    JSON.stringify({
      browser: {
        browserName: 'chromium',
        isolated: true,
        launchOptions: {
          executablePath,
          headless: true,
          chromiumSandbox: false,
          args: [...chromiumFlags],
        },
      },
      outputDir,
    }),
  );
  // The package exports no subpath for its CLI: find it next to its package.json.
  const manifest = createRequire(import.meta.url).resolve('@playwright/mcp/package.json');
  const cli = join(dirname(manifest), 'cli.js');
  return connectMcpServer({
    name: 'playwright',
    transport: {
      type: 'stdio',
      command: process.execPath,
      args: [cli, '--config', config, '--timeout-settle', '100'],
      cwd: outputDir,
    },
    toolTimeoutMs: 30_000,
  });
}
