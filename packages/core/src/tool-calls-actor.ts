import { fromCallback } from 'xstate';
import type { RunnableCall } from './agent-context.js';
import type { Clock } from './clock.js';
import { ReinsError } from './errors/reins-error.js';
import { ToolExecutionError } from './errors/tool-execution-error.js';
import { ToolTimeoutError } from './errors/tool-timeout-error.js';
import type { ToolCall, ToolResult } from './message.js';
import { toolOutputText } from './tool.js';

/**
 * What a tool's thrown error is recorded as: a Reins error keeps its own code and message (an
 * MCP server's `mcp-connection-lost`, say), anything else becomes a {@link ToolExecutionError}.
 */
function toolErrorRecord(call: ToolCall, error: unknown): ToolResultError {
  if (ReinsError.isInstance(error)) {
    try {
      const { name, code, message } = error.toJSON();
      if (typeof code === 'string' && typeof message === 'string')
        return typeof name === 'string' ? { name, code, message } : { code, message };
    } catch {
      // A hostile error object: described below like any thrown value.
    }
  }
  return new ToolExecutionError(call.name, call.id, error).toJSON();
}

type ToolResultError = Extract<ToolResult, { status: 'error' }>['error'];

/** Events the tool-calls actor sends to the loop. */
export type ToolCallsEvent =
  | {
      readonly type: 'TOOL.END';
      readonly call: ToolCall;
      readonly result: ToolResult;
      readonly durationMs: number;
    }
  | { readonly type: 'TOOLS.DONE' };

/** Input of the tool-calls actor. */
export interface ToolCallsInput {
  readonly calls: readonly RunnableCall[];
  readonly parallel: boolean;
  readonly runId: string;
  readonly clock: Clock;
  /** Told when each call starts. */
  readonly onStart: (call: ToolCall) => void;
}

/**
 * Runs one turn's validated tool calls, in parallel or one by one, each with its own signal and
 * timeout. Stopping the actor aborts every running call; a tool that ignores its signal is
 * detached, and what it returns later is discarded.
 */
export const toolCallsActor = fromCallback<ToolCallsEvent, ToolCallsInput>(
  ({ input, sendBack }) => {
    /** Set when the actor is stopped: nothing more reaches the loop. */
    let stopped = false;
    /** Signals of the calls still running, aborted if the actor is stopped. */
    const running = new Set<AbortController>();
    const send = (event: ToolCallsEvent) => {
      if (!stopped) sendBack(event);
    };

    const runOne = async (runnable: RunnableCall): Promise<void> => {
      const { call, tool, timeoutMs } = runnable;
      const callAbort = new AbortController();
      running.add(callAbort);
      const startedAt = input.clock.now();
      if (!stopped) input.onStart(call);
      let timer: unknown;
      const timedOut = new Promise<ToolResult>((resolve) => {
        if (!Number.isFinite(timeoutMs)) return;
        timer = input.clock.setTimeout(() => {
          const error = new ToolTimeoutError(call.name, call.id, timeoutMs);
          callAbort.abort(error);
          resolve({ status: 'error', error: error.toJSON() });
        }, timeoutMs);
      });
      const executed = (async (): Promise<ToolResult> => {
        try {
          const output = await tool.execute(runnable.input, {
            signal: callAbort.signal,
            runId: input.runId,
            callId: call.id,
            ...(call.providerCallId === undefined ? {} : { providerCallId: call.providerCallId }),
          });
          return { status: 'ok', output: toolOutputText(output) };
        } catch (error) {
          return { status: 'error', error: toolErrorRecord(call, error) };
        }
      })();
      const result = await Promise.race([executed, timedOut]);
      if (timer !== undefined) input.clock.clearTimeout(timer);
      running.delete(callAbort);
      send({ type: 'TOOL.END', call, result, durationMs: input.clock.now() - startedAt });
    };

    void (async () => {
      if (input.parallel) {
        await Promise.all(input.calls.map(runOne));
      } else {
        for (const runnable of input.calls) {
          if (stopped) return;
          await runOne(runnable);
        }
      }
      send({ type: 'TOOLS.DONE' });
    })();

    return () => {
      stopped = true;
      if (running.size === 0) return;
      const reason = new Error('The tool calls were left by the agent loop.');
      for (const callAbort of running) callAbort.abort(reason);
      running.clear();
    };
  },
);
