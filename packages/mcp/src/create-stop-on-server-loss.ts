import type { Controller } from '@reins/core';

/** Options of {@link createStopOnServerLoss}. */
export interface StopOnServerLossOptions {
  /**
   * The controller's name, the `source` of its stop directive.
   * @defaultValue `'mcp-server-loss'`
   */
  readonly name?: string;
}

/**
 * A controller that stops the run (status `stopped`, reason `'mcp-server-lost'`) as soon as a
 * tool call fails because its MCP server's connection was lost, for runs that must not go on
 * without a server. Without it, the lost call's `mcp-connection-lost` error is the call's result,
 * the model reads it and the run goes on (the next call reconnects).
 *
 * Use it alone, or among the budgets of `createController` (a budget may be any controller).
 *
 * @param options - the controller's name.
 * @returns a controller whose `afterTool` stops on a lost connection.
 * @example
 * ```ts
 * const controller = createController({ budget: [createTurnBudget({ mode: 'fixed', limit: 30 }), createStopOnServerLoss()] });
 * const agent = createAgent({ backend, toolSources: [files], controller });
 * ```
 */
export function createStopOnServerLoss(options: StopOnServerLossOptions = {}): Controller {
  const name = options.name ?? 'mcp-server-loss';
  return {
    name,
    open: () => ({
      afterTool: (_view, { call, result }) =>
        result.status === 'error' && result.error.code === 'mcp-connection-lost'
          ? [
              {
                type: 'stop',
                reason: 'mcp-server-lost',
                message: `The run stopped: ${result.error.message} (call of '${call.name}')`,
                source: name,
              },
            ]
          : undefined,
    }),
  };
}
