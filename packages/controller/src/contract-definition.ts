import { z } from 'zod';

/**
 * How strictly a rule binds (Agent Behavioral Contracts): a `hard` rule must hold at every step
 * (zero tolerance); a `soft` rule may be violated for a while, provided the agent recovers
 * within the contract's recovery window `k`.
 */
export const ruleKindSchema = z.enum(['hard', 'soft']);
/** `'hard'` or `'soft'`; see {@link ruleKindSchema}. */
export type RuleKind = z.infer<typeof ruleKindSchema>;

/**
 * What the controller does when a rule is violated, with the loop's existing directives:
 * - `deny`: the tool call is not run; its result is an error naming the rule (governance only);
 * - `correct`: a correction is injected before the next model call;
 * - `compact`: older turns are replaced with a summary (`createCompaction`);
 * - `stop`: the run stops, with the violation as its reason;
 * - `none`: the violation is only reported.
 */
export const recoveryActionSchema = z.enum(['deny', 'correct', 'compact', 'stop', 'none']);
/** A recovery action; see {@link recoveryActionSchema}. */
export type RecoveryAction = z.infer<typeof recoveryActionSchema>;

/** What preconditions see: the run as it opens. */
export interface ContractStart {
  readonly runId: string;
  readonly task: string;
}

/** One tool call, as governance rules see it before it runs. */
export interface ContractCall {
  /** The model call (step) it belongs to, 1-based. */
  readonly turn: number;
  readonly name: string;
  /** The raw arguments text the model produced. */
  readonly arguments: string;
  /** The arguments parsed as JSON, or `undefined` when they are not JSON. */
  readonly input: unknown;
  /** The shell command, when the arguments carry one as `command` or `cmd`. */
  readonly command: string | undefined;
}

/** One tool call with its result, as trackers and invariants see it after it ran. */
export interface ContractCallOutcome extends ContractCall {
  /** The call ended in an error (a non-zero exit code, a denial, a timeout). */
  readonly failed: boolean;
  /** The text the model read. */
  readonly output: string;
}

/** One completed step (a model call and its tool calls), as invariants see it. */
export interface ContractStep {
  readonly turn: number;
  /** The model's answer text. */
  readonly text: string;
  readonly calls: readonly ContractCallOutcome[];
  /** The step made no tool call: it is the run's final answer. */
  readonly final: boolean;
}

/**
 * State a rule keeps across steps, as JSON (saved with each checkpoint): `initial` is the state
 * when the run opens, `update` folds in each finished tool call. It lets a rule see the run's
 * past (the last edit, the failures of a command) without reading the whole history.
 */
export interface RuleTracker<TState> {
  readonly initial: TState;
  update(state: TState, outcome: ContractCallOutcome): TState;
}

/** A precondition: it must hold when the run opens. */
export interface Precondition {
  readonly name: string;
  /** What the rule requires, in one sentence, for findings and corrections. */
  readonly description: string;
  holds(start: ContractStart): boolean;
  /** @defaultValue `'stop'` */
  readonly recovery?: 'correct' | 'stop' | 'none';
  /** The message injected by a `correct` recovery. @defaultValue the description */
  readonly correction?: string;
}

/**
 * A governance rule: which tools the agent may call, with which arguments, and how often. It is
 * checked before each tool call.
 */
export interface GovernanceRule<TState = unknown> {
  readonly name: string;
  readonly kind: RuleKind;
  readonly description: string;
  /** Tool names it governs. @defaultValue every tool */
  readonly tools?: readonly string[];
  /** Whether this call is allowed, given the rule's tracked state. @defaultValue always */
  allows?(call: ContractCall, state: TState): boolean;
  /** At most this many governed calls per run. */
  readonly maxCalls?: number;
  readonly track?: RuleTracker<TState>;
  /** @defaultValue `'deny'` for a hard rule, `'correct'` for a soft one */
  readonly recovery?: RecoveryAction;
  /** The message injected by a `correct` recovery (and the reason of a denial). @defaultValue the description */
  readonly correction?: string;
}

/** An invariant: a property of each completed step, checked after it. */
export interface Invariant<TState = unknown> {
  readonly name: string;
  readonly kind: RuleKind;
  readonly description: string;
  /** Whether the invariant holds after this step, given the rule's tracked state (updated with this step's calls). */
  holds(step: ContractStep, state: TState): boolean;
  readonly track?: RuleTracker<TState>;
  /** @defaultValue `'stop'` for a hard rule, `'correct'` for a soft one */
  readonly recovery?: Exclude<RecoveryAction, 'deny'>;
  /** The message injected by a `correct` recovery. @defaultValue the description */
  readonly correction?: string;
}

