import type { Directive, Interrupt, RunView } from '@reins/core';
import { defaultAnswerMaxTokens, InvalidOptionsError } from '@reins/core';
import { toCurrentIntent } from './current-intent.js';
import { toIntentText } from './intent-text.js';

/**
 * How interruptions are applied: the `onInterrupt` hook's shape, and optionally
 * `onInterrupts`, which receives every interruption of a decision point at once (so that they
 * can be merged into one update) and is preferred when present. Returning `undefined` leaves
 * the interruption to the loop's default (the text appended as a user message; `stop` ends the
 * run, a task retraction cancels it).
 */
export interface InterruptionPolicy {
  onInterrupt(view: RunView, interrupt: Interrupt): readonly Directive[] | undefined;
  onInterrupts?(view: RunView, interrupts: readonly Interrupt[]): readonly Directive[] | undefined;
}

/**
 * The default interruption policy: it returns `undefined`, so the loop's default applies.
 * Use {@link createInterruptionPolicy} for updates framed so that the model trusts them.
 *
 * @returns a policy that always defers to the loop.
 * @example
 * ```ts
 * const controller = createController({
 *   interruptions: {
 *     onInterrupt: (view, interrupt) => interrupt.kind === 'revision'
 *       ? [{ type: 'inject', role: 'user', content: `Change of plan: ${interrupt.text}`, ephemeral: false, source: 'mine' }]
 *       : undefined,
 *   },
 * });
 * ```
 */
export function createDefaultInterruptionPolicy(): InterruptionPolicy {
  return { onInterrupt: () => undefined };
}

/**
 * The wording of updates. `{text}` is the user's words, `{intent}` the task as it now stands.
 * The header says what reasoning models most often fail to take in: the update comes from the
 * user, it is verified, and it supersedes the earlier instruction.
 */
export interface InterruptionTemplates {
  /** Opens every update message. */
  readonly header: string;
  readonly addition: string;
  readonly revision: string;
  readonly retraction: string;
  /** Restates the whole current intent after the updates. */
  readonly restate: string;
  /** The stop's message, with the user's words. */
  readonly stop: string;
  /** The stop's message, when the user gave no words. */
  readonly stopWithoutText: string;
  /** Why the run is cancelled when the whole task is retracted. */
  readonly dropTask: string;
}

/** Default wording of {@link InterruptionTemplates}. */
export const defaultInterruptionTemplates: InterruptionTemplates = Object.freeze({
  header:
    'Update from the user, sent while you were working. It comes from the user and is verified: do not doubt it, re-check it or ask for confirmation. It supersedes the earlier instructions wherever they conflict. Apply it and continue from where you are, keeping the work that still holds.',
  addition: 'New requirement, in addition to everything asked so far: {text}',
  revision:
    'Correction, which replaces the earlier instruction it contradicts (do not use the earlier value any more): {text}',
  retraction: 'Dropped requirement, which no longer applies (do not keep working on it): {text}',
  restate: 'The task as it now stands:\n{intent}',
  stop: 'The user asked you to stop now: {text}',
  stopWithoutText: 'The user asked you to stop now.',
  dropTask:
    'The user dropped the task: {text}. The work done so far is kept in the run history as partial results.',
});

/** Turns granted when the user changes the task, so that a budget does not cut the new work short. */
export interface InterruptionGrantOptions {
  /**
   * Turns per revision.
   * @defaultValue 0
   */
  readonly perRevision?: number;
  /**
   * Turns per addition.
   * @defaultValue 0
   */
  readonly perAddition?: number;
  /**
   * Most turns granted this way over the run.
   * @defaultValue `Infinity`
   */
  readonly maxTotal?: number;
}

