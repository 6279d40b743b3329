import type { Evidence } from '@reins/core';
import type {
  ContractCall,
  ContractCallOutcome,
  ContractDefinition,
  ContractStart,
  ContractStep,
  GovernanceRule,
  Invariant,
  RecoveryAction,
  RuleKind,
} from './contract-definition.js';
import { type ContractLedger, type DriftSums, emptyDriftSums } from './contract-ledger.js';
import { readState } from './errors/controller-state-error.js';

/** Where a rule sits in the contract C = (P, I, G, R). */
export type ContractSection = 'precondition' | 'invariant' | 'governance';

/** One violated rule at one step, with what was seen: what a contract finding carries. */
export interface ContractViolation {
  readonly contract: string;
  readonly rule: string;
  readonly section: ContractSection;
  /** Preconditions are hard. */
  readonly kind: RuleKind;
  /** The step (model call) it happened at; 0 for preconditions. */
  readonly turn: number;
  /** What the controller does about it. */
  readonly recovery: RecoveryAction;
  /** A sentence for people and logs. */
  readonly message: string;
  /** The text a `correct` recovery injects (and a denial's reason). */
  readonly correction: string;
  readonly evidence: Evidence;
}

/** A soft violation episode that ended: recovered within `k` steps, or not. */
export interface ContractRecoveryNote {
  readonly contract: string;
  readonly rule: string;
  /** The step the episode began at. */
  readonly since: number;
  /** The step it was recovered at, or at which the window `k` ran out. */
  readonly turn: number;
  readonly outcome: 'recovered' | 'unrecovered';
}

/** What {@link ContractChecker.endStep} found. */
export interface ContractStepResult {
  /** Invariants violated by this step. */
  readonly violations: readonly ContractViolation[];
  /** Soft episodes recovered at this step, and those whose window ran out at it. */
  readonly recoveries: readonly ContractRecoveryNote[];
}

/**
 * One run's contract checks, in the order the loop calls them: {@link ContractChecker.start}
 * once; then per step `beginStep`, per tool call `checkCall` (governance, before it runs) and
 * `recordCall` (after), and `endStep` (invariants, compliance of the step, recovery windows).
 * The live controller (`createContract`) and the offline check of recorded runs
 * (`checkContract`) both drive it, so what is measured on recordings is what runs live.
 */
export interface ContractChecker {
  /** Checks the preconditions (once; later calls return nothing). */
  start(start: ContractStart): readonly ContractViolation[];
  /** Opens step `turn` (a model call) with the model's answer text. An open step is ended first. */
  beginStep(turn: number, text: string): void;
  /** Governance of one call before it runs; `denied` when a violated rule's recovery is `deny`. */
  checkCall(call: ContractCall): {
    readonly violations: readonly ContractViolation[];
    readonly denied: boolean;
  };
  /**
   * One call's result; `ran` is false for a call that was denied or never started. Returns the
   * rules whose tracker threw on it (each broken at this step, its state kept, reported only).
   */
  recordCall(outcome: ContractCallOutcome, ran: boolean): readonly ContractViolation[];
  /** Ends the open step: its invariants, its compliance and the recovery windows. */
  endStep(): ContractStepResult;
  /** Whether a step is open. */
  readonly stepOpen: boolean;
  /** The run's ledger so far, as JSON (the state saved with checkpoints). */
  ledger(): ContractLedger;
}

/** Each rule's identity in the ledger, unique across sections. */
function ruleKey(section: ContractSection, name: string): string {
  return `${section}:${name}`;
}

function defaultRecovery(section: ContractSection, kind: RuleKind): RecoveryAction {
  if (section === 'governance') return kind === 'hard' ? 'deny' : 'correct';
  if (section === 'invariant') return kind === 'hard' ? 'stop' : 'correct';
  return 'stop';
}

const previewLength = 200;

/**
 * Opens the checks of one run of a contract.
 * @param definition - the validated contract.
 * @param saved - a ledger from {@link ContractChecker.ledger}, to continue a resumed run.
 * @returns the run's checker.
 * @throws {ControllerStateError} when `saved` is not a ledger of this version.
 * @example
 * ```ts
 * const checker = openContractChecker(contract.definition);
 * checker.start({ runId: 'r1', task: 'Fix the bug.' });
 * ```
 */
