import { InvalidOptionsError, type RunView } from '@reins/core';
import { readState } from './errors/controller-state-error.js';
import type { Finding, Monitor, MonitorSession } from './monitor.js';
import {
  digestSimilarity,
  fromDigestJson,
  sameText,
  type TextDigest,
  type TextDigestJson,
  toDigestJson,
} from './text-digest.js';
import type { ObservedTurn } from './turn-record.js';

/** Options of {@link createStuckMonitor}. Thresholds default to OpenHands' stuck detector. */
export interface StuckMonitorOptions {
  /**
   * Name used as the policy of its findings.
   * @defaultValue `'stuck'`
   */
  readonly name?: string;
  /**
   * The same action with the same observation this many times in a row. `0` turns it off.
   * @defaultValue 4
   */
  readonly repeatedActionObservation?: number;
  /**
   * The same action ending in an error this many times in a row. `0` turns it off.
   * @defaultValue 3
   */
  readonly repeatedActionError?: number;
  /**
   * Turns in a row with text but no action (the agent talking to itself). `0` turns it off.
   * @defaultValue 3
   */
  readonly monologue?: number;
  /**
   * Length of the A-B-A-B alternation of action/observation pairs: at least 4, or `0` to turn
   * it off.
   * @defaultValue 6
   */
  readonly alternation?: number;
  /**
   * Context-window errors in a row (calls cut by the context window with no action). `0` turns it off.
   * @defaultValue 10
   */
  readonly contextWindowErrors?: number;
  /**
   * Near-duplicate loop: this many turns in a row whose actions and observations are each at
   * least `nearDuplicateSimilarity` alike after normalisation (numbers, timestamps and ids
   * ignored), without being exactly equal. `0` turns it off.
   * @defaultValue 4
   */
  readonly nearDuplicate?: number;
  /**
   * Similarity in [0, 1] (see `digestSimilarity`) above which two texts are near-duplicates.
   * @defaultValue 0.9
   */
  readonly nearDuplicateSimilarity?: number;
}

/** Defaults of {@link StuckMonitorOptions} (OpenHands' thresholds, plus near-duplicates). */
export const defaultStuckMonitorOptions = Object.freeze({
  name: 'stuck',
  repeatedActionObservation: 4,
  repeatedActionError: 3,
  monologue: 3,
  alternation: 6,
  contextWindowErrors: 10,
  nearDuplicate: 4,
  nearDuplicateSimilarity: 0.9,
});

/** One turn as the stuck monitor keeps it. */
interface Entry {
  readonly turn: number;
  readonly action: TextDigest;
  readonly observation: TextDigest;
  readonly hasAction: boolean;
  readonly allErrors: boolean;
  readonly preview: string;
}

interface EntryJson {
  readonly turn: number;
  readonly action: TextDigestJson;
  readonly observation: TextDigestJson;
  readonly hasAction: boolean;
  readonly allErrors: boolean;
  readonly preview: string;
}

interface StuckState {
  readonly version: 1;
  readonly window: readonly EntryJson[];
  readonly silentTurns: number;
  readonly contextErrors: number;
}

/** Refuses thresholds no run could meet or that would mean something else than they say. */
function checkOptions(settings: Required<StuckMonitorOptions>): void {
  const refuse = (field: keyof StuckMonitorOptions, fix: string): never => {
    throw new InvalidOptionsError(
      field,
      `createStuckMonitor({ ${field} }) is ${typeof settings[field] === 'string' ? `'${settings[field]}'` : String(settings[field])}; ${fix}`,
    );
  };
  if (typeof settings.name !== 'string' || settings.name === '')
    refuse('name', "use a non-empty name (default 'stuck').");
  for (const field of [
    'repeatedActionObservation',
    'repeatedActionError',
    'monologue',
    'contextWindowErrors',
    'nearDuplicate',
  ] as const) {
    const count = settings[field];
    if (!(Number.isInteger(count) && count >= 0))
      refuse(field, 'use a whole number of turns ≥ 1, or 0 to turn the pattern off.');
  }
  const { alternation, nearDuplicateSimilarity } = settings;
  if (!(Number.isInteger(alternation) && (alternation === 0 || alternation >= 4)))
    refuse(
      'alternation',
      'use a whole number of pairs ≥ 4 (A-B-A-B), or 0 to turn the pattern off.',
    );
  if (!(nearDuplicateSimilarity >= 0 && nearDuplicateSimilarity <= 1))
    refuse('nearDuplicateSimilarity', 'use a similarity in [0, 1] (default 0.9).');
}

