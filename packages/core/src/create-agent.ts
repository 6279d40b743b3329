import { createHash } from 'node:crypto';
import { nanoid } from 'nanoid';
import { createActor, type InspectionEvent, type Observer } from 'xstate';
import { type AgentContext, createRunView } from './agent-context.js';
import type { AgentEvent } from './agent-event.js';
import { type AgentControlEvent, agentMachine } from './agent-machine.js';
import { createCheckpointWriter } from './checkpoint-writer.js';
import type { Checkpointer, RunCheckpoint } from './checkpointer.js';
import { type Clock, systemClock } from './clock.js';
import type { Controller } from './controller.js';
import { describeUnknown } from './describe-unknown.js';
import { CheckpointError } from './errors/checkpoint-error.js';
import { ControllerHookError } from './errors/controller-hook-error.js';
import { InvalidOptionsError } from './errors/invalid-options-error.js';
import { ReinsError } from './errors/reins-error.js';
import { RunStateError } from './errors/run-state-error.js';
import { guardControllerSession } from './guard-controller-session.js';
import { type Interrupt, type InterruptInput, interruptInputSchema } from './interrupt.js';
import type { Message, ToolCall } from './message.js';
import type { ModelBackend, ModelCallSettings } from './model-backend.js';
import { createNoopController } from './noop-controller.js';
import { RunHandle, type RunPhase } from './run-handle.js';
import type { RunResult, RunStatus } from './run-result.js';
import { toCheckpoint } from './to-checkpoint.js';
import type { Tool } from './tool.js';
import { checkTool, resolveToolSet } from './tool-set.js';
import type { ToolSource } from './tool-source.js';
import { emptyUsage } from './usage.js';

/** Options of {@link createAgent}. */
export interface AgentOptions {
  /** The model backend (OpenAI-compatible, LangChain, scripted, replay…). */
  readonly backend: ModelBackend;
  /**
   * Tools the model may call.
   * @defaultValue `[]`
   */
  // biome-ignore lint/suspicious/noExplicitAny: a list of tools with different input and output types
  readonly tools?: readonly Tool<any, any>[];
  /**
   * Tools whose list may change during a run (e.g. MCP servers'), read before every turn.
   * @defaultValue `[]`
   */
  readonly toolSources?: readonly ToolSource[];
  /** System instructions, the first message of every run. */
  readonly instructions?: string;
  /**
   * Budgets, monitors, interruption handling and hints.
   * @defaultValue `createNoopController()`
   */
  readonly controller?: Controller;
  /** Where runs are checkpointed after every turn; required for `agent.resume()`. */
  readonly checkpointer?: Checkpointer;
  /**
   * Time source.
   * @defaultValue `systemClock`
   */
  readonly clock?: Clock;
  /**
   * Makes run and interrupt ids.
   * @defaultValue `nanoid`
   */
  readonly generateId?: () => string;
  /**
   * Timeout of a tool call, unless the tool sets its own.
   * @defaultValue `defaultAgentOptions.toolTimeoutMs` (120 000 ms)
   */
  readonly toolTimeoutMs?: number;
  /**
   * Run a turn's tool calls concurrently.
   * @defaultValue true
   */
  readonly parallelToolCalls?: boolean;
  /** Settings for every model call (a controller may override them per call). */
  readonly modelSettings?: ModelCallSettings;
  /**
   * After an urgent interrupt, how long (on `clock`) to wait for more interrupts before
   * deciding: every interrupt of a burst is then applied at one decision point. 0 waits for
   * the interrupts sent in the same tick only.
   * @defaultValue `defaultAgentOptions.interruptQuietMs` (0)
   */
  readonly interruptQuietMs?: number;
}

/** Defaults of {@link AgentOptions}. */
export const defaultAgentOptions = Object.freeze({
  toolTimeoutMs: 120_000,
  parallelToolCalls: true,
  interruptQuietMs: 0,
});

