import { ToolMessage, type ToolMessage as ToolMessageType } from '@langchain/core/messages';
import { isCommand, isGraphBubbleUp } from '@langchain/langgraph';
import { readToolDirectives, type ToolCall, type ToolResult } from '@reins/core';
import type { ToolCallHandler, ToolCallRequest } from 'langchain';
import { applyLangChainDirectives } from './apply-langchain-directives.js';
import { aroundHandler } from './around-call.js';
import { textOf } from './convert-from-langchain-messages.js';
import { type LangChainRun, recordToolStats } from './langchain-run.js';
import { raceAbort } from './race-abort.js';
import { readRecursionWindow } from './recursion-window.js';
import type { ReinsHookContext } from './reins-hook-context.js';
import type { ReinsHookState } from './thread-runs.js';

/** What `beforeTool` decided for one call. */
interface ToolDecision {
  readonly decided: ToolResult | undefined;
  readonly timeoutMs: number | undefined;
}

/**
 * The `wrapToolCall` hook: `beforeTool` (deny, answer a controller tool, set a timeout), the
 * call itself with the request untouched, `afterTool`, and the run written into the thread's
 * state. The tool's own result or error passes through unchanged; Reins writes a tool message
 * only for outcomes it decided: a denied call, a controller tool's answer, a timeout it set,
 * a call cut short by an urgent interruption.
 */
export function createToolCallHook(context: ReinsHookContext) {
  const { clock } = context;
  return async (
    request: ToolCallRequest,
    handler: ToolCallHandler,
  ): Promise<ToolMessageType | Awaited<ReturnType<ToolCallHandler>>> => {
    const configurable = request.runtime.configurable as Record<string, unknown> | undefined;
    const threadId = configurable?.thread_id as string | undefined;
    const run = context.runs.resolve(request.state as unknown as ReinsHookState, threadId);
    // The step of the first tool call tells how many nodes follow each model call.
    readRecursionWindow('tool');
    const call: ToolCall = {
      id: request.toolCall.id ?? `call_${request.toolCall.name}`,
      name: request.toolCall.name,
      arguments: JSON.stringify(request.toolCall.args ?? {}),
    };
    const finish = (result: ToolResult, durationMs: number) => {
      recordToolStats(run, call.name, result.status, durationMs);
      if (result.status !== 'cancelled') {
        applyLangChainDirectives(
          run,
          run.session.afterTool?.(run.view, { call, result, durationMs }),
          context.directives,
        );
      }
      context.runs.save(run, configurable, true);
    };
    const answer = (result: ToolResult, durationMs: number): ToolMessageType => {
      finish(result, durationMs);
      return new ToolMessage({
        content:
          result.status === 'ok'
            ? result.output
            : result.status === 'error'
              ? result.error.message
              : `Cancelled: ${result.reason}`,
        tool_call_id: call.id,
        name: call.name,
        status: result.status === 'ok' ? 'success' : 'error',
      });
    };
    const { decided, timeoutMs } = decideBeforeTool(run, call, request, context);
    if (decided !== undefined) return answer(decided, 0);

    const flight = context.mailbox.track(threadId, run.runId);
    // Without a timeout, an urgent interruption is the only thing that cuts the call short.
    const timeout = timeoutMs === undefined ? undefined : new AbortController();
    const timer =
      timeout === undefined || timeoutMs === undefined
        ? undefined
        : clock.setTimeout(
            () =>
              timeout.abort(
                new Error(
                  `Tool '${call.name}' timed out after ${timeoutMs} ms (set by the controller).`,
                ),
              ),
            timeoutMs,
          );
    const startedAt = clock.now();
    try {
      const work = aroundHandler(context.aroundCall, handler, () => ({
        kind: 'tool',
        runId: run.runId,
        turn: run.turn,
        toolName: call.name,
        toolCallId: call.id,
      }))(request);
      // Without a timeout, no signal is made: the race needs none.
      const output = await (timeout === undefined
        ? flight.race(work)
        : raceAbort(Promise.resolve(work), AbortSignal.any([flight.signal, timeout.signal])));
      const durationMs = clock.now() - startedAt;
      finish(toolResultOf(output, call.id), durationMs);
      return output;
    } catch (error) {
      if (isGraphBubbleUp(error)) throw error;
      const durationMs = clock.now() - startedAt;
      if (flight.interrupted()) {
        return answer(
          { status: 'cancelled', reason: 'Interrupted by the user before it finished.' },
          durationMs,
        );
      }
      if (timeout?.signal.aborted === true) {
        return answer(
          {
            status: 'error',
            error: { code: 'tool-timeout', message: (timeout.signal.reason as Error).message },
          },
          durationMs,
        );
      }
      // The tool's own failure: the controller sees it, and it goes on unchanged. If it fails
      // the step, LangGraph discards the step's writes: the next hook restores the run.
      context.runs.forget(run);
      finish(
        {
          status: 'error',
          error: {
            code: 'tool-execution',
            message: error instanceof Error ? error.message : String(error),
          },
        },
        durationMs,
      );
      throw error;
    } finally {
      if (timer !== undefined) clock.clearTimeout(timer);
      flight.done();
    }
  };
}

function decideBeforeTool(
  run: LangChainRun,
  call: ToolCall,
  request: ToolCallRequest,
  context: ReinsHookContext,
): ToolDecision {
  const {
    decided: directed,
    timeoutMs,
    others,
  } = readToolDirectives(call, run.session.beforeTool?.(run.view, call));
  let decided = directed;
  applyLangChainDirectives(run, others, context.directives);
  if (decided === undefined && run.controllerToolNames.has(call.name) && !request.tool) {
    decided = {
      status: 'error',
      error: {
        code: 'tool-unavailable',
        message: `Tool '${call.name}' is offered by the controller and was not answered by it on this turn.`,
      },
    };
  }
  return { decided, timeoutMs };
}

/**
 * The controller's view of what a tool call returned: its tool message, or the one a `Command`
 * writes for the call (a `Command` without one counts as success with no output).
 */
function toolResultOf(output: unknown, callId: string): ToolResult {
  const message = ToolMessage.isInstance(output) ? output : toolMessageOfCommand(output, callId);
  if (message === undefined) return { status: 'ok', output: '' };
  const text = textOf(message.content);
  return message.status === 'error'
    ? { status: 'error', error: { code: 'tool-execution', message: text } }
    : { status: 'ok', output: text };
}

/** The tool message for the call among the messages a `Command` writes into the state. */
function toolMessageOfCommand(output: unknown, callId: string): ToolMessageType | undefined {
  if (!isCommand(output)) return undefined;
  const update: unknown = output.update;
  const written = Array.isArray(update)
    ? (update as [string, unknown][])
        .filter(([channel]) => channel === 'messages')
        .map(([, value]) => value)
    : [(update as Record<string, unknown> | undefined)?.messages];
  for (const value of written) {
    for (const message of Array.isArray(value) ? value : [value]) {
      if (ToolMessage.isInstance(message) && message.tool_call_id === callId) return message;
    }
  }
  return undefined;
}