/**
 * Creates the stuck monitor: OpenHands' five stuck patterns with their thresholds, plus
 * near-duplicate loops. It keeps only the last few turns (the largest threshold), so each turn
 * costs the same whatever the length of the run.
 *
 * Patterns (`finding.pattern`), checked in this order, the first that holds is reported:
 * - `repeating-action-observation`: the same action and the same observation 4 times;
 * - `repeating-action-error`: the same action failing 3 times;
 * - `monologue`: 3 turns in a row without an action;
 * - `alternating-pattern`: A-B-A-B-A-B over 6 action/observation pairs;
 * - `context-window-loop`: 10 context-window errors in a row;
 * - `near-duplicate-loop`: 4 turns whose actions and observations are ≥ 0.9 similar after
 *   normalisation (catches loops whose line numbers or timestamps change).
 *
 * A turn's actions count as one action (mini-swe-agent and most coding agents take one per turn).
 *
 * @param options - thresholds; see {@link StuckMonitorOptions}.
 * @throws InvalidOptionsError when a threshold is not one a run could meet (see each option).
 * @returns a monitor reporting `stuck.detected` findings of category `stuck`.
 * @example
 * ```ts
 * const controller = createController({ monitors: [createStuckMonitor({ nearDuplicate: 5 })] });
 * ```
 */
