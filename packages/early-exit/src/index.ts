/**
 * Early exit of reasoning models, packaged as tools. Streaming monitors read a reasoning
 * stream token by token (text, log-probabilities, top alternatives) in constant memory:
 * cue detection and step segmentation; a confidence exit (a logistic probe over
 * log-probability features at cues, calibrated by split conformal prediction with a chosen δ);
 * a convergence exit (PUMA: similar consecutive steps, agreeing trial answers) with a built-in
 * lexical embedding or any LangChain `Embeddings`; a path-deviation exit (entropy of transition
 * tokens). `runReasoning` applies them to a live `ModelBackend` stream: an exit aborts the
 * request and forces a capped answer from the prefix. `runFirstFinishSearch` runs n samples
 * and cancels the losers. `createReasoningTool` packages either as a Reins tool (and, through
 * `@reins/langchain`'s `toLangChainTool`, a LangChain tool).
 *
 * Events per reasoning call: `reasoning.start` → `exit.candidate`* → `exit.triggered`? →
 * `answer.forced`? → `reasoning.end`. Per search: `search.start` → `search.finished`+ →
 * `search.cancelled`? → `reasoning.end`.
 *
 * @module @reins/early-exit
 */

export {
  type ConfidenceFeatureOptions,
  type ConfidenceFeatureTracker,
  confidenceFeatureNames,
  createConfidenceFeatureTracker,
} from './confidence-features.js';
export {
  type ConfidenceMonitor,
  type ConfidenceMonitorOptions,
  createConfidenceExit,
  createConfidenceMonitor,
} from './confidence-monitor.js';
export {
  type CalibrateConformalOptions,
  type ConformalCalibration,
  type ConformalPredictionSet,
  calibrateConformal,
  conformalPredictionSet,
  conformalQuantile,
  isConformalExit,
} from './conformal-calibration.js';
export {
  type ConvergenceExitOptions,
  createConvergenceExit,
  defaultConvergenceExitOptions,
} from './convergence-exit.js';
export {
  createReasoningTool,
  type FirstFinishStrategy,
  type ReasoningToolOptions,
  type ReasoningToolResult,
  reasoningToolInputSchema,
} from './create-reasoning-tool.js';
export {
  type CueDetector,
  type CueDetectorOptions,
  createCueDetector,
  defaultReasoningCues,
} from './cue-detector.js';
export type {
  EarlyExitEvent,
  EarlyExitEventBase,
  EarlyExitEventType,
} from './early-exit-event.js';
export { CalibrationError } from './errors/calibration-error.js';
export type {
  ExitDecision,
  ExitRule,
  ExitRuleContext,
  ExitWatcher,
  TrialAnswer,
} from './exit-rule.js';
export { extractAnswer, normaliseAnswer } from './extract-answer.js';
export {
  defaultFirstFinishSearchOptions,
  type FirstFinishResult,
  type FirstFinishSearchOptions,
  runFirstFinishSearch,
  type SearchSample,
} from './first-finish-search.js';
export {
  defaultForcedAnswerPrompt,
  type ForceAnswerOptions,
  type ForcedAnswer,
  forceAnswer,
} from './force-answer.js';
export { createLexicalEmbedding, type LexicalEmbeddingOptions } from './lexical-embedding.js';
export {
  createLogisticProbe,
  defaultTrainLogisticProbeOptions,
  type LogisticProbe,
  type LogisticProbeFields,
  type ProbeSample,
  sigmoid,
  type TrainLogisticProbeOptions,
  trainLogisticProbe,
} from './logistic-probe.js';
export {
  createPathDeviationExit,
  createPathDeviationMonitor,
  defaultPathDeviationOptions,
  defaultTransitionWords,
  type PathDeviationMonitor,
  type PathDeviationOptions,
} from './path-deviation-monitor.js';
export {
  createReasoningStreamReader,
  type ReasoningStreamReader,
  type ReasoningStreamReaderOptions,
} from './reasoning-stream-reader.js';
export {
  defaultRunReasoningOptions,
  type ExitReason,
  type ReasoningResult,
  type RunReasoningOptions,
  runReasoning,
} from './run-reasoning.js';
export {
  createStepSegmenter,
  defaultStepSegmenterOptions,
  type StepSegmenter,
  type StepSegmenterOptions,
} from './step-segmenter.js';
export {
  cosineSimilarity,
  fromLangChainEmbeddings,
  type LangChainEmbeddingsLike,
  type TextEmbedding,
} from './text-embedding.js';
export { tokenEntropy } from './token-entropy.js';
