import type { Controller } from './controller.js';

/**
 * A controller that decides nothing: no budget, no monitors, interrupts applied as plain user
 * messages. The default of `createAgent`.
 *
 * @example
 * ```ts
 * const agent = createAgent({ backend, controller: createNoopController() });
 * ```
 */
export function createNoopController(): Controller {
  return { name: 'noop', open: () => ({}) };
}
