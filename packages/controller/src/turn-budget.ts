import type {
  Controller,
  ControllerSession,
  Directive,
  Evidence,
  RunView,
  ToolDirective,
  ToolSpec,
} from '@reins/core';
import { InvalidOptionsError } from '@reins/core';
import { readState } from './errors/controller-state-error.js';
import { type FinalAnswer, finalAnswerField } from './final-answer.js';
import { hashExactText } from './text-digest.js';

/** When and how remaining turns are told to the model. */
export interface TurnReminderOptions {
  /**
   * The reminder; `{turns_left}` is replaced by the turns left, the coming one included.
   * @defaultValue `'You have {turns_left} turns left to complete the task.'` (More with Less)
   */
  readonly template?: string;
  /**
   * Remind every this many turns.
   * @defaultValue 1 (after every turn's tool results)
   */
  readonly every?: number;
  /**
   * Remind only when at most this many turns are left.
   * @defaultValue `Infinity`
   */
  readonly whenLeft?: number;
}

/** What the model sent through the `request_extension` tool. */
export interface ExtensionRequest {
  readonly turns: number;
  readonly reason: string;
}

/** Evidence of progress over the last turns, on which extension requests are decided. */
export interface ProgressEvidence {
  /** Turns looked at (at most the window). */
  readonly window: number;
  /** Distinct actions among them. */
  readonly distinctActions: number;
  /** Turns whose tool calls all failed. */
  readonly failedTurns: number;
  /** Turns without an action. */
  readonly turnsWithoutAction: number;
  /** Turns allowed now, and the most that may ever be allowed. */
  readonly allowedTurns: number;
  readonly maxTotal: number;
  readonly turn: number;
}

/** The `request_extension` tool, through which the model asks for more turns. */
export interface ExtensionToolOptions {
  /** @defaultValue `'request_extension'` */
  readonly name?: string;
  /**
   * Most turns granted per request.
   * @defaultValue 10
   */
  readonly maxTurnsPerRequest?: number;
  /**
   * Turns looked at for evidence of progress.
   * @defaultValue 5
   */
  readonly window?: number;
  /**
   * Decides a request: the turns to grant (capped by `maxTurnsPerRequest` and `maxTotal`), or
   * `false` to refuse.
   * @defaultValue grant when at least 60% of the window's actions are distinct and not every
   *   turn failed or went without action
   */
  readonly decide?: (request: ExtensionRequest, evidence: ProgressEvidence) => number | false;
}

interface CommonTurnBudgetOptions {
  /** @defaultValue `'turn-budget'` */
  readonly name?: string;
  /** Reminders of the turns left; `false` for none. @defaultValue `{}` (every turn) */
  readonly reminder?: TurnReminderOptions | false;
  /** Offer the model a `request_extension` tool; `false` (the default) for none. */
  readonly extensionTool?: ExtensionToolOptions | false;
  /**
   * At the budget's end, ask the model for a final answer (one more call, without tools) or end
   * the run with no output. A dynamic budget whose task `isDone` ends the run `done`.
   * @defaultValue `'force'`
   */
  readonly finalAnswer?: FinalAnswer;
}

/**
 * Options of {@link createTurnBudget}, by `mode`:
 * - `unlimited`: no limit (the baseline whose turn counts calibrate the others);
 * - `fixed`: stop after `limit` turns;
 * - `dynamic`: stop after `initial` turns unless the task is not done, then grant `extension`
 *   more (up to `maxExtensions` times and `maxTotal` turns in all).
 */
export type TurnBudgetOptions =
  | ({ readonly mode: 'unlimited' } & CommonTurnBudgetOptions)
  | ({
      readonly mode: 'fixed';
      readonly limit: number;
      /**
       * Most turns, extensions through the tool included.
       * @defaultValue `limit`
       */
      readonly maxTotal?: number;
    } & CommonTurnBudgetOptions)
  | ({
      readonly mode: 'dynamic';
      readonly initial: number;
      /** Turns granted per extension. */
      readonly extension: number;
      /** @defaultValue 1 */
      readonly maxExtensions?: number;
      /** @defaultValue `initial + extension × maxExtensions` */
      readonly maxTotal?: number;
      /**
       * Whether the task is done (e.g. a patch exists): then no extension is granted.
       * @defaultValue `() => false`
       */
      readonly isDone?: (view: RunView) => boolean;
      /**
       * The extension message; `{turns}` is replaced by the turns granted.
       * @defaultValue `'You have used up all turns but have not yet completed the task. You are granted an additional {turns} turns.'`
       */
      readonly extensionMessage?: string;
    } & CommonTurnBudgetOptions);

