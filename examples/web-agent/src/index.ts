/**
 * @module @reins/example-web-agent
 *
 * A web agent on Reins: a small store admin served on loopback (`startStoreApp`), browser
 * tools over Debian's Chromium through playwright-core (`launchChromium`,
 * `createBrowserTools`: open, read as text or accessibility snapshot, click, type, go back),
 * InterruptBench-style tasks read from the recorded scenarios (`readWebTasks`), a scripted
 * shopper for running without a model, and `runWebTask`, which runs a task with its mid-task
 * updates and checks the answer against the store's data. `connectPlaywrightMcp` starts the
 * Playwright MCP server on the same Chromium, whose tools can replace the built-in ones.
 */
export { ChromiumMissingError } from './chromium-missing-error.js';
export {
  connectPlaywrightMcp,
  type PlaywrightMcpOptions,
} from './connect-playwright-mcp.js';
export { type BrowserToolsOptions, createBrowserTools } from './create-browser-tools.js';
export {
  createScriptedShopper,
  type ScriptedShopperOptions,
  type ShopperTools,
  scriptedShopperModelId,
} from './create-scripted-shopper.js';
export { chromiumFlags, type LaunchChromiumOptions, launchChromium } from './launch-chromium.js';
export { fromPlaywrightMcpResult, toPlaywrightMcpCalls } from './playwright-mcp-dialect.js';
export { type RunWebTaskOptions, runWebTask, type WebTaskResult } from './run-web-task.js';
export { type StoreApp, type StoreAppOptions, startStoreApp } from './start-store-app.js';
export {
  createStoreData,
  type Order,
  type OrderLine,
  type Product,
  type Review,
  type StoreData,
} from './store-data.js';
export { type BestsellerRow, bestsellers, orderMonths, toMonthLabel } from './store-queries.js';
export { webInstructions } from './web-instructions.js';
export { readWebTasks, type WebTask } from './web-task.js';