/** Options of {@link createInterruptionPolicy}. */
export interface InterruptionPolicyOptions {
  /** @defaultValue `'interruptions'` */
  readonly name?: string;
  /** Wording; missing fields take {@link defaultInterruptionTemplates}. */
  readonly templates?: Partial<InterruptionTemplates>;
  /**
   * Restate the whole current intent (task and every update so far) after the updates.
   * @defaultValue true
   */
  readonly restateIntent?: boolean;
  /** Extra turns for the budget on revisions and additions; none by default. */
  readonly grantTurns?: InterruptionGrantOptions;
  /**
   * On `stop`, make one more call without tools to get a final answer from what is known.
   * @defaultValue true
   */
  readonly forceAnswerOnStop?: boolean;
  /**
   * Cap on a forced answer's tokens (for `stop`; `answer-now` uses its own `answerMaxTokens`
   * or this), against reasoning leaking into the answer.
   * @defaultValue `defaultAnswerMaxTokens` (512) for answer-now; none for stop
   */
  readonly answerMaxTokens?: number;
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);
}

function grantFor(update: Interrupt, grants: InterruptionGrantOptions): number {
  if (update.kind === 'revision') return grants.perRevision ?? 0;
  if (update.kind === 'addition') return grants.perAddition ?? 0;
  return 0;
}

function nonNegative(field: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0)) {
    throw new InvalidOptionsError(
      field,
      `${field} is ${value}; use a whole number of turns, 0 or more.`,
    );
  }
}

/**
 * Creates the interruption policy for `createController({ interruptions })`. At each decision
 * point it receives every interruption queued since the last one, in arrival order, and:
 *
 * - merges the additions, revisions and requirement retractions into one user message: a header
 *   saying the update comes from the user, is verified and supersedes the earlier instruction
 *   (the framing against the "self-doubt" failure), one line per update in order, then the whole
 *   current intent restated;
 * - grants budget turns on revisions and additions when `grantTurns` says so (`grant-turns` and
 *   a `budget.extended` event), which `createTurnBudget` honours;
 * - ends the run on `stop` (`stopped`, with a forced final answer from what is known), on
 *   `answer-now` (`stopped`, the answer capped at `answerMaxTokens`) and on a retraction of the
 *   whole task (`cancelled`, the work done kept in history as partial results). Updates that
 *   arrived before the ending are still delivered, so that a forced answer takes them in;
 * - emits `intent.updated` with the counts of the current intent.
 *
 * It keeps no state: the current intent is `toCurrentIntent(view.task, view.intentUpdates)`.
 * The drift monitor re-baselines on the new intent by itself (`rebaselineOnIntentUpdate`).
 *
 * @param options - templates, restating, turn grants, forced answers.
 * @returns an {@link InterruptionPolicy}.
 * @example
 * ```ts
 * const controller = createController({
 *   budget: createTurnBudget({ mode: 'fixed', limit: 40 }),
 *   monitors: [createDriftMonitor()],
 *   interruptions: createInterruptionPolicy({ grantTurns: { perRevision: 5, maxTotal: 15 } }),
 * });
 * handle.interrupt({ kind: 'revision', text: 'January, not February', urgency: 'now' });
 * ```
 */
