/**
 * Budgets, monitors and interventions for Reins agent loops. Everything here is a pure decision
 * over a read-only view of the run (no I/O), so one configuration drives the Reins loop and,
 * through middleware, a LangChain agent.
 *
 * `createController({ budget, monitors, interventions, interruptions, hints })` composes:
 * - budgets: `createTurnBudget` (unlimited, fixed with reminders, dynamic with extensions and a
 *   `request_extension` tool), `fromHistory` (a fixed budget at a percentile of past runs),
 *   `createTokenBudget`, `createCostBudget` (a hard cap reserving each call's worst case) and
 *   `createDeadlineBudget`;
 * - monitors over bounded windows: `createStuckMonitor`, `createDriftMonitor` (Agent Stability
 *   Index), `createOverthinkingMonitor`, `createFailurePredictor`;
 * - `createInterventionPolicy`: findings to warn → compact → stop, with `createCompaction`;
 * - behavioural contracts (Agent Behavioral Contracts): `createContract({ preconditions,
 *   invariants, governance, satisfaction })`, checked before and after each step, hard rules
 *   enforced and soft ones recovered within k steps through the same directives (deny, correct,
 *   compact, stop); `checkContract` on recorded runs; `toContractCompliance` and
 *   `summarizeContractCompliance` for compliance, recovery, drift and (p, δ, k)-satisfaction;
 *   ready rules for coding agents (`neverEditTestFiles`, `runTestsBeforeSubmitting`,
 *   `limitIdenticalFailingCommands`);
 * - scheduling hints: `createKvCacheHintsPolicy` (program id, last step, expected pause, KV-cache
 *   TTL and pin by `createCostBenefitTtlRule` or `createContinuumTtlRule`, program-arrival
 *   priority, Anthropic 5m/1h choice) over `createToolDurationPredictor`;
 * - planning under a cost cap and a deadline: `createBudgetDeadlinePlanner` chooses among
 *   actions (model settings, tool sets) by Monte Carlo estimates over past runs
 *   (`estimatePlanActions`, `choosePlanAction`) and plans again as money and time are spent.
 *
 * Events per decision: `budget.reminder`, `budget.warning`, `budget.extended`, `budget.refused`,
 * `budget.exhausted`, `stuck.detected`, `drift.detected`, `overthinking.detected`,
 * `failure.predicted`, `intervention.applied`, `compaction.applied`, `contract.violated`,
 * `contract.recovered`, `contract.unrecovered`, `plan.chosen`; each carries `policy` and
 * `evidence`.
 *
 * @module @reins/controller
 */

