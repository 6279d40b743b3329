/**
 * Recorded agent runs as evidence. One versioned {@link Trajectory} format; importers with
 * format detection (mini-swe-agent, SWE-agent 0.x and 1.x, tau-bench, OpenAI message logs,
 * Reins' own JSONL run records); a replay backend that plays a recorded run through the real
 * Reins loop; counterfactual evaluation of any `Controller` over many runs; calibration of turn
 * budgets and of a predicted-failure scorer, saved as a zod-validated policy file; and a
 * self-contained HTML report of an evaluation (`createHtmlReport`). A run's events, appended as
 * they happen to a JSONL event log (`recordEventLog`), give its timeline of turns and decisions
 * with their evidence (`toRunTimelines`) and a page of it (`createRunPage`).
 *
 * @module @reins/trajectories
 */

export {
  createTurnFeatureExtractor,
  diceSimilarity,
  type FeatureTurn,
  readFeatureTurns,
  type TurnFeatureExtractor,
  type TurnFeatureName,
  turnFeatureNames,
} from '@reins/controller';
export { binomialUpperBound } from './binomial-upper-bound.js';
export {
  type BootstrapOptions,
  bootstrapInterval,
  type ConfidenceInterval,
  createRandom,
  defaultBootstrapOptions,
  quantile,
} from './bootstrap.js';
export {
  type CalibrateTurnBudgetsOptions,
  calibrateTurnBudgets,
  describeTurnBudget,
  groupByModel,
  type TurnBudget,
} from './calibrate-budgets.js';
export {
  type CalibratePolicyOptions,
  type CalibrationResult,
  calibratePolicy,
  defaultCalibratePolicyOptions,
  describeRung,
  type RungEvidence,
} from './calibrate-policy.js';
export {
  type CompactionMeter,
  type CompactionSavings,
  meterCompaction,
} from './compaction-meter.js';
export {
  type ControllerFiring,
  type ControllerHook,
  type ControllerStop,
  type ControllerTrace,
  classifyDirective,
  type FiringKind,
} from './controller-trace.js';
export {
  createPolicyController,
  type PolicyControllerOptions,
} from './create-policy-controller.js';
export { TrajectoryFormatError } from './errors/trajectory-format-error.js';
export { UnknownTrajectoryFormatError } from './errors/unknown-trajectory-format-error.js';
export {
  type ContractEvaluation,
  type ContractViolationExample,
  type EvaluateContractsOptions,
  evaluateContracts,
  toTurnRecords,
} from './evaluate-contracts.js';
export {
  type EvaluateControllerOptions,
  type EvaluationReport,
  type EvaluationSummary,
  evaluateController,
  evaluateRun,
  type RunEvaluation,
  summarizeEvaluations,
} from './evaluate-controller.js';
export {
  evaluateFailurePredictor,
  type FailurePredictorEvaluation,
  type FeatureSignal,
  type PredictorScore,
  turnAuc,
} from './evaluate-failure-predictor.js';
export {
  chooseGreedyAction,
  type EvaluatePlanningOptions,
  evaluatePlanning,
  type PlanningEvaluation,
  type PlanningPolicyResult,
  type PlanningScenario,
  type PlanningScenarioResult,
  replayWithinLimits,
} from './evaluate-planning.js';
export {
  parseEventLog,
  type RecordEventLogOptions,
  readEventLog,
  recordEventLog,
} from './event-log.js';
export {
  type FromMiniSweAgentOptions,
  fromMiniSweAgent,
  readSweBenchVerdict,
} from './from-mini-swe-agent.js';
export { type FromOpenAIMessagesOptions, fromOpenAIMessages } from './from-openai-messages.js';
export { type FromSweAgentOptions, fromSweAgent, verdictFromLog } from './from-swe-agent.js';
export { type FromTauBenchOptions, fromTauBench } from './from-tau-bench.js';
export {
  type EstimateInterval,
  estimateHeldOut,
  type HeldOutEstimate,
  type HeldOutRepeat,
  stopFractions,
} from './held-out-estimate.js';
export {
  detectTrajectoryFormat,
  type ImportProblem,
  type ImportResult,
  type ImportTrajectoryDirectoryOptions,
  type ImportTrajectoryFileOptions,
  importTrajectoryDirectory,
  importTrajectoryFile,
} from './import-trajectories.js';
export { jsonPathAt } from './json-reader.js';
export {
  type LogisticModel,
  predictProbability,
  type TrainLogisticRegressionOptions,
  trainLogisticRegression,
} from './logistic-regression.js';
export {
  handoffClassifierFor,
  type MeasureRunStabilityOptions,
  measureRunStability,
  type StabilityDistribution,
  type StabilityReport,
  toReplayedTurnRecords,
} from './measure-run-stability.js';
export { normalizeModelId } from './normalize-model-id.js';
export {
  failureScorerSchema,
  heldOutEstimateSchema,
  type Policy,
  parsePolicy,
  policyEvidenceSchema,
  policySchema,
  readPolicy,
  turnBudgetSchema,
  writePolicy,
} from './policy.js';
export { type PlanningTask, readPlanningTasks } from './read-planning-tasks.js';
export {
  createReplayBackend,
  type ReplayBackend,
  type ReplayBackendSettings,
} from './replay-backend.js';
export {
  type ReplayResult,
  type ReplayTrajectoryOptions,
  replayTrajectory,
} from './replay-trajectory.js';
export { type ReplayTurn, replayFeedbackToolName, toReplayTurns } from './replay-turns.js';
export {
  createHtmlReport,
  defaultHtmlReportOptions,
  type HtmlReportInput,
} from './report/create-html-report.js';
export { createRunPage, type RunPageInput } from './report/create-run-page.js';
export {
  type RunTimeline,
  type TimelineEntry,
  type TimelineToolCall,
  type TimelineTurn,
  toRunTimelines,
} from './report/run-timeline.js';
export {
  createThresholdCurves,
  type ThresholdCurves,
  type TurnCapPoint,
} from './report/threshold-curves.js';
export {
  appendRunRecord,
  parseRunRecords,
  type RecordRunOptions,
  readRunRecords,
  recordRun,
  type ToTrajectoryOptions,
  toTrajectory,
} from './run-record.js';
export { type SimulateControllerOptions, simulateController } from './simulate-controller.js';
export {
  applyStopPolicy,
  canTrainScorer,
  capFor,
  fitFailureModel,
  outOfFoldScores,
  type PolicyRung,
  type PreparedRun,
  policyRungs,
  prepareRuns,
  type RunStopOutcome,
  type StopPolicy,
  type StopPolicySettings,
  selectStopPolicy,
} from './stop-policy.js';
export {
  defaultPlanningScenarios,
  type IntervalTriple,
  type PlanningScenarioSummary,
  type PlanningSummary,
  summarizePlanning,
  toPlanningLines,
} from './summarize-planning.js';
export {
  applyStopRule,
  assignFolds,
  chooseThreshold,
  defaultTrainFailureScorerOptions,
  type FailureScorer,
  type FailureScorerTraining,
  type ScoredRunInput,
  type StopRule,
  type StopRuleOutcome,
  type StopRuleTally,
  type ThresholdPoint,
  type TrainFailureScorerOptions,
  toScoredRunInput,
  toStopRuleOutcome,
  trainFailureScorer,
} from './train-failure-scorer.js';
export {
  type ActionResult,
  actionResultSchema,
  type Trajectory,
  type TrajectoryAction,
  type TrajectoryOutcome,
  type TrajectorySourceFormat,
  type TrajectoryTurn,
  trajectoryActionSchema,
  trajectoryCost,
  trajectoryOutcomeSchema,
  trajectorySchema,
  trajectorySourceFormatSchema,
  trajectoryTurnSchema,
  trajectoryVersion,
} from './trajectory.js';
