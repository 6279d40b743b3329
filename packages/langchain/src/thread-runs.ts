import type { BaseMessage } from '@langchain/core/messages';
import type { Clock, Controller } from '@reins/core';
import {
  createLangChainRun,
  findTaskMessage,
  type LangChainRun,
  type LangChainRunModel,
  taskText,
} from './langchain-run.js';
import type { ReinsEventEmitter } from './reins-event.js';
import {
  type ReinsThreadState,
  reinsStateKey,
  reinsThreadStateVersion,
  restoreRunState,
  toThreadState,
} from './reins-thread-state.js';
import { writeGraphState } from './write-graph-state.js';

/** The agent state a hook receives, with the controller's private key. */
export interface ReinsHookState {
  readonly messages: BaseMessage[];
  readonly [reinsStateKey]?: ReinsThreadState | undefined;
}

/** What {@link createThreadRuns} needs. */
export interface ThreadRunsSettings {
  readonly controller: Controller;
  readonly clock: Clock;
  readonly generateId: () => string;
  readonly events: ReinsEventEmitter;
  /** Runs kept in memory between hooks (older ones are restored from the thread's state). */
  readonly maxRuns: number;
  /** The model as known so far. */
  readonly model: () => LangChainRunModel;
}

/** Finds the run of a hook's state and saves it back into the thread's state. */
export interface ThreadRuns {
  /**
   * The run this state belongs to: the one in the state (from memory when this process holds
   * it at the same write, else restored from the state), or a new run when the state has none,
   * its run ended, or a new task message arrived.
   */
  resolve(state: ReinsHookState, threadId: string | undefined): LangChainRun;
  /**
   * Writes the run into the thread's state (through the running task) and keeps it in memory
   * under its new write number.
   * @param sharedStep - whether other tasks of this step (parallel tool calls) read the same
   *   state: the run then stays findable under the number they read.
   */
  save(
    run: LangChainRun,
    configurable: Record<string, unknown> | undefined,
    sharedStep: boolean,
  ): void;
  /**
   * Drops the run from memory, so that the next hook restores it from the thread's state: for
   * a step that fails, whose writes LangGraph discards.
   */
  forget(run: LangChainRun): void;
}

/** A run kept in memory, and the write numbers under which a hook may find it. */
interface CachedRun {
  readonly run: LangChainRun;
  /**
   * The run's current write number, and during a step of parallel tool calls the numbers the
   * step's other tasks read (reset by the next save that no other task shares).
   */
  seqs: number[];
}

/**
 * Creates the bridge between hooks and the thread's state. The runs kept in memory are a cache
 * keyed by run id and write number: a hook uses one only when the state it reads carries that
 * same number, so a run that a failed step left ahead of the checkpoint, or that another
 * process moved on, is never used; it is restored from the state instead.
 */
export function createThreadRuns(settings: ThreadRunsSettings): ThreadRuns {
  const { controller, clock, generateId, events } = settings;
  /** By run id, least recently used first (a run's id is the same string on every write). */
  const cache = new Map<string, CachedRun>();
  const find = (runId: string, seq: number): LangChainRun | undefined => {
    const cached = cache.get(runId);
    return cached?.seqs.includes(seq) === true ? cached.run : undefined;
  };
  /** Keeps the run findable under its current number, and also under `alsoSeq`, if given. */
  const remember = (run: LangChainRun, alsoSeq?: number) => {
    const cached = cache.get(run.runId);
    if (cached !== undefined && cached.run === run) {
      cache.delete(run.runId);
      if (alsoSeq === undefined) cached.seqs = [run.seq];
      else cached.seqs.push(run.seq);
      cache.set(run.runId, cached);
    } else {
      cache.delete(run.runId);
      cache.set(run.runId, {
        run,
        seqs: alsoSeq === undefined ? [run.seq] : [alsoSeq, run.seq],
      });
    }
    while (cache.size > settings.maxRuns) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  };
  const announce = (run: LangChainRun, resumed: boolean) =>
    events.emit({
      runId: run.runId,
      turn: run.turn,
      at: clock.now(),
      type: 'run.start',
      task: run.task,
      resumed,
    });

  return {
    resolve(state, threadId) {
      const saved = state[reinsStateKey];
      const taskMessage = findTaskMessage(state.messages);
      const continues =
        saved !== undefined &&
        saved.version === reinsThreadStateVersion &&
        !saved.ended &&
        saved.taskMessageId === taskMessage?.id;
      if (continues) {
        const cached = find(saved.runId, saved.seq);
        if (cached !== undefined) {
          cached.stateMessages = state.messages;
          return cached;
        }
        const run = createLangChainRun({
          runId: saved.runId,
          threadId,
          task: taskText(taskMessage),
          taskMessageId: saved.taskMessageId,
          seq: saved.seq,
          startedAt: saved.startedAt,
          messages: state.messages,
          model: saved.model,
          clock,
          open: (runId, task) => controller.open({ runId, task, state: saved.controllerState }),
        });
        restoreRunState(run, saved);
        remember(run);
        announce(run, true);
        return run;
      }
      const run = createLangChainRun({
        runId: generateId(),
        threadId,
        task: taskText(taskMessage),
        taskMessageId: taskMessage?.id,
        seq: saved?.seq ?? 0,
        messages: state.messages,
        model: settings.model(),
        clock,
        open: (runId, task) => controller.open({ runId, task }),
      });
      remember(run);
      announce(run, false);
      return run;
    },
    save(run, configurable, sharedStep) {
      const readSeq = run.seq;
      run.seq += 1;
      writeGraphState(configurable, [[reinsStateKey, toThreadState(run)]]);
      if (run.ended) {
        if (cache.get(run.runId)?.run === run) cache.delete(run.runId);
      } else remember(run, sharedStep ? readSeq : undefined);
    },
    forget(run) {
      if (cache.get(run.runId)?.run === run) cache.delete(run.runId);
    },
  };
}