/** Wording and defaults of the turn budget (the More-with-Less paper's own messages). */
export const defaultTurnBudgetOptions = Object.freeze({
  name: 'turn-budget',
  reminderTemplate: 'You have {turns_left} turns left to complete the task.',
  extensionMessage:
    'You have used up all turns but have not yet completed the task. You are granted an additional {turns} turns.',
  extensionToolName: 'request_extension',
  maxTurnsPerRequest: 10,
  progressWindow: 5,
  maxExtensions: 1,
});

/** The default extension decision: grant on evidence of progress. */
function decideOnProgress(request: ExtensionRequest, evidence: ProgressEvidence): number | false {
  if (evidence.window === 0) return request.turns;
  const distinctShare = evidence.distinctActions / evidence.window;
  if (distinctShare < 0.6) return false;
  if (evidence.failedTurns + evidence.turnsWithoutAction >= evidence.window) return false;
  return request.turns;
}

interface RecentTurn {
  readonly action: number;
  readonly hasAction: boolean;
  readonly failed: boolean;
}

interface TurnBudgetState {
  readonly version: 1;
  readonly granted: number;
  readonly extensions: number;
  readonly recent: readonly RecentTurn[];
}

/** A hash of a turn's actions (names and arguments, in order), to count distinct actions. */
function hashActions(calls: readonly { name: string; arguments: string }[]): number {
  let hash = 0x811c9dc5;
  for (const call of calls) {
    hash = Math.imul(hash ^ hashExactText(call.name), 0x01000193);
    hash = Math.imul(hash ^ hashExactText(call.arguments), 0x01000193);
  }
  return hash >>> 0;
}

function positiveInteger(field: string, value: unknown, hint: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidOptionsError(field, `${field} is ${String(value)}; ${hint}`);
  }
}

/**
 * Creates a turn budget: unlimited, fixed with reminders, or dynamic with extensions (the
 * More-with-Less rules), with an optional `request_extension` tool and a maximum total.
 *
 * Turns are model calls. Before call `t + 1` (with `t` calls made), `turns_left` is
 * `allowed − t`; at `t ≥ allowed` the budget extends (dynamic) or stops the run with reason
 * `'turn-budget'`. Reminders are ephemeral: appended to the next request only.
 *
 * @param options - see {@link TurnBudgetOptions}.
 * @returns a {@link Controller} that `createController({ budget })` composes, or that runs alone.
 * @example
 * ```ts
 * const fixed = createTurnBudget({ mode: 'fixed', limit: 46 });
 * const dynamic = createTurnBudget({ mode: 'dynamic', initial: 30, extension: 16,
 *   extensionTool: { maxTurnsPerRequest: 8 } });
 * ```
 */
