import { classifyAction } from './action-class.js';
import { readState } from './errors/controller-state-error.js';
import type { Finding, Monitor, MonitorSession } from './monitor.js';
import type { ObservedTurn, TurnAction } from './turn-record.js';

/** Options of {@link createOverthinkingMonitor}. */
export interface OverthinkingMonitorOptions {
  /** @defaultValue `'overthinking'` */
  readonly name?: string;
  /**
   * Analysis paralysis: at least `paralysisTurns` of the last `paralysisWindow` turns without
   * an action (planning instead of acting).
   * @defaultValue 3
   */
  readonly paralysisTurns?: number;
  /** @defaultValue 5 */
  readonly paralysisWindow?: number;
  /**
   * Rogue actions: at least this many actions in the turn right after a failed one, without
   * waiting for feedback.
   * @defaultValue 2
   */
  readonly rogueActions?: number;
  /**
   * Which actions change the work (edits). Premature disengagement is finishing with an edit
   * after the last verifying action.
   * @defaultValue names or arguments mentioning edit, write, replace, patch, create, `sed -i`
   */
  readonly isEdit?: (action: TurnAction) => boolean;
  /**
   * Which actions verify the work (tests, runs, checks).
   * @defaultValue names or arguments mentioning test, pytest, verify, check, python, npm, make, cargo, go
   */
  readonly isVerification?: (action: TurnAction) => boolean;
  /**
   * Which actions finish the task (besides a turn without action that ends the run).
   * @defaultValue names or arguments mentioning `submit`, `task_done`, `COMPLETE_TASK`
   */
  readonly isFinish?: (action: TurnAction) => boolean;
}

const editPattern =
  /\b(edit|write|replace|patch|create|str_replace|apply)\b|sed\s+-i|>\s*\S+\.\w+/i;
const verifyPattern =
  /\b(test|tests|pytest|verify|check|python3?|node|npm|pnpm|make|cargo|go|reproduce)\b/i;
const finishPattern = /\b(submit|task_done|finish)\b|COMPLETE_TASK/i;

/** Defaults of {@link OverthinkingMonitorOptions}. */
export const defaultOverthinkingMonitorOptions = Object.freeze({
  name: 'overthinking',
  paralysisTurns: 3,
  paralysisWindow: 5,
  rogueActions: 2,
  isEdit: (action: TurnAction) =>
    editPattern.test(action.name) || editPattern.test(action.arguments),
  isVerification: (action: TurnAction) =>
    verifyPattern.test(action.name) || verifyPattern.test(action.arguments),
  isFinish: (action: TurnAction) =>
    finishPattern.test(action.name) || finishPattern.test(action.arguments),
});

interface OverthinkingState {
  readonly version: 1;
  readonly recentSilent: readonly boolean[];
  readonly previousFailed: boolean;
  readonly lastEditTurn: number;
  readonly lastVerificationTurn: number;
}

/**
 * Creates the overthinking monitor ("The Danger of Overthinking"): analysis paralysis,
 * rogue actions and premature disengagement, each reported as `overthinking.detected` with
 * the pattern in `finding.pattern`.
 *
 * Premature disengagement is checked on the finishing turn (an action matched by `isFinish`,
 * or a turn without action, which ends a Reins run): it holds when an edit came after the last
 * verification. A verification in the same turn as the edit counts as after it only if a later
 * action of that turn verifies.
 *
 * @param options - thresholds and the action classifiers.
 * @returns a monitor of category `overthinking`.
 * @example
 * ```ts
 * const monitor = createOverthinkingMonitor({ isFinish: (action) => action.name === 'task_done' });
 * ```
 */
export function createOverthinkingMonitor(options: OverthinkingMonitorOptions = {}): Monitor {
  const settings = { ...defaultOverthinkingMonitorOptions, ...options };
  const defaultClassifiers =
    settings.isFinish === defaultOverthinkingMonitorOptions.isFinish &&
    settings.isEdit === defaultOverthinkingMonitorOptions.isEdit &&
    settings.isVerification === defaultOverthinkingMonitorOptions.isVerification;
  return {
    name: settings.name,
    open(context): MonitorSession {
      const saved = readState<OverthinkingState>(settings.name, context.state, 1);
      const recentSilent: boolean[] = [...(saved?.recentSilent ?? [])];
      let previousFailed = saved?.previousFailed ?? false;
      let lastEditTurn = saved?.lastEditTurn ?? 0;
      let lastVerificationTurn = saved?.lastVerificationTurn ?? 0;
      const base = (
        turn: number,
        pattern: string,
        message: string,
        evidence: Finding['evidence'],
        action?: string,
      ): Finding => ({
        monitor: settings.name,
        category: 'overthinking',
        pattern,
        event: 'overthinking.detected',
        message,
        turn,
        ...(action === undefined ? {} : { action }),
        evidence: { pattern, ...evidence },
      });
      return {
        observe(turn: ObservedTurn) {
          const findings: Finding[] = [];
          const { record } = turn;
          recentSilent.push(!turn.hasAction);
          while (recentSilent.length > settings.paralysisWindow) recentSilent.shift();
          let silent = 0;
          for (const wasSilent of recentSilent) if (wasSilent) silent += 1;
          if (!turn.hasAction && silent >= settings.paralysisTurns) {
            findings.push(
              base(
                record.turn,
                'analysis-paralysis',
                `${silent} of the last ${recentSilent.length} turns took no action.`,
                {
                  turnsWithoutAction: silent,
                  window: recentSilent.length,
                  threshold: settings.paralysisTurns,
                },
              ),
            );
          }
          if (previousFailed && record.actions.length >= settings.rogueActions) {
            findings.push(
              base(
                record.turn,
                'rogue-actions',
                `${record.actions.length} actions in one turn right after a failure, without waiting for feedback.`,
                { actions: record.actions.length, threshold: settings.rogueActions },
                turn.actionPreview,
              ),
            );
          }
          let finishing = !turn.hasAction;
          record.actions.forEach((action, index) => {
            const position = record.turn + index / (record.actions.length + 1);
            if (defaultClassifiers) {
              // The same decisions as the default predicates, in one pass over each text.
              const kind = classifyAction(action);
              if (kind === 'finish') finishing = true;
              else if (kind === 'edit') lastEditTurn = position;
              else if (kind === 'verification') lastVerificationTurn = position;
            } else if (settings.isFinish(action)) finishing = true;
            else if (settings.isEdit(action)) lastEditTurn = position;
            else if (settings.isVerification(action)) lastVerificationTurn = position;
          });
          if (finishing && lastEditTurn > 0 && lastEditTurn > lastVerificationTurn) {
            findings.push(
              base(
                record.turn,
                'premature-disengagement',
                'Finishing without verifying the last edit.',
                {
                  lastEditTurn: Math.floor(lastEditTurn),
                  lastVerificationTurn: Math.floor(lastVerificationTurn),
                },
              ),
            );
          }
          previousFailed = turn.errorCount > 0;
          return findings.length > 0 ? findings : undefined;
        },
        snapshot: (): OverthinkingState => ({
          version: 1,
          recentSilent: [...recentSilent],
          previousFailed,
          lastEditTurn,
          lastVerificationTurn,
        }),
      };
    },
  };
}