export function createStuckMonitor(options: StuckMonitorOptions = {}): Monitor {
  const settings = { ...defaultStuckMonitorOptions, ...options };
  checkOptions(settings);
  const size = Math.max(
    settings.repeatedActionObservation,
    settings.repeatedActionError,
    settings.alternation,
    settings.nearDuplicate,
    1,
  );
  return {
    name: settings.name,
    open(context): MonitorSession {
      const saved = readState<StuckState>(settings.name, context.state, 1);
      const window: Entry[] = (saved?.window ?? []).map((entry) => ({
        ...entry,
        action: fromDigestJson(entry.action),
        observation: fromDigestJson(entry.observation),
      }));
      /** The window as the snapshot stores it, each entry converted once, when it is observed. */
      let savedWindow: readonly EntryJson[] = saved?.window ?? [];
      let silentTurns = saved?.silentTurns ?? 0;
      let contextErrors = saved?.contextErrors ?? 0;

      const finding = (
        pattern: string,
        turn: number,
        message: string,
        evidence: Record<string, number | string | boolean>,
        action?: string,
      ): Finding[] => [
        {
          monitor: settings.name,
          category: 'stuck',
          pattern,
          event: 'stuck.detected',
          message,
          turn,
          ...(action === undefined ? {} : { action }),
          evidence: { pattern, ...evidence, ...(action === undefined ? {} : { action }) },
        },
      ];

      /** The last `count` entries, newest first, or undefined when there are fewer. */
      const last = (count: number): Entry[] | undefined => {
        if (count <= 0 || window.length < count) return undefined;
        const result: Entry[] = [];
        for (let index = window.length - 1; index >= window.length - count; index--)
          result.push(window[index] as Entry);
        return result;
      };

      const check = (turn: number): Finding[] | undefined => {
        const repeated = last(settings.repeatedActionObservation);
        if (repeated !== undefined) {
          const [first] = repeated as [Entry];
          if (
            repeated.every(
              (entry) =>
                entry.hasAction &&
                sameText(entry.action, first.action) &&
                sameText(entry.observation, first.observation),
            )
          ) {
            return finding(
              'repeating-action-observation',
              turn,
              `The same action returned the same observation ${repeated.length} times in a row.`,
              { repeats: repeated.length, threshold: settings.repeatedActionObservation },
              first.preview,
            );
          }
        }
        const errors = last(settings.repeatedActionError);
        if (errors !== undefined) {
          const [first] = errors as [Entry];
          if (
            errors.every(
              (entry) => entry.hasAction && entry.allErrors && sameText(entry.action, first.action),
            )
          ) {
            return finding(
              'repeating-action-error',
              turn,
              `The same action failed ${errors.length} times in a row.`,
              { repeats: errors.length, threshold: settings.repeatedActionError },
              first.preview,
            );
          }
        }
        if (settings.monologue > 0 && silentTurns >= settings.monologue) {
          return finding('monologue', turn, `${silentTurns} turns in a row without an action.`, {
            turnsWithoutAction: silentTurns,
            threshold: settings.monologue,
          });
        }
        const alternating = last(settings.alternation);
        if (alternating !== undefined) {
          let holds = alternating.every((entry) => entry.hasAction);
          for (let index = 0; holds && index + 2 < alternating.length; index++) {
            const a = alternating[index] as Entry;
            const b = alternating[index + 2] as Entry;
            holds = sameText(a.action, b.action) && sameText(a.observation, b.observation);
          }
          const [newest, previous] = alternating as [Entry, Entry];
          if (holds && !sameText(newest.action, previous.action)) {
            return finding(
              'alternating-pattern',
              turn,
              `Two actions have alternated with the same observations for ${alternating.length} turns.`,
              { length: alternating.length, threshold: settings.alternation },
              `${previous.preview}\n${newest.preview}`.slice(0, 200),
            );
          }
        }
        if (settings.contextWindowErrors > 0 && contextErrors >= settings.contextWindowErrors) {
          return finding(
            'context-window-loop',
            turn,
            `${contextErrors} model calls in a row were cut by the context window.`,
            { contextWindowErrors: contextErrors, threshold: settings.contextWindowErrors },
          );
        }
        const near = last(settings.nearDuplicate);
        if (near !== undefined) {
          const [first] = near as [Entry];
          let minAction = 1;
          let minObservation = 1;
          let allExact = true;
          for (const entry of near) {
            if (!entry.hasAction) return undefined;
            if (entry === first) continue;
            const actionSimilarity =
              entry.action.normalised === first.action.normalised
                ? 1
                : digestSimilarity(entry.action, first.action);
            const observationSimilarity = digestSimilarity(entry.observation, first.observation);
            minAction = Math.min(minAction, actionSimilarity);
            minObservation = Math.min(minObservation, observationSimilarity);
            if (minAction < settings.nearDuplicateSimilarity) return undefined;
            if (minObservation < settings.nearDuplicateSimilarity) return undefined;
            allExact &&=
              sameText(entry.action, first.action) &&
              sameText(entry.observation, first.observation);
          }
          if (!allExact) {
            return finding(
              'near-duplicate-loop',
              turn,
              `Nearly the same action and observation ${near.length} times in a row.`,
              {
                repeats: near.length,
                threshold: settings.nearDuplicate,
                actionSimilarity: round(minAction),
                observationSimilarity: round(minObservation),
              },
              first.preview,
            );
          }
        }
        return undefined;
      };

      return {
        observe(turn: ObservedTurn, _view: RunView) {
          const entry: Entry = {
            turn: turn.record.turn,
            action: turn.action,
            observation: turn.observation,
            hasAction: turn.hasAction,
            allErrors: turn.allErrors,
            preview: turn.actionPreview,
          };
          window.push(entry);
          while (window.length > size) window.shift();
          // A new array each turn: a snapshot handed out earlier never changes.
          savedWindow = [
            ...savedWindow.slice(Math.max(0, savedWindow.length + 1 - size)),
            {
              ...entry,
              action: toDigestJson(entry.action),
              observation: toDigestJson(entry.observation),
            },
          ];
          silentTurns = turn.hasAction ? 0 : silentTurns + 1;
          contextErrors = turn.contextWindowError ? contextErrors + 1 : 0;
          return check(turn.record.turn);
        },
        snapshot(): StuckState {
          return {
            version: 1,
            window: savedWindow,
            silentTurns,
            contextErrors,
          };
        },
      };
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
