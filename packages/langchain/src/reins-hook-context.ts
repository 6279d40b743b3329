import type { Clock } from '@reins/core';
import type { DirectiveContext } from './apply-langchain-directives.js';
import type { AroundCall } from './around-call.js';
import type { InterruptMailbox } from './interrupt-mailbox.js';
import type { LangChainRun, LangChainRunEnding } from './langchain-run.js';
import type { ThreadRuns } from './thread-runs.js';

/** What the middleware's hooks share. */
export interface ReinsHookContext {
  readonly runs: ThreadRuns;
  readonly mailbox: InterruptMailbox;
  readonly directives: DirectiveContext;
  readonly clock: Clock;
  readonly generateId: () => string;
  /** Reports the end of a run that the controller (or the recursion limit) decided. */
  readonly announceStop: (run: LangChainRun, ending: LangChainRunEnding) => void;
  /** Runs each model and tool call LangChain makes (see `ReinsMiddlewareOptions.aroundCall`). */
  readonly aroundCall?: AroundCall;
}