export function createTurnBudget(options: TurnBudgetOptions): Controller {
  const mode = options?.mode;
  if (mode !== 'unlimited' && mode !== 'fixed' && mode !== 'dynamic') {
    throw new InvalidOptionsError(
      'mode',
      `createTurnBudget() mode is ${JSON.stringify(mode)}; use 'unlimited', 'fixed' or 'dynamic'.`,
    );
  }
  const name = options.name ?? defaultTurnBudgetOptions.name;
  let base = Number.POSITIVE_INFINITY;
  let maxTotal = Number.POSITIVE_INFINITY;
  let extension = 0;
  let maxExtensions = 0;
  let isDone: (view: RunView) => boolean = () => false;
  let extensionMessage: string = defaultTurnBudgetOptions.extensionMessage;
  if (options.mode === 'fixed') {
    positiveInteger(
      'limit',
      options.limit,
      'use a positive whole number of turns, e.g. the P75 of past runs (fromHistory).',
    );
    base = options.limit;
    maxTotal = options.maxTotal ?? options.limit;
  } else if (options.mode === 'dynamic') {
    positiveInteger('initial', options.initial, 'use a positive whole number of turns.');
    positiveInteger(
      'extension',
      options.extension,
      'use a positive whole number of turns per extension.',
    );
    base = options.initial;
    extension = options.extension;
    maxExtensions = options.maxExtensions ?? defaultTurnBudgetOptions.maxExtensions;
    maxTotal = options.maxTotal ?? options.initial + options.extension * maxExtensions;
    isDone = options.isDone ?? isDone;
    extensionMessage = options.extensionMessage ?? extensionMessage;
  }
  if (maxTotal < base) {
    throw new InvalidOptionsError(
      'maxTotal',
      `maxTotal is ${maxTotal}, below the ${base} turns the budget starts with; raise maxTotal to at least ${base}.`,
    );
  }
  const reminder =
    options.reminder === false || options.mode === 'unlimited'
      ? undefined
      : (options.reminder ?? {});
  const template = reminder?.template ?? defaultTurnBudgetOptions.reminderTemplate;
  const every = reminder?.every ?? 1;
  const whenLeft = reminder?.whenLeft ?? Number.POSITIVE_INFINITY;
  const tool =
    options.extensionTool === false || options.extensionTool === undefined
      ? undefined
      : options.extensionTool;
  const toolName = tool?.name ?? defaultTurnBudgetOptions.extensionToolName;
  const maxPerRequest = tool?.maxTurnsPerRequest ?? defaultTurnBudgetOptions.maxTurnsPerRequest;
  const progressWindow = tool?.window ?? defaultTurnBudgetOptions.progressWindow;
  const decide = tool?.decide ?? decideOnProgress;
  const toolSpec: ToolSpec = {
    name: toolName,
    description:
      'Ask for more turns when you are making progress but need more to finish. Say how many turns and why. Granted only when your recent turns show progress.',
    inputSchema: {
      type: 'object',
      properties: {
        turns: { type: 'integer', minimum: 1, maximum: maxPerRequest },
        reason: { type: 'string' },
      },
      required: ['turns', 'reason'],
      additionalProperties: false,
    },
  };

  return {
    name,
    open(context): ControllerSession {
      const saved = readState<TurnBudgetState>(name, context.state, 1);
      let granted = saved?.granted ?? 0;
      let extensions = saved?.extensions ?? 0;
      // Never changed in place (a new array on each change): a snapshot shares it.
      let recent: readonly RecentTurn[] = saved?.recent ?? [];

      // Turns granted by other policies (e.g. on a user's revision), seen through the view.
      let external = 0;
      const allowed = () => base + granted + external;
      const evidence = (view: RunView, extra: Evidence = {}): Evidence => ({
        turn: view.turn,
        allowedTurns: allowed(),
        turnsLeft: Math.max(0, allowed() - view.turn),
        granted,
        maxTotal,
        ...extra,
      });
      const grant = (
        view: RunView,
        turns: number,
        reason: string,
        message: string,
      ): Directive[] => {
        granted += turns;
        const facts = evidence(view, { grantedNow: turns });
        return [
          { type: 'grant-turns', turns, reason, source: name, evidence: facts },
          {
            type: 'emit',
            event: { name: 'budget.extended', policy: name, message, evidence: facts },
          },
        ];
      };

      const session: ControllerSession = {
        beforeModel(view) {
          if (options.mode === 'unlimited') return undefined;
          external = Math.max(0, view.grantedTurns - granted);
          const directives: Directive[] = [];
          const used = view.turn;
          if (used >= allowed()) {
            const room = maxTotal - base - granted;
            const done = options.mode === 'dynamic' && isDone(view);
            if (options.mode === 'dynamic' && extensions < maxExtensions && room > 0 && !done) {
              const turns = Math.min(extension, room);
              extensions += 1;
              const content = extensionMessage.replaceAll('{turns}', String(turns));
              directives.push(
                ...grant(view, turns, 'Initial turns used up and the task is not done.', content),
              );
              directives.push({
                type: 'inject',
                role: 'user',
                content,
                ephemeral: true,
                source: name,
              });
            } else {
              const message = done
                ? `The task is done at the end of the turn budget of ${allowed()} turns.`
                : `The turn budget of ${allowed()} turns is used up.`;
              const facts = evidence(view);
              directives.push(
                {
                  type: 'emit',
                  event: { name: 'budget.exhausted', policy: name, message, evidence: facts },
                },
                {
                  type: 'stop',
                  reason: 'turn-budget',
                  message,
                  source: name,
                  evidence: facts,
                  ...finalAnswerField(options.finalAnswer),
                  ...(done ? { endAs: 'done' as const } : {}),
                },
              );
              return directives;
            }
          } else if (reminder !== undefined && used >= 1 && used % every === 0) {
            const left = allowed() - used;
            if (left <= whenLeft) {
              const content = template.replaceAll('{turns_left}', String(left));
              directives.push(
                { type: 'inject', role: 'user', content, ephemeral: true, source: name },
                {
                  type: 'emit',
                  event: {
                    name: 'budget.reminder',
                    policy: name,
                    message: content,
                    evidence: evidence(view),
                  },
                },
              );
            }
          }
          if (tool !== undefined && base + granted < maxTotal) {
            directives.push({ type: 'offer-tools', tools: [toolSpec], source: name });
          }
          return directives;
        },
        snapshot: (): TurnBudgetState => ({ version: 1, granted, extensions, recent }),
      };
      if (tool === undefined) return session;

      session.afterModel = (_view, step) => {
        const calls = step.message.toolCalls.filter((call) => call.name !== toolName);
        const next = [
          ...recent,
          { action: hashActions(calls), hasAction: calls.length > 0, failed: false },
        ];
        recent = next.length > progressWindow ? next.slice(next.length - progressWindow) : next;
        return undefined;
      };
      session.afterTool = (_view, outcome) => {
        const last = recent.at(-1);
        const failed = outcome.result.status === 'error';
        if (
          last !== undefined &&
          outcome.call.name !== toolName &&
          last.hasAction &&
          last.failed !== failed
        )
          recent = [...recent.slice(0, -1), { ...last, failed }];
        return undefined;
      };
      session.beforeTool = (view, call): ToolDirective[] | undefined => {
        if (call.name !== toolName) return undefined;
        let request: ExtensionRequest;
        try {
          const parsed = JSON.parse(call.arguments || '{}') as {
            turns?: unknown;
            reason?: unknown;
          };
          request = {
            turns: Math.floor(Number(parsed.turns)),
            reason: typeof parsed.reason === 'string' ? parsed.reason : '',
          };
        } catch {
          request = { turns: Number.NaN, reason: '' };
        }
        if (!(request.turns >= 1)) {
          return [
            {
              type: 'resolve',
              output: `Refused: ask with {"turns": <1–${maxPerRequest}>, "reason": "<why>"}; received ${call.arguments.slice(0, 200)}.`,
              source: name,
            },
          ];
        }
        const window = recent.length;
        const facts: ProgressEvidence = {
          window,
          distinctActions: new Set(
            recent.filter((entry) => entry.hasAction).map((entry) => entry.action),
          ).size,
          failedTurns: recent.filter((entry) => entry.failed).length,
          turnsWithoutAction: recent.filter((entry) => !entry.hasAction).length,
          allowedTurns: allowed(),
          maxTotal,
          turn: view.turn,
        };
        const room = maxTotal - base - granted;
        const decision = room > 0 ? decide(request, facts) : false;
        const turns = decision === false ? 0 : Math.min(Math.floor(decision), maxPerRequest, room);
        const details = {
          ...facts,
          requested: request.turns,
          reason: request.reason.slice(0, 200),
        };
        if (turns < 1) {
          const why =
            room <= 0
              ? `the maximum of ${maxTotal} turns is reached`
              : 'the last turns show no progress (repeated actions, failures or no actions)';
          const output = `Refused: ${why}. Finish with what you have within the ${Math.max(0, allowed() - view.turn)} turns left.`;
          return [
            { type: 'resolve', output, source: name },
            {
              type: 'emit',
              event: {
                name: 'budget.refused',
                policy: name,
                message: output,
                evidence: evidence(view, details),
              },
            },
          ];
        }
        const output = `Granted ${turns} more turns. You now have ${allowed() + turns - view.turn} turns left.`;
        return [
          { type: 'resolve', output, source: name },
          ...grant(view, turns, request.reason || 'requested', output),
        ];
      };
      return session;
    },
  };
}