/** Options of `agent.run()` and `agent.resume()`. */
export interface RunOptions {
  /** Aborting it aborts the run, as `handle.abort()` does. */
  readonly signal?: AbortSignal;
  /** The run's id (letters, digits, `_`, `-`); generated when absent. */
  readonly runId?: string;
  /**
   * Receives the XState inspection events of the run's machine (and of the model and tool
   * actors it invokes): every event sent, every snapshot, every actor created. Pass
   * `createWebSocketInspector().inspect`, `createSkyInspector().inspect` or any
   * `@statelyai/inspect` inspector's `inspect`, or your own function.
   * @example
   * ```ts
   * const inspector = createWebSocketInspector({ url: 'ws://127.0.0.1:8080' });
   * agent.run('Fix the failing test', { inspect: inspector.inspect });
   * ```
   */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

/** An agent: a backend, tools and a controller, from which runs are started. */
export interface Agent {
  /**
   * Starts a run on `task`.
   * @returns its handle: events, controls and the `result` promise.
   */
  run(task: string, options?: RunOptions): RunHandle;
  /**
   * Continues a checkpointed run (in this or another process) from its last checkpoint: no
   * completed turn is lost and no completed tool call runs again. A run that had already ended
   * returns a handle whose `result` is the recorded one.
   * @throws {CheckpointError} when no checkpointer is set or the run has no checkpoint.
   */
  resume(runId: string, options?: Omit<RunOptions, 'runId'>): Promise<RunHandle>;
}

function validateOptions(options: AgentOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError(
      'options',
      'createAgent() needs an options object: createAgent({ backend, tools }).',
    );
  }
  const { backend } = options;
  if (typeof backend !== 'object' || backend === null || typeof backend.stream !== 'function') {
    throw new InvalidOptionsError(
      'backend',
      `createAgent({ backend }) needs a ModelBackend with a stream() method; received ${describe(backend)}. Use createOpenAICompatible(), fromLangChainModel() or createScriptedBackend().`,
    );
  }
  if (backend.specificationVersion !== 'v1') {
    throw new InvalidOptionsError(
      'backend.specificationVersion',
      `The backend implements ModelBackend version '${describeUnknown(backend.specificationVersion)}'; this Reins supports 'v1'. Upgrade the backend package to a release built for this Reins.`,
    );
  }
  const names = new Set<string>();
  (options.tools ?? []).forEach((tool, index) => {
    const field = `tools[${index}]`;
    checkTool(tool, field);
    if (names.has(tool.name)) {
      throw new InvalidOptionsError(
        `${field}.name`,
        `Tool '${tool.name}' is defined twice. Give each tool a unique name.`,
      );
    }
    names.add(tool.name);
  });
  if (options.toolSources !== undefined && !Array.isArray(options.toolSources)) {
    throw new InvalidOptionsError(
      'toolSources',
      `toolSources is ${describe(options.toolSources)}; pass an array of tool sources, e.g. toolSources: [mcpServer].`,
    );
  }
  (options.toolSources ?? []).forEach((source, index) => {
    if (typeof source?.currentTools !== 'function') {
      throw new InvalidOptionsError(
        `toolSources[${index}]`,
        `toolSources[${index}] has no currentTools() method; received ${describe(source)}. Pass a ToolSource such as an MCP server connection.`,
      );
    }
  });
  if (options.toolTimeoutMs !== undefined && !(options.toolTimeoutMs > 0)) {
    throw new InvalidOptionsError(
      'toolTimeoutMs',
      `toolTimeoutMs is ${options.toolTimeoutMs}; use a positive number of milliseconds (or Infinity for none).`,
    );
  }
  if (
    options.interruptQuietMs !== undefined &&
    !(options.interruptQuietMs >= 0 && Number.isFinite(options.interruptQuietMs))
  ) {
    throw new InvalidOptionsError(
      'interruptQuietMs',
      `interruptQuietMs is ${options.interruptQuietMs}; use 0 (gather the interrupts of one tick) or a positive number of milliseconds.`,
    );
  }
  if (options.controller !== undefined && typeof options.controller.open !== 'function') {
    throw new InvalidOptionsError(
      'controller',
      `controller has no open() method; received ${describe(options.controller)}. Use createController() from @reins/controller.`,
    );
  }
  if (
    options.checkpointer !== undefined &&
    (typeof options.checkpointer.save !== 'function' ||
      typeof options.checkpointer.load !== 'function')
  ) {
    throw new InvalidOptionsError(
      'checkpointer',
      'checkpointer needs save() and load(). Use createMemoryCheckpointer() or createFileCheckpointer({ directory }).',
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `${typeof value} ${describeUnknown(value)}`;
  return describeUnknown(value);
}

/**
 * Creates an agent. Options are checked here: an invalid one throws an
 * {@link InvalidOptionsError} that names the field and the fix.
 *
 * @param options - backend, tools, instructions, controller, checkpointer, clock, ids.
 * @returns an agent whose `run()` starts runs and `resume()` continues checkpointed ones.
 * @example
 * ```ts
 * const agent = createAgent({ backend, tools: [readFile], instructions: 'You are careful.' });
 * const handle = agent.run('Summarise README.md');
 * const { status, output } = await handle.result;
 * ```
 */
export function createAgent(options: AgentOptions): Agent {
  validateOptions(options);
  const ownTools = (options.tools ?? []) as readonly Tool[];
  const toolSources = options.toolSources ?? [];
  const ownToolSet = resolveToolSet(ownTools, []);
  const clock = options.clock ?? systemClock;
  const generateId = options.generateId ?? (() => nanoid());
  const controller = options.controller ?? createNoopController();

  function start(
    seed: {
      runId: string;
      task: string;
      messages: Message[];
      checkpoint?: RunCheckpoint;
    },
    runOptions: Omit<RunOptions, 'runId'> | undefined,
  ): RunHandle {
    const { runId, task, checkpoint } = seed;
    const checkpoints = createCheckpointWriter(options.checkpointer);
    let handle: RunHandle | undefined;
    let context: AgentContext | undefined;
    const emit = (event: AgentEvent) => {
      try {
        handle?.deliver(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    };
    const session = guardControllerSession(
      controller.open({
        runId,
        task,
        model: { provider: options.backend.provider, modelId: options.backend.modelId },
        ...(checkpoint?.controllerState === undefined ? {} : { state: checkpoint.controllerState }),
      }),
      (error, hook) => {
        if (context !== undefined)
          context.failure ??= new ControllerHookError(controller.name, hook, error);
      },
    );
    const openCalls = checkpoint === undefined ? [] : findOpenCalls(seed.messages);
    context = {
      deps: {
        backend: options.backend,
        ownTools,
        toolSources,
        controller: session,
        controllerName: controller.name,
        clock,
        generateId,
        callIdSuffix: createHash('sha256').update(runId).digest('base64url').slice(0, 8),
        toolTimeoutMs: options.toolTimeoutMs ?? defaultAgentOptions.toolTimeoutMs,
        parallelToolCalls: options.parallelToolCalls ?? defaultAgentOptions.parallelToolCalls,
        modelSettings: options.modelSettings,
        interruptQuietMs: options.interruptQuietMs ?? defaultAgentOptions.interruptQuietMs,
        checkpoints,
        emit,
      },
      runId,
      task,
      view: createRunView(() => context as AgentContext, options.backend),
      toolSet: ownToolSet,
      messages: seed.messages,
      historyGeneration: checkpoint === undefined ? 0 : checkpoint.historyGeneration + 1,
      turn: checkpoint?.turn ?? 0,
      // A run saved while its tools ran resumes inside that turn.
      turnOpen: openCalls.length > 0,
      usage: checkpoint?.usage ?? emptyUsage,
      usageAtTurnStart: checkpoint?.usage ?? emptyUsage,
      startedAt: checkpoint?.startedAt ?? clock.now(),
      grantedTurns: checkpoint?.grantedTurns ?? 0,
      intentUpdates: [...(checkpoint?.intentUpdates ?? [])],
      pendingInterrupts: [...(checkpoint?.pendingInterrupts ?? [])],
      gathering: false,
      ephemeral: [],
      offeredTools: [],
      nextSettings: undefined,
      pauseReason: undefined,
      ending: undefined,
      request: undefined,
      draft: undefined,
      openCalls,
      runnableCalls: [],
      results: openCalls.length > 0 ? { ...(checkpoint?.toolResults ?? {}) } : {},
      toolStats: { ...(checkpoint?.toolStats ?? {}) },
      output: undefined,
      error: undefined,
      failure: undefined,
    };

    if (toolSources.length > 0) {
      try {
        context.toolSet = resolveToolSet(ownTools, toolSources);
      } catch (error) {
        context.failure = asReinsError(
          error,
          (text, cause) => new ReinsError('internal', text, cause),
        );
      }
    }
    const actor = createActor(agentMachine, {
      input: context,
      ...(runOptions?.inspect === undefined ? {} : { inspect: runOptions.inspect }),
    });
    // The machine owns its context object from here on; read and view that one.
    context = actor.getSnapshot().context;
    const result = new Promise<RunResult>((resolve) => {
      const finish = async (status: RunStatus, failure?: unknown) => {
        const final = context as AgentContext;
        if (failure !== undefined)
          final.error = asReinsError(
            failure,
            (text, cause) => new ReinsError('internal', text, cause),
          ).toJSON();
        let runResult = buildResult(final, status);
        try {
          if (checkpoints.enabled) {
            const { messages: _messages, ...recorded } = runResult;
            checkpoints.queue({ ...toCheckpoint(final, status), result: recorded });
          }
          await checkpoints.flush();
        } catch (error) {
          // The last checkpoint could not be made or written: the run failed, unless it had
          // failed already (that first failure is the one to report).
          if (runResult.status !== 'failed') {
            final.error = asReinsError(
              error,
              (text, cause) => new CheckpointError(runId, text, cause),
            ).toJSON();
            runResult = buildResult(final, 'failed');
          }
        }
        emit({ runId, turn: final.turn, at: clock.now(), type: 'run.end', result: runResult });
        resolve(runResult);
      };
      actor.subscribe({
        complete: () => void finish(actor.getSnapshot().value as RunStatus),
        error: (error) => void finish('failed', error),
      });
    });

    /** Sends to the machine while it runs; after the end, controls are no-ops. */
    const send = (event: AgentControlEvent) => {
      if (actor.getSnapshot().status === 'active') actor.send(event);
    };
    const phase = (): RunPhase => {
      const snapshot = actor.getSnapshot();
      if (snapshot.status === 'error') return 'failed';
      const value = snapshot.value;
      return typeof value === 'string' ? (value as RunPhase) : 'running';
    };
    handle = new RunHandle(
      runId,
      {
        interrupt(input: InterruptInput): Interrupt {
          const current = phase();
          if (
            current === 'done' ||
            current === 'stopped' ||
            current === 'failed' ||
            current === 'cancelled'
          ) {
            throw new RunStateError(
              runId,
              `Run '${runId}' already ended as '${current}'; an interrupt can no longer apply. Start a new run with the update instead.`,
            );
          }
          const parsed = interruptInputSchema.safeParse(input);
          if (!parsed.success) {
            throw new InvalidOptionsError(
              'interrupt',
              `Invalid interrupt: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}. Use { kind: 'addition' | 'revision' | 'retraction' | 'stop' | 'answer-now', text, urgency: 'next-turn' | 'now' }.`,
            );
          }
          const interrupt: Interrupt = {
            ...parsed.data,
            // Answering now is urgent unless the caller says otherwise.
            ...(parsed.data.kind === 'answer-now' && input.urgency === undefined
              ? { urgency: 'now' as const }
              : {}),
            id: generateId(),
            receivedAt: clock.now(),
            turn: (context as AgentContext).turn,
          };
          send({ type: 'INTERRUPT', interrupt });
          return interrupt;
        },
        pause: (reason) => send({ type: 'PAUSE', reason }),
        resume: () => send({ type: 'RESUME' }),
        abort: (reason) => send({ type: 'ABORT', reason }),
        phase,
      },
      result,
    );

    const signal = runOptions?.signal;
    if (signal !== undefined) {
      const onAbort = () => send({ type: 'ABORT', reason: reasonText(signal.reason) });
      if (signal.aborted) queueMicrotask(onAbort);
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        void result.then(() => signal.removeEventListener('abort', onAbort));
      }
    }
    actor.start();
    // Start on the next macrotask: listeners attached right after run() or after awaiting
    // resume() see every event from run.start on.
    setImmediate(() => {
      emit({
        runId,
        turn: context.turn,
        at: clock.now(),
        type: 'run.start',
        task,
        resumed: checkpoint !== undefined,
      });
      send({ type: 'START' });
    });
    return handle;
  }

  return {
    run(task, runOptions) {
      if (typeof task !== 'string' || task.trim() === '') {
        throw new InvalidOptionsError(
          'task',
          `agent.run(task) needs a non-empty task string; received ${describe(task)}.`,
        );
      }
      const runId = runOptions?.runId ?? generateId();
      const messages: Message[] = [];
      if (options.instructions !== undefined)
        messages.push({ role: 'system', content: options.instructions });
      messages.push({ role: 'user', content: task, origin: { kind: 'task' } });
      return start({ runId, task, messages }, runOptions);
    },

    async resume(runId, runOptions) {
      if (options.checkpointer === undefined) {
        throw new CheckpointError(
          runId,
          `Cannot resume run '${runId}': the agent has no checkpointer. Pass createAgent({ checkpointer }).`,
        );
      }
      const checkpoint = await options.checkpointer.load(runId);
      if (checkpoint === undefined) {
        throw new CheckpointError(
          runId,
          `Run '${runId}' has no checkpoint in this checkpointer. Check the run id and the checkpointer's location.`,
        );
      }
      if (checkpoint.result !== undefined) return endedHandle(checkpoint);
      return start(
        { runId, task: checkpoint.task, messages: [...checkpoint.messages], checkpoint },
        runOptions,
      );
    },
  };
}

/** Tool calls of the last assistant message that have no result in history yet. */
function findOpenCalls(messages: readonly Message[]): ToolCall[] {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === 'assistant') {
      const answered = new Set(
        messages
          .slice(index + 1)
          .flatMap((later) => (later.role === 'tool' ? [later.toolCallId] : [])),
      );
      return message.toolCalls.filter((call) => !answered.has(call.id));
    }
  }
  return [];
}

function buildResult(context: AgentContext, status: RunStatus): RunResult {
  const { ending } = context;
  return {
    runId: context.runId,
    status,
    ...(context.output === undefined ? {} : { output: context.output }),
    ...(ending === undefined || status === 'done' || status === 'failed'
      ? {}
      : { reason: ending.reason, message: ending.message }),
    ...(context.error === undefined ? {} : { error: context.error }),
    messages: context.messages,
    usage: context.usage,
    turns: context.turn,
  };
}

function endedHandle(checkpoint: RunCheckpoint): RunHandle {
  const result: RunResult = {
    ...(checkpoint.result as Omit<RunResult, 'messages'>),
    messages: checkpoint.messages,
  };
  const ended = (): never => {
    throw new RunStateError(
      checkpoint.runId,
      `Run '${checkpoint.runId}' already ended as '${result.status}'; start a new run instead.`,
    );
  };
  const handle = new RunHandle(
    checkpoint.runId,
    { interrupt: ended, pause: ended, resume: ended, abort: () => {}, phase: () => result.status },
    Promise.resolve(result),
  );
  setImmediate(() =>
    handle.deliver({
      runId: result.runId,
      turn: result.turns,
      at: checkpoint.savedAt,
      type: 'run.end',
      result,
    }),
  );
  return handle;
}

/** `error` when it is a Reins error; otherwise one made by `wrap` from its safe description. */
function asReinsError(
  error: unknown,
  wrap: (description: string, options: { cause: unknown }) => ReinsError,
): ReinsError {
  return ReinsError.isInstance(error) ? error : wrap(describeUnknown(error), { cause: error });
}

function reasonText(reason: unknown): string {
  return reason === undefined ? 'The signal was aborted.' : describeUnknown(reason);
}

/**
 * Runs an agent on a task and resolves with the result: `createAgent(options).run(task).result`.
 *
 * @example
 * ```ts
 * const { status, output } = await runAgent({ backend, tools }, 'What is 2 + 2?');
 * ```
 */
export function runAgent(
  options: AgentOptions,
  task: string,
  runOptions?: RunOptions,
): Promise<RunResult> {
  return createAgent(options).run(task, runOptions).result;
}
