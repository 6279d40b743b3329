import type { Controller, ControllerSession, Directive, RunView, ToolDirective } from '@reins/core';
import { InvalidOptionsError, toolResultText } from '@reins/core';
import { type Compaction, createCompaction } from './compaction.js';
import { toContractCall, toContractCallOutcome } from './contract-call.js';
import {
  type ContractChecker,
  type ContractRecoveryNote,
  type ContractViolation,
  openContractChecker,
} from './contract-checker.js';
import {
  type ContractDefinition,
  type ContractOptions,
  contractOptionsSchema,
} from './contract-definition.js';
import type { ContractLedger } from './contract-ledger.js';
import { readState } from './errors/controller-state-error.js';
import type { Finding } from './monitor.js';

/** A behavioural contract: a controller, with its validated definition for offline checks. */
export interface Contract extends Controller {
  readonly definition: ContractDefinition;
}

/** Options of {@link createContract} beyond the definition. */
export interface CreateContractSettings {
  /**
   * How a `compact` recovery compacts.
   * @defaultValue `createCompaction()`
   */
  readonly compaction?: Compaction;
}

interface ContractSessionState {
  readonly version: 1;
  readonly ledger: ContractLedger;
  /** Recoveries decided since the last model call, applied before the next one. */
  readonly queued: readonly Directive[];
  readonly denied: readonly string[];
}

/**
 * A contract violation as a monitor finding: category `contract`, the rule as its pattern,
 * reported as `contract.violated` with the violation's evidence.
 * @example
 * ```ts
 * const finding = toContractFinding(violation); // { category: 'contract', pattern: 'no-test-edits', … }
 * ```
 */
export function toContractFinding(violation: ContractViolation): Finding {
  return {
    monitor: violation.contract,
    category: 'contract',
    pattern: violation.rule,
    event: 'contract.violated',
    message: violation.message,
    turn: violation.turn,
    ...(typeof violation.evidence.action === 'string' ? { action: violation.evidence.action } : {}),
    evidence: violation.evidence,
  };
}

/**
 * Validates contract options (zod): every default filled in, rule names unique per section.
 * @throws {InvalidOptionsError} naming the offending field and the fix.
 * @example
 * ```ts
 * const definition = parseContractOptions({ name: 'coding', invariants: [] });
 * ```
 */
export function parseContractOptions(options: ContractOptions): ContractDefinition {
  const parsed = contractOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined ? 'contract' : issue.path.map(String).join('.') || 'contract';
    throw new InvalidOptionsError(
      field,
      `createContract: ${field} is invalid: ${issue?.message ?? 'unknown problem'}. A contract is { name, preconditions: [{ name, description, holds }], invariants: [{ name, kind: 'hard' | 'soft', description, holds }], governance: [{ name, kind, description, tools?, allows?, maxCalls? }], satisfaction: { p, delta, k } }.`,
    );
  }
  const definition = parsed.data as unknown as ContractDefinition;
  for (const section of ['preconditions', 'invariants', 'governance'] as const) {
    const seen = new Set<string>();
    for (const rule of definition[section]) {
      if (seen.has(rule.name))
        throw new InvalidOptionsError(
          `${section}`,
          `createContract: two ${section} are named '${rule.name}'; their counts and saved state would collide. Give each rule a distinct name.`,
        );
      seen.add(rule.name);
    }
  }
  return definition;
}

/**
 * Creates a behavioural contract (Agent Behavioral Contracts): preconditions checked when the
 * run opens, governance rules checked before each tool call, invariants checked after each step
 * (a model call and its tool calls), each hard (zero tolerance) or soft (recovered within `k`
 * steps). A violation is reported as `contract.violated` with its evidence and triggers its
 * recovery through the loop's directives: a hard governance rule denies the call, a soft rule
 * injects a correction, a hard invariant stops the run; `compact` and `stop` can be chosen per
 * rule. A soft violation still open `k` steps after it began is reported as
 * `contract.unrecovered` and triggers `onUnrecovered`; one that ends in time as
 * `contract.recovered`. The session's snapshot is the run's ledger, from which
 * `toContractCompliance` computes hard and soft compliance, recovery, drift and
 * (δ, k)-satisfaction.
 *
 * Use it as the `controller` of `createAgent`, in `createController({ budget: [...] })`, or in the
 * LangChain middleware; check recorded runs with `checkContract`.
 *
 * @param options - the contract C = (P, I, G, R) and its (p, δ, k).
 * @param settings - how `compact` compacts.
 * @returns a {@link Contract}.
 * @throws {InvalidOptionsError} when the options are invalid.
 * @example
 * ```ts
 * const contract = createContract({
 *   name: 'coding',
 *   governance: [neverEditTestFiles()],
 *   invariants: [runTestsBeforeSubmitting()],
 *   satisfaction: { p: 0.9, delta: 0.1, k: 3 },
 * });
 * const agent = createAgent({ backend, tools, controller: contract });
 * ```
 */