export function openContractChecker(
  definition: ContractDefinition,
  saved?: unknown,
): ContractChecker {
  const { name: contract, satisfaction } = definition;
  const restored = readState<ContractLedger>(contract, saved, 1);
  const hardRules = [
    ...definition.invariants.filter((rule) => rule.kind === 'hard').map((rule) => rule.name),
    ...definition.governance.filter((rule) => rule.kind === 'hard').map((rule) => rule.name),
  ].length;
  const softRules = definition.invariants.length + definition.governance.length - hardRules;
  const ledger: ContractLedger = restored
    ? structuredClone(restored)
    : {
        version: 1,
        contract,
        satisfaction,
        hardRules,
        softRules,
        started: false,
        preconditionsFailed: [],
        steps: 0,
        hardViolatedSteps: 0,
        softComplianceSum: 0,
        ruleViolations: {},
        callCounts: {},
        tracked: initialTracked(definition),
        open: {},
        episodes: 0,
        recoveredWithinK: 0,
        recoveryStepsSum: 0,
        drift: emptyDriftSums(),
        lastTurn: 0,
        current: null,
      };

  const violation = (
    section: ContractSection,
    rule: { name: string; kind?: RuleKind; description: string; correction?: string },
    recovery: RecoveryAction | undefined,
    turn: number,
    extra: Evidence,
  ): ContractViolation => {
    const kind = rule.kind ?? 'hard';
    const chosen = recovery ?? defaultRecovery(section, kind);
    return {
      contract,
      rule: rule.name,
      section,
      kind,
      turn,
      recovery: chosen,
      message: `Contract '${contract}': ${kind} ${section} '${rule.name}' violated at step ${turn}: ${rule.description}`,
      correction: rule.correction ?? rule.description,
      evidence: { contract, rule: rule.name, section, kind, turn, recovery: chosen, ...extra },
    };
  };

  const governs = (rule: GovernanceRule, call: ContractCall) =>
    rule.tools === undefined || rule.tools.includes(call.name);

  const endStep = (): ContractStepResult => {
    const current = ledger.current;
    if (current === null) return { violations: [], recoveries: [] };
    ledger.current = null;
    const { text } = current;
    const violations: ContractViolation[] = [];
    const stepView: ContractStep = {
      turn: current.turn,
      text,
      calls: current.calls,
      final: current.calls.length === 0,
    };
    definition.invariants.forEach((rule: Invariant) => {
      const state = ledger.tracked[ruleKey('invariant', rule.name)];
      const checked = attempt(() => rule.holds(stepView, state));
      if (checked.value === true) return;
      const key = ruleKey('invariant', rule.name);
      if (!current.violated.includes(key)) current.violated.push(key);
      violations.push(
        violation('invariant', rule, rule.recovery, current.turn, {
          calls: current.calls.length,
          ...(current.calls.length === 0
            ? { answer: text.slice(0, previewLength) }
            : { action: preview(current.calls) }),
          ...errorEvidence(checked),
        }),
      );
    });
    const violated = new Set(current.violated);
    ledger.steps += 1;
    ledger.lastTurn = current.turn;
    let hardViolated = false;
    let softViolated = 0;
    const recoveries: ContractRecoveryNote[] = [];
    const visit = (section: ContractSection, rule: { name: string; kind: RuleKind }) => {
      const key = ruleKey(section, rule.name);
      const isViolated = violated.has(key);
      if (isViolated) {
        const entry = ledger.ruleViolations[key] ?? { steps: 0, firstTurn: current.turn };
        entry.steps += 1;
        ledger.ruleViolations[key] = entry;
      }
      if (rule.kind === 'hard') {
        if (isViolated) hardViolated = true;
        return;
      }
      if (isViolated) softViolated += 1;
      const open = ledger.open[key];
      if (open === undefined) {
        if (isViolated) {
          ledger.episodes += 1;
          ledger.open[key] = { since: current.turn, expired: false };
        }
        return;
      }
      if (!isViolated) {
        delete ledger.open[key];
        const steps = current.turn - open.since;
        if (!open.expired && steps <= satisfaction.k) {
          ledger.recoveredWithinK += 1;
          ledger.recoveryStepsSum += steps;
          recoveries.push({
            contract,
            rule: rule.name,
            since: open.since,
            turn: current.turn,
            outcome: 'recovered',
          });
        }
        return;
      }
      if (!open.expired && current.turn - open.since >= satisfaction.k) {
        open.expired = true;
        recoveries.push({
          contract,
          rule: rule.name,
          since: open.since,
          turn: current.turn,
          outcome: 'unrecovered',
        });
      }
    };
    for (const rule of definition.invariants) visit('invariant', rule);
    for (const rule of definition.governance) visit('governance', rule);
    if (hardViolated) ledger.hardViolatedSteps += 1;
    const softRulesCount = ledger.softRules;
    ledger.softComplianceSum += softRulesCount === 0 ? 1 : 1 - softViolated / softRulesCount;
    const allRules = ledger.hardRules + softRulesCount;
    const drift = allRules === 0 ? 0 : violated.size / allRules;
    addDriftPoint(ledger.drift, drift);
    return { violations, recoveries };
  };

  return {
    start(start) {
      if (ledger.started) return [];
      ledger.started = true;
      const violations: ContractViolation[] = [];
      for (const rule of definition.preconditions) {
        const checked = attempt(() => rule.holds(start));
        if (checked.value === true) continue;
        ledger.preconditionsFailed.push(rule.name);
        violations.push(
          violation('precondition', rule, rule.recovery, 0, {
            task: start.task.slice(0, previewLength),
            ...errorEvidence(checked),
          }),
        );
      }
      return violations;
    },
    beginStep(turn, text) {
      if (ledger.current !== null) endStep();
      ledger.current = { turn, text, calls: [], violated: [] };
    },
    checkCall(call) {
      const violations: ContractViolation[] = [];
      let denied = false;
      for (const rule of definition.governance) {
        if (!governs(rule, call)) continue;
        const key = ruleKey('governance', rule.name);
        const count = ledger.callCounts[key] ?? 0;
        const overLimit = rule.maxCalls !== undefined && count >= rule.maxCalls;
        const allows = rule.allows;
        const checked =
          allows === undefined
            ? { value: true }
            : attempt(() => allows(call, ledger.tracked[key] as never));
        const refused = checked.value !== true;
        if (!overLimit && !refused) continue;
        const current = ledger.current;
        if (current !== null && !current.violated.includes(key)) current.violated.push(key);
        const found = violation('governance', rule, rule.recovery, call.turn, {
          tool: call.name,
          action: `${call.name} ${call.command ?? call.arguments}`.slice(0, previewLength),
          ...(rule.maxCalls === undefined ? {} : { calls: count, maxCalls: rule.maxCalls }),
          ...errorEvidence(checked),
        });
        if (found.recovery === 'deny') denied = true;
        violations.push(found);
      }
      return { violations, denied };
    },
    recordCall(outcome, ran) {
      ledger.current?.calls.push(outcome);
      if (!ran) return [];
      const violations: ContractViolation[] = [];
      const track = (section: ContractSection, rule: GovernanceRule | Invariant) => {
        const tracker = rule.track;
        if (tracker === undefined) return;
        const key = ruleKey(section, rule.name);
        const updated = attempt(() => tracker.update(ledger.tracked[key] as never, outcome));
        if (!('error' in updated)) {
          ledger.tracked[key] = updated.value;
          return;
        }
        // The state cannot follow this call: the rule is broken at this step, its state kept.
        const current = ledger.current;
        if (current !== null && !current.violated.includes(key)) current.violated.push(key);
        violations.push(
          violation(section, rule, 'none', outcome.turn, {
            tool: outcome.name,
            action: `${outcome.name} ${outcome.command ?? outcome.arguments}`.slice(
              0,
              previewLength,
            ),
            error: updated.error,
          }),
        );
      };
      for (const rule of definition.governance) {
        const key = ruleKey('governance', rule.name);
        if (governs(rule, outcome)) ledger.callCounts[key] = (ledger.callCounts[key] ?? 0) + 1;
        track('governance', rule);
      }
      for (const rule of definition.invariants) track('invariant', rule);
      return violations;
    },
    endStep,
    get stepOpen() {
      return ledger.current !== null;
    },
    ledger: () => structuredClone(ledger),
  };
}

