import type { Directive, RunView, StopReason } from '@reins/core';
import { type Compaction, createCompaction } from './compaction.js';
import { readState } from './errors/controller-state-error.js';
import { toIntentText } from './intent-text.js';
import type { Finding } from './monitor.js';

/**
 * One rung of an escalation ladder:
 * - `warn`: an ephemeral message naming the problem (and the repeated action);
 * - `reanchor`: restate the current intent (the Drift-No-More goal reminder);
 * - `compact`: replace older turns with a summary (skipped when there is nothing to compact);
 * - `pause`: pause the run for a human, with the reason;
 * - `stop`: stop the run with the reason and a final message.
 */
export type InterventionStep = 'warn' | 'reanchor' | 'compact' | 'pause' | 'stop';

/** Options of {@link createInterventionPolicy}. */
export interface InterventionPolicyOptions {
  /** @defaultValue `'interventions'` */
  readonly name?: string;
  /**
   * The ladder per finding category; each new finding of a category climbs one rung, the last
   * rung repeats. A category without a ladder is only reported.
   * @defaultValue {@link defaultEscalation}
   */
  readonly escalation?: Readonly<Record<string, readonly InterventionStep[]>>;
  /**
   * How `compact` compacts.
   * @defaultValue `createCompaction()` (task and last 4 turns kept, extractive summary)
   */
  readonly compaction?: Compaction;
  /**
   * Turns after an intervention during which new findings of the same category are reported
   * but do not climb (the model needs a turn or two to react).
   * @defaultValue 2
   */
  readonly cooldownTurns?: number;
  /**
   * A category's ladder starts again after this many turns without a finding of it.
   * @defaultValue 10
   */
  readonly resetAfterTurns?: number;
  /**
   * Turns before which the current intent is restated regardless of findings ("Drift No More?"
   * injected goal reminders at turns 4 and 7).
   * @defaultValue `[]`
   */
  readonly reanchorAtTurns?: readonly number[];
  /** Ask for a final answer (one more call, without tools) when a `stop` rung stops the run. */
  readonly finalAnswer?: 'force';
}

/** The default ladders: warn, then compact, then stop (drift re-anchors instead of warning). */
export const defaultEscalation: Readonly<Record<string, readonly InterventionStep[]>> =
  Object.freeze({
    stuck: ['warn', 'compact', 'stop'],
    drift: ['reanchor', 'compact', 'stop'],
    overthinking: ['warn'],
    'predicted-failure': ['stop'],
  });

/** One run's intervention state. */
export interface InterventionSession {
  /** Called before each model call (and on a final turn) with the findings of the last turn. */
  decide(findings: readonly Finding[], view: RunView): Directive[];
  snapshot(): unknown;
}

/** Maps monitor findings to interventions, with escalation. */
export interface InterventionPolicy {
  readonly name: string;
  open(context: { readonly runId: string; readonly state?: unknown }): InterventionSession;
}

interface Ladder {
  level: number;
  lastInterventionTurn: number;
  lastFindingTurn: number;
}

interface InterventionState {
  readonly version: 1;
  readonly ladders: Readonly<Record<string, Ladder>>;
  readonly reanchored: readonly number[];
}

const stopReasons: Readonly<Record<string, StopReason>> = {
  stuck: 'stuck',
  drift: 'drift',
  'predicted-failure': 'predicted-failure',
  overthinking: 'overthinking',
};

const overthinkingAdvice: Readonly<Record<string, string>> = {
  'analysis-paralysis': 'Stop planning and take the next concrete action.',
  'rogue-actions': 'Take one action at a time and read its result before the next.',
  'premature-disengagement':
    'Verify your last edit (run the tests or a reproduction) before finishing.',
};

/**
 * The warning text for a finding.
 * @example
 * ```ts
 * toWarning(finding); // 'You appear to be stuck: … The repeated action was: …'
 * ```
 */
export function toWarning(finding: Finding): string {
  if (finding.category === 'stuck') {
    const action =
      finding.action === undefined ? '' : ` The repeated action was:\n${finding.action}\n`;
    return `You appear to be stuck: ${finding.message}${action} Do not repeat it; try a different approach.`;
  }
  if (finding.category === 'overthinking')
    return `${finding.message} ${overthinkingAdvice[finding.pattern] ?? ''}`.trim();
  return `Warning: ${finding.message}`;
}

/**
 * Creates the intervention policy: it maps findings to interventions, climbing a per-category
 * ladder (by default warn, then compact, then stop), with a cooldown between rungs and a reset
 * after quiet turns; every intervention is reported as `intervention.applied` (and compaction as
 * `compaction.applied`) with the finding's evidence.
 *
 * @param options - ladders, compaction, cooldown, reset, scheduled re-anchoring.
 * @returns a policy for `createController({ interventions })`.
 * @example
 * ```ts
 * const interventions = createInterventionPolicy({
 *   escalation: { stuck: ['warn', 'compact', 'pause'] },
 *   compaction: createCompaction({ keepLastTurns: 6 }),
 *   reanchorAtTurns: [4, 7],
 * });
 * ```
 */