export { type ActionClass, classifyAction } from './action-class.js';
export {
  type AnthropicCachePrices,
  type AnthropicCacheTtlChoice,
  type AnthropicCacheTtlInput,
  chooseAnthropicCacheTtl,
} from './anthropic-cache-ttl.js';
export {
  type BudgetDeadlinePlannerOptions,
  createBudgetDeadlinePlanner,
  defaultBudgetDeadlinePlannerOptions,
} from './budget-deadline-planner.js';
export {
  type ContractCheck,
  checkContract,
} from './check-contract.js';
export {
  callWrites,
  type IdenticalFailuresState,
  type LimitIdenticalFailingCommandsOptions,
  limitIdenticalFailingCommands,
  type NeverEditTestFilesOptions,
  neverEditTestFiles,
  type OpenFileState,
  type RunTestsBeforeSubmittingOptions,
  runTestsBeforeSubmitting,
  type TestsBeforeSubmittingState,
} from './coding-contract-rules.js';
export {
  type Compaction,
  type CompactionOptions,
  createCompaction,
  type SummariseInput,
  type Summariser,
  summariseExtractively,
} from './compaction.js';
export {
  type ContinuumTtlRuleOptions,
  createContinuumTtlRule,
  defaultContinuumTtlRuleOptions,
} from './continuum-ttl-rule.js';
export { contractOutputLength, toContractCall, toContractCallOutcome } from './contract-call.js';
export {
  type ContractChecker,
  type ContractRecoveryNote,
  type ContractSection,
  type ContractStepResult,
  type ContractViolation,
  openContractChecker,
} from './contract-checker.js';
export {
  type ContractCompliance,
  type ContractComplianceSummary,
  summarizeContractCompliance,
  toContractCompliance,
} from './contract-compliance.js';
export {
  type ContractCall,
  type ContractCallOutcome,
  type ContractDefinition,
  type ContractOptions,
  type ContractSatisfaction,
  type ContractStart,
  type ContractStep,
  contractOptionsSchema,
  contractSatisfactionSchema,
  defaultContractSatisfaction,
  type GovernanceRule,
  type Invariant,
  type Precondition,
  type RecoveryAction,
  type RuleKind,
  type RuleTracker,
  recoveryActionSchema,
  ruleKindSchema,
} from './contract-definition.js';
export {
  type DriftRates,
  type DriftSums,
  emptyDriftSums,
  estimateDriftRates,
  poolDriftSums,
} from './contract-drift.js';
export type { ContractLedger } from './contract-ledger.js';
export {
  type CostBenefitTtlRuleOptions,
  createCostBenefitTtlRule,
  defaultCostBenefitTtlRuleOptions,
} from './cost-benefit-ttl-rule.js';
export {
  type CostBudgetOptions,
  createCostBudget,
  defaultCostBudgetOptions,
} from './cost-budget.js';
export { type CostLedger, createCostLedger, microsPerUsd } from './cost-ledger.js';
export {
  type Contract,
  type CreateContractSettings,
  createContract,
  parseContractOptions,
  toContractFinding,
} from './create-contract.js';
export { type ControllerOptions, createController } from './create-controller.js';
export { type CurrentIntent, type IntentUpdate, toCurrentIntent } from './current-intent.js';
export {
  createDeadlineBudget,
  type DeadlineBudgetOptions,
  defaultDeadlineBudgetOptions,
} from './deadline-budget.js';
export {
  createDriftMonitor,
  type DriftMonitorOptions,
  defaultDriftMonitorOptions,
} from './drift-monitor.js';
export { driftWindowFor, minDriftWindow } from './drift-window.js';
export {
  type DurationDistribution,
  fromSortedSamples,
  toMixture,
} from './duration-distribution.js';
export { ControllerStateError } from './errors/controller-state-error.js';
export { MissingPriceError } from './errors/missing-price-error.js';
export {
  choosePlanAction,
  defaultPlanEstimateOptions,
  estimatePlanActions,
  type PlanActionEstimate,
  type PlanEstimateOptions,
  type PlanPool,
  type PlanState,
  selectPlanPool,
} from './estimate-plan-actions.js';
export {
  chooseFailureThreshold,
  createFailurePredictor,
  defaultFailurePredictorOptions,
  type FailurePredictorOptions,
  type FailureScorer,
  type FailureThresholdChoice,
  type ScoredRun,
} from './failure-predictor.js';
export type { FinalAnswer } from './final-answer.js';
export {
  type FromHistoryOptions,
  fromHistory,
  type HistoryRun,
  type HistoryTurnBudget,
} from './from-history.js';
export { type HandoffClassifier, isHandoffTool } from './handoff-tool.js';
export { createDefaultHintsPolicy, type HintsPolicy } from './hints-policy.js';
export { type HintsSession, openHintsSession, type SessionHintsPolicy } from './hints-session.js';
export { toIntentText } from './intent-text.js';
export {
  createDefaultInterruptionPolicy,
  createInterruptionPolicy,
  defaultInterruptionTemplates,
  type InterruptionGrantOptions,
  type InterruptionPolicy,
  type InterruptionPolicyOptions,
  type InterruptionTemplates,
} from './interruption-policy.js';
export {
  createInterventionPolicy,
  defaultEscalation,
  type InterventionPolicy,
  type InterventionPolicyOptions,
  type InterventionSession,
  type InterventionStep,
  toWarning,
} from './intervention-policy.js';
export {
  chooseKeepWarmRefresh,
  defaultKeepWarmRefreshOptions,
  type KeepWarmRefreshChoice,
  type KeepWarmRefreshInput,
} from './keep-warm-refresh.js';
export {
  createKvCacheHintsPolicy,
  defaultKvCacheHintsOptions,
  type KvCacheHintsOptions,
} from './kv-cache-hints.js';
export {
  createKvPinAdvisor,
  type KvPinAdvisor,
  type KvPinAdvisorOptions,
  type PinAdvice,
  type ProgramPinAdvisor,
} from './kv-pin-advisor.js';
export {
  type MeasureStabilityOptions,
  measureStability,
  type StabilityMeasurement,
} from './measure-stability.js';
export { createMessageBytesCounter, messageBytes } from './message-bytes.js';
export {
  ceilMicros,
  costMicrosOf,
  costOf,
  type ModelPrice,
  type ModelPriceTable,
  type PricedUsage,
} from './model-price.js';
export type { Finding, Monitor, MonitorOpenContext, MonitorSession } from './monitor.js';
export {
  createOverthinkingMonitor,
  defaultOverthinkingMonitorOptions,
  type OverthinkingMonitorOptions,
} from './overthinking-monitor.js';
export { percentile, percentileOfSorted } from './percentile.js';
export type { PlanAction, PlanOutcome } from './plan-action.js';
export {
  createPressureAwareTtlRule,
  defaultPressureAwareTtlRuleOptions,
  type PressureAwareTtlRuleOptions,
  toBreakEvenHoldMs,
  toPressure,
} from './pressure-aware-ttl-rule.js';
export {
  editDistance,
  reasoningChainDistance,
  reasoningChainWords,
  toReasoningChain,
} from './reasoning-chain.js';
export { toReuseProbability } from './reuse-probability.js';
export {
  createTurnFeatureExtractor,
  diceSimilarity,
  type FeatureTurn,
  readFeatureTurns,
  type TurnFeatureExtractor,
  type TurnFeatureName,
  turnFeatureNames,
} from './run-features.js';
export { createRandom } from './seeded-random.js';
export {
  type EditorCommand,
  isSubmitCommand,
  isTestCommand,
  isTestPath,
  readEditorCommand,
  type WrittenPathsOptions,
  withoutHereDocuments,
  writtenPaths,
} from './shell-command-facts.js';
export {
  type AgentStabilityIndex,
  asiGroupWeights,
  type StabilityDimension,
  type StabilityDimensionInfo,
  type StabilityGroup,
  stabilityDimensions,
  stabilityIndexOf,
  type UnmeasuredStabilityDimension,
  unmeasuredStabilityDimensions,
} from './stability-index.js';
export {
  createStuckMonitor,
  defaultStuckMonitorOptions,
  type StuckMonitorOptions,
} from './stuck-monitor.js';
export {
  digestSimilarity,
  digestText,
  fromDigestJson,
  sameText,
  signatureWords,
  type TextDigest,
  type TextDigestJson,
  toDigestJson,
} from './text-digest.js';
export {
  createTokenBudget,
  defaultTokenBudgetOptions,
  type TokenBudgetOptions,
} from './token-budget.js';
export {
  createToolDurationPredictor,
  defaultToolDurationPredictorOptions,
  type ToolDurationPredictor,
  type ToolDurationPredictorOptions,
  type ToolDurationSample,
} from './tool-duration-predictor.js';
export {
  defaultShellToolNames,
  firstCommandWord,
  type ToolKeyOptions,
  toToolKey,
} from './tool-key.js';
export type { ServerLoad, TtlDecision, TtlRule, TtlRuleInput } from './ttl-rule.js';
export {
  createTurnBudget,
  defaultTurnBudgetOptions,
  type ExtensionRequest,
  type ExtensionToolOptions,
  type ProgressEvidence,
  type TurnBudgetOptions,
  type TurnReminderOptions,
} from './turn-budget.js';
export {
  extractTurnFeatures,
  stepFeatureNames,
  type TurnFeatures,
  toFeatureVector,
} from './turn-features.js';
export {
  actionPreviewLength,
  fromToolOutcome,
  type ObservedTurn,
  type TurnAction,
  type TurnObservation,
  type TurnRecord,
  toActionText,
  toObservedTurn,
} from './turn-record.js';