/** Runs a rule's function; a throw becomes its message (a rule that cannot say counts as broken). */
function attempt<T>(
  run: () => T,
): { readonly value: T } | { readonly value?: undefined; readonly error: string } {
  try {
    return { value: run() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** `{ error }` evidence for a rule that threw. */
function errorEvidence(checked: object): Evidence {
  return 'error' in checked && typeof checked.error === 'string'
    ? { error: checked.error.slice(0, previewLength) }
    : {};
}

function initialTracked(definition: ContractDefinition): Record<string, unknown> {
  const tracked: Record<string, unknown> = {};
  for (const rule of definition.invariants)
    if (rule.track !== undefined)
      tracked[ruleKey('invariant', rule.name)] = structuredClone(rule.track.initial);
  for (const rule of definition.governance)
    if (rule.track !== undefined)
      tracked[ruleKey('governance', rule.name)] = structuredClone(rule.track.initial);
  return tracked;
}

function preview(calls: readonly ContractCallOutcome[]): string {
  return calls
    .map((call) => `${call.name} ${call.command ?? call.arguments}`)
    .join('\n')
    .slice(0, previewLength);
}

/** Adds one step's drift D(t) to the running sums of the drift-rate regression. */
function addDriftPoint(sums: DriftSums, value: number): void {
  sums.steps += 1;
  sums.sum += value;
  if (value > sums.max) sums.max = value;
  if (sums.previous !== null) {
    const change = value - sums.previous;
    sums.pairs += 1;
    sums.sumX += sums.previous;
    sums.sumY += change;
    sums.sumXX += sums.previous * sums.previous;
    sums.sumXY += sums.previous * change;
  }
  sums.previous = value;
}