export function createInterventionPolicy(
  options: InterventionPolicyOptions = {},
): InterventionPolicy {
  const name = options.name ?? 'interventions';
  const escalation = options.escalation ?? defaultEscalation;
  const compaction = options.compaction ?? createCompaction();
  const cooldownTurns = options.cooldownTurns ?? 2;
  const resetAfterTurns = options.resetAfterTurns ?? 10;
  const reanchorAt = new Set(options.reanchorAtTurns ?? []);
  return {
    name,
    open(context): InterventionSession {
      const saved = readState<InterventionState>(name, context.state, 1);
      const ladders: Record<string, Ladder> = Object.fromEntries(
        Object.entries(saved?.ladders ?? {}).map(([key, ladder]) => [key, { ...ladder }]),
      );
      const reanchored = new Set(saved?.reanchored ?? []);

      const applied = (
        view: RunView,
        step: InterventionStep,
        finding: Finding | undefined,
        level: number,
      ): Directive => ({
        type: 'emit',
        event: {
          name: 'intervention.applied',
          policy: name,
          message:
            finding === undefined
              ? `Restated the current intent before turn ${view.turn + 1}.`
              : `${step} after ${finding.category} (${finding.pattern}).`,
          evidence: {
            step,
            level,
            turn: view.turn,
            ...(finding === undefined
              ? { scheduled: true }
              : { category: finding.category, pattern: finding.pattern, monitor: finding.monitor }),
          },
        },
      });

      const reanchor = (view: RunView): Directive => ({
        type: 'inject',
        role: 'user',
        content: `Reminder of your task, as it stands now:\n${toIntentText(view.task, view.intentUpdates)}`,
        ephemeral: true,
        source: name,
      });

      const run = (
        view: RunView,
        step: InterventionStep,
        finding: Finding,
        level: number,
      ): Directive[] | undefined => {
        switch (step) {
          case 'warn':
            return [
              {
                type: 'inject',
                role: 'user',
                content: toWarning(finding),
                ephemeral: true,
                source: name,
              },
              applied(view, step, finding, level),
            ];
          case 'reanchor':
            return [reanchor(view), applied(view, step, finding, level)];
          case 'compact': {
            const directive = compaction.compact(view, name);
            if (directive === undefined) return undefined;
            return [
              directive,
              {
                type: 'emit',
                event: {
                  name: 'compaction.applied',
                  policy: name,
                  message: `Replaced messages ${directive.from}–${directive.to - 1} with a summary.`,
                  evidence: {
                    from: directive.from,
                    to: directive.to,
                    summaryChars: directive.summary.length,
                    category: finding.category,
                  },
                },
              },
              applied(view, step, finding, level),
            ];
          }
          case 'pause':
            return [
              { type: 'pause', reason: `${finding.category}: ${finding.message}`, source: name },
              applied(view, step, finding, level),
            ];
          case 'stop':
            return [
              applied(view, step, finding, level),
              {
                type: 'stop',
                reason: stopReasons[finding.category] ?? finding.category,
                message: finding.message,
                source: name,
                evidence: finding.evidence,
                ...(options.finalAnswer === 'force' ? { finalAnswer: 'force' as const } : {}),
              },
            ];
        }
      };

      return {
        decide(findings, view) {
          const directives: Directive[] = [];
          const nextTurn = view.turn + 1;
          if (reanchorAt.has(nextTurn) && !reanchored.has(nextTurn)) {
            reanchored.add(nextTurn);
            directives.push(reanchor(view), applied(view, 'reanchor', undefined, 0));
          }
          const handled = new Set<string>();
          for (const finding of findings) {
            const ladder = escalation[finding.category];
            if (ladder === undefined || ladder.length === 0 || handled.has(finding.category))
              continue;
            handled.add(finding.category);
            let state = ladders[finding.category];
            if (state === undefined || finding.turn - state.lastFindingTurn > resetAfterTurns) {
              state = {
                level: 0,
                lastInterventionTurn: Number.NEGATIVE_INFINITY,
                lastFindingTurn: finding.turn,
              };
              ladders[finding.category] = state;
            }
            state.lastFindingTurn = finding.turn;
            if (finding.turn - state.lastInterventionTurn <= cooldownTurns) continue;
            while (state.level < ladder.length) {
              const step = ladder[state.level] as InterventionStep;
              const result = run(view, step, finding, state.level);
              if (state.level < ladder.length - 1) state.level += 1;
              else if (result === undefined) break;
              if (result !== undefined) {
                state.lastInterventionTurn = finding.turn;
                directives.push(...result);
                break;
              }
            }
          }
          return directives;
        },
        snapshot: (): InterventionState => ({
          version: 1,
          ladders: Object.fromEntries(
            Object.entries(ladders).map(([key, ladder]) => [
              key,
              {
                ...ladder,
                lastInterventionTurn: Number.isFinite(ladder.lastInterventionTurn)
                  ? ladder.lastInterventionTurn
                  : -1e9,
              },
            ]),
          ),
          reanchored: [...reanchored],
        }),
      };
    },
  };
}