/**
 * The (p, δ, k) of (p, δ, k)-satisfaction: a run satisfies the contract when its preconditions
 * held, no hard rule was ever violated, its soft compliance is at least `1 − delta` and every
 * soft violation was recovered within `k` steps; an agent satisfies it when at least a fraction
 * `p` of its runs do.
 */
export const contractSatisfactionSchema = z.object({
  /** @defaultValue 0.95 */
  p: z.number().min(0).max(1).default(0.95),
  /** @defaultValue 0.1 */
  delta: z.number().min(0).max(1).default(0.1),
  /** @defaultValue 3 */
  k: z.number().int().min(1).default(3),
});
/** The (p, δ, k) of a contract; see {@link contractSatisfactionSchema}. */
export type ContractSatisfaction = z.infer<typeof contractSatisfactionSchema>;

/** Defaults of {@link ContractSatisfaction}: p = 0.95, δ = 0.1, k = 3 steps. */
export const defaultContractSatisfaction: ContractSatisfaction = Object.freeze({
  p: 0.95,
  delta: 0.1,
  k: 3,
});

const ruleNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_.:-]+$/, 'use letters, digits, _ . : - (it names events and saved state)');
const predicate = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `${what} must be a function` });
const trackerSchema = z
  .object({
    initial: z.unknown(),
    update: predicate<RuleTracker<unknown>['update']>('track.update'),
  })
  .optional();

const preconditionSchema = z.object({
  name: ruleNameSchema,
  description: z.string().min(1),
  holds: predicate<Precondition['holds']>('holds'),
  recovery: z.enum(['correct', 'stop', 'none']).optional(),
  correction: z.string().min(1).optional(),
});

const governanceRuleSchema = z
  .object({
    name: ruleNameSchema,
    kind: ruleKindSchema,
    description: z.string().min(1),
    tools: z.array(z.string().min(1)).optional(),
    allows: predicate<NonNullable<GovernanceRule['allows']>>('allows').optional(),
    maxCalls: z.number().int().min(0).optional(),
    track: trackerSchema,
    recovery: recoveryActionSchema.optional(),
    correction: z.string().min(1).optional(),
  })
  .refine((rule) => rule.allows !== undefined || rule.maxCalls !== undefined, {
    message: 'a governance rule needs allows(call, state) or maxCalls',
  });

const invariantSchema = z.object({
  name: ruleNameSchema,
  kind: ruleKindSchema,
  description: z.string().min(1),
  holds: predicate<Invariant['holds']>('holds'),
  track: trackerSchema,
  recovery: recoveryActionSchema.exclude(['deny']).optional(),
  correction: z.string().min(1).optional(),
});

/**
 * The zod schema of {@link ContractOptions}: `createContract` validates its options with it and
 * throws `InvalidOptionsError` naming the offending field.
 */
export const contractOptionsSchema = z.object({
  name: ruleNameSchema.default('contract'),
  preconditions: z.array(preconditionSchema).default([]),
  invariants: z.array(invariantSchema).default([]),
  governance: z.array(governanceRuleSchema).default([]),
  /**
   * What happens when a soft violation is still not recovered after `k` steps.
   */
  onUnrecovered: z.enum(['correct', 'compact', 'stop', 'none']).default('stop'),
  satisfaction: contractSatisfactionSchema.default(defaultContractSatisfaction),
});

/**
 * A behavioural contract C = (P, I, G, R): preconditions, invariants (hard and soft), governance
 * rules (hard and soft) and, on each rule, the recovery action its violation triggers.
 */
export interface ContractOptions {
  /** Names the contract's events and saved state. @defaultValue `'contract'` */
  readonly name?: string;
  readonly preconditions?: readonly Precondition[];
  // biome-ignore lint/suspicious/noExplicitAny: each rule carries its own state type.
  readonly invariants?: readonly Invariant<any>[];
  // biome-ignore lint/suspicious/noExplicitAny: each rule carries its own state type.
  readonly governance?: readonly GovernanceRule<any>[];
  /**
   * The recovery when a soft violation is still not recovered `satisfaction.k` steps after it began.
   * @defaultValue `'stop'`
   */
  readonly onUnrecovered?: 'correct' | 'compact' | 'stop' | 'none';
  /** @defaultValue {@link defaultContractSatisfaction} */
  readonly satisfaction?: Partial<ContractSatisfaction>;
}

/** A contract's options after validation, every default filled in. */
export interface ContractDefinition {
  readonly name: string;
  readonly preconditions: readonly Precondition[];
  readonly invariants: readonly Invariant[];
  readonly governance: readonly GovernanceRule[];
  readonly onUnrecovered: 'correct' | 'compact' | 'stop' | 'none';
  readonly satisfaction: ContractSatisfaction;
}