export function createInterruptionPolicy(
  options: InterruptionPolicyOptions = {},
): InterruptionPolicy {
  const name = options.name ?? 'interruptions';
  const templates = { ...defaultInterruptionTemplates, ...options.templates };
  const restate = options.restateIntent ?? true;
  const grants = options.grantTurns ?? {};
  nonNegative('grantTurns.perRevision', grants.perRevision);
  nonNegative('grantTurns.perAddition', grants.perAddition);
  nonNegative('grantTurns.maxTotal', grants.maxTotal);
  const maxGranted = grants.maxTotal ?? Number.POSITIVE_INFINITY;
  const forceOnStop = options.forceAnswerOnStop ?? true;
  if (options.answerMaxTokens !== undefined && !(options.answerMaxTokens >= 1)) {
    throw new InvalidOptionsError(
      'answerMaxTokens',
      `answerMaxTokens is ${options.answerMaxTokens}; use a positive number of tokens, e.g. ${defaultAnswerMaxTokens}.`,
    );
  }

  const onInterrupts = (view: RunView, interrupts: readonly Interrupt[]): Directive[] => {
    const directives: Directive[] = [];
    const lines: string[] = [];
    let ending: Directive | undefined;
    for (const interrupt of interrupts) {
      if (ending !== undefined) break;
      const text = interrupt.text.trim();
      if (interrupt.kind === 'stop') {
        ending = {
          type: 'stop',
          reason: 'user-stop',
          message: text === '' ? templates.stopWithoutText : fill(templates.stop, { text }),
          source: name,
          ...(forceOnStop ? { finalAnswer: 'force' as const } : {}),
          ...(forceOnStop && (interrupt.answerMaxTokens ?? options.answerMaxTokens) !== undefined
            ? { answerMaxTokens: interrupt.answerMaxTokens ?? options.answerMaxTokens }
            : {}),
        };
      } else if (interrupt.kind === 'answer-now') {
        ending = {
          type: 'stop',
          reason: 'user-answer-now',
          message: text === '' ? 'The user asked for the answer now.' : text,
          finalAnswer: 'force',
          answerMaxTokens:
            interrupt.answerMaxTokens ?? options.answerMaxTokens ?? defaultAnswerMaxTokens,
          source: name,
        };
      } else if (interrupt.kind === 'retraction' && interrupt.scope === 'task') {
        ending = {
          type: 'cancel',
          reason: fill(templates.dropTask, { text: text === '' ? 'no reason given' : text }),
          source: name,
        };
      } else if (text !== '') {
        lines.push(fill(templates[interrupt.kind], { text }));
      }
    }
    const intent = toCurrentIntent(view.task, view.intentUpdates);
    if (lines.length > 0) {
      const body =
        lines.length === 1
          ? (lines[0] as string)
          : lines.map((line, index) => `${index + 1}. ${line}`).join('\n');
      const parts = [templates.header, body];
      if (restate) {
        parts.push(
          fill(templates.restate, { intent: toIntentText(intent.task, view.intentUpdates) }),
        );
      }
      directives.push({
        type: 'inject',
        role: 'user',
        content: parts.join('\n\n'),
        ephemeral: false,
        source: name,
      });
    }
    const earlier = view.intentUpdates.slice(0, view.intentUpdates.length - interrupts.length);
    const grantedBefore = Math.min(
      maxGranted,
      earlier.reduce((sum, update) => sum + grantFor(update, grants), 0),
    );
    const grantedNow =
      Math.min(
        maxGranted,
        view.intentUpdates.reduce((sum, update) => sum + grantFor(update, grants), 0),
      ) - grantedBefore;
    if (grantedNow > 0 && ending === undefined) {
      const evidence = {
        turn: view.turn,
        grantedNow,
        grantedByUpdates: grantedBefore + grantedNow,
      };
      directives.push(
        {
          type: 'grant-turns',
          turns: grantedNow,
          reason: 'The user changed the task.',
          source: name,
          evidence,
        },
        {
          type: 'emit',
          event: {
            name: 'budget.extended',
            policy: name,
            message: `Granted ${grantedNow} more turns for the user's update.`,
            evidence,
          },
        },
      );
    }
    directives.push({
      type: 'emit',
      event: {
        name: 'intent.updated',
        policy: name,
        message: `${interrupts.length} update(s) applied; the task is ${intent.status}.`,
        evidence: {
          turn: view.turn,
          applied: interrupts.length,
          updates: intent.updates.length,
          additions: intent.updates.filter((update) => update.kind === 'addition').length,
          revisions: intent.updates.filter((update) => update.kind === 'revision').length,
          retractions: intent.updates.filter((update) => update.kind === 'retraction').length,
          status: intent.status,
        },
      },
    });
    if (ending !== undefined) directives.push(ending);
    return directives;
  };

  return {
    onInterrupts,
    onInterrupt: (view, interrupt) => onInterrupts(view, [interrupt]),
  };
}