export function createContract(
  options: ContractOptions,
  settings: CreateContractSettings = {},
): Contract {
  const definition = parseContractOptions(options);
  const compaction = settings.compaction ?? createCompaction();
  const { name } = definition;
  return {
    name,
    definition,
    open(context): ControllerSession {
      const saved = readState<ContractSessionState>(name, context.state, 1);
      const checker: ContractChecker = openContractChecker(definition, saved?.ledger);
      let queued: Directive[] = [...(saved?.queued ?? [])];
      const denied = new Set(saved?.denied ?? []);

      const emitted = (violation: ContractViolation): Directive => ({
        type: 'emit',
        event: {
          name: 'contract.violated',
          policy: name,
          message: violation.message,
          evidence: violation.evidence,
        },
      });
      const correction = (rule: string, text: string): Directive => ({
        type: 'inject',
        role: 'user',
        content: `Contract rule '${rule}' was broken: ${text}`,
        ephemeral: true,
        source: name,
      });
      const stop = (message: string, evidence: ContractViolation['evidence']): Directive => ({
        type: 'stop',
        reason: 'contract',
        message,
        source: name,
        evidence,
      });
      const recover = (
        action: string,
        rule: string,
        text: string,
        message: string,
        evidence: ContractViolation['evidence'],
        view: RunView,
      ): Directive[] => {
        if (action === 'correct') return [correction(rule, text)];
        if (action === 'stop') return [stop(message, evidence)];
        if (action === 'compact') {
          const compact = compaction.compact(view, name);
          return compact === undefined ? [] : [compact];
        }
        return [];
      };
      const handle = (violations: readonly ContractViolation[], view: RunView): Directive[] =>
        violations.flatMap((violation) => [
          emitted(violation),
          ...recover(
            violation.recovery,
            violation.rule,
            violation.correction,
            violation.message,
            violation.evidence,
            view,
          ),
        ]);
      const noted = (notes: readonly ContractRecoveryNote[], view: RunView): Directive[] =>
        notes.flatMap((note) => {
          const evidence = {
            contract: name,
            rule: note.rule,
            since: note.since,
            turn: note.turn,
            steps: note.turn - note.since,
            k: definition.satisfaction.k,
          };
          if (note.outcome === 'recovered')
            return [
              {
                type: 'emit',
                event: {
                  name: 'contract.recovered',
                  policy: name,
                  message: `Contract '${name}': '${note.rule}' recovered at step ${note.turn}, ${note.turn - note.since} step(s) after it was broken.`,
                  evidence,
                },
              } satisfies Directive,
            ];
          const message = `Contract '${name}': '${note.rule}' still broken ${note.turn - note.since} steps after step ${note.since} (recovery window k = ${definition.satisfaction.k}).`;
          return [
            {
              type: 'emit',
              event: { name: 'contract.unrecovered', policy: name, message, evidence },
            } satisfies Directive,
            ...recover(
              definition.onUnrecovered,
              note.rule,
              `it has been broken since step ${note.since}; restore it now.`,
              message,
              evidence,
              view,
            ),
          ];
        });
      const endStep = (view: RunView): Directive[] => {
        const result = checker.endStep();
        return [...handle(result.violations, view), ...noted(result.recoveries, view)];
      };

      return {
        beforeModel(view) {
          const directives: Directive[] = handle(
            checker.start({ runId: context.runId, task: context.task }),
            view,
          );
          if (checker.stepOpen) directives.push(...endStep(view));
          directives.push(...queued);
          queued = [];
          return directives.length > 0 ? directives : undefined;
        },
        afterModel(view, step) {
          checker.beginStep(view.turn, step.message.content);
          if (step.message.toolCalls.length > 0) return undefined;
          const directives = endStep(view);
          return directives.length > 0 ? directives : undefined;
        },
        beforeTool(view, call) {
          const { violations, denied: deny } = checker.checkCall(toContractCall(view.turn, call));
          if (violations.length === 0) return undefined;
          const directives: ToolDirective[] = [];
          const first = violations.find((violation) => violation.recovery === 'deny');
          if (deny && first !== undefined) {
            denied.add(call.id);
            directives.push({
              type: 'deny',
              reason: `contract rule '${first.rule}': ${first.correction}`,
              source: name,
            });
          }
          for (const violation of violations) {
            directives.push(emitted(violation));
            if (violation.recovery === 'stop') {
              if (!deny) {
                denied.add(call.id);
                directives.push({
                  type: 'deny',
                  reason: `contract rule '${violation.rule}': ${violation.correction}`,
                  source: name,
                });
              }
              directives.push(stop(violation.message, violation.evidence));
            } else if (violation.recovery !== 'deny') {
              queued.push(
                ...recover(
                  violation.recovery,
                  violation.rule,
                  violation.correction,
                  violation.message,
                  violation.evidence,
                  view,
                ),
              );
            }
          }
          return directives;
        },
        afterTool(view, outcome) {
          const ran = !denied.delete(outcome.call.id);
          const broken = checker.recordCall(
            toContractCallOutcome(toContractCall(view.turn, outcome.call), {
              failed: outcome.result.status !== 'ok',
              output: toolResultText(outcome.result),
            }),
            ran,
          );
          return broken.length > 0 ? handle(broken, view) : undefined;
        },
        snapshot: (): ContractSessionState => ({
          version: 1,
          ledger: checker.ledger(),
          queued: [...queued],
          denied: [...denied],
        }),
      };
    },
  };
}
