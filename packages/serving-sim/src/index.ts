/**
 * A discrete-event simulator of one model server's KV cache and batch, to measure cache
 * time-to-live and scheduling policies on agent workloads built from recorded runs.
 *
 * - Workloads: `fromTrajectory` turns a recorded run into a program template (prompt and output
 *   tokens per call, tool keys, tool pauses); `createWorkload` draws programs from templates with
 *   Poisson arrivals.
 * - Server: `ServerParameters` (capacity in blocks, batch limits, step costs), derived by
 *   `toServerParameters` from a stated model, GPU and engine configuration
 *   (`llama8bOnOneH100`, the default); `llama70bOnFourH100` with where each number comes from.
 * - Policies: `createLruPolicy` (vLLM: request FCFS, LRU eviction, no pins),
 *   `createContinuumPolicy` (program FCFS, fixed 2 s pins after short tools),
 *   `createContinuumPaperPolicy` (the paper's cost-benefit TTL), `createConstantPinPolicy`,
 *   `createReinsHintsPolicy` (pins and TTLs from
 *   `@reins/controller`'s `createKvPinAdvisor`, under the server's load);
 *   `withHeavyTailedPauses` makes a synthetic heavy-tailed tool-duration mix.
 * - Oracle: `createOracleCandidates` (`createClairvoyantPinPolicy`,
 *   `createClairvoyantRulePolicy`: told each pause's true length) and `toOracleResult`, the best
 *   of them, LRU and the constant pins on a workload, chosen in hindsight.
 * - `simulate` runs one policy; `runSimulationSweep` runs every policy over a sweep of arrival
 *   rates (workloads from `splitRecordedRuns`) and `toSweepSvg` plots it; `compareHostedCacheTtl`
 *   prices Anthropic's 5-minute and 1-hour cache TTLs on recorded pauses.
 *
 * @module @reins/serving-sim
 */

export {
  type ClairvoyantPinPolicyOptions,
  createClairvoyantPinPolicy,
} from './clairvoyant-pin-policy.js';
export {
  type ClairvoyantRulePolicyOptions,
  createClairvoyantRulePolicy,
} from './clairvoyant-rule-policy.js';
export {
  type CompareHostedCacheTtlOptions,
  compareHostedCacheTtl,
  type HostedCacheTtlComparison,
  type HostedCall,
} from './compare-hosted-cache-ttl.js';
export { createConstantPinPolicy } from './constant-pin-policy.js';
export {
  type ContinuumPaperPolicyOptions,
  createContinuumPaperPolicy,
} from './continuum-paper-policy.js';
export {
  type ContinuumPolicyOptions,
  createContinuumPolicy,
} from './continuum-policy.js';
export { createWorkload, type WorkloadOptions } from './create-workload.js';
export {
  defaultFromTrajectoryOptions,
  type FromTrajectoryOptions,
  fromTrajectory,
} from './from-trajectory.js';
export { createLruPolicy } from './lru-policy.js';
export {
  clairvoyantPinSeconds,
  createOracleCandidates,
  type OracleResult,
  toOracleResult,
} from './oracle.js';
export { createRandom, type Random } from './random.js';
export {
  createReinsHintsPolicy,
  type ReinsHintsPolicyOptions,
  type ReinsRuleSettings,
} from './reins-hints-policy.js';
export {
  constantPinSeconds,
  runSimulationSweep,
  type SimulationSweep,
  type SimulationSweepOptions,
  type SweepPolicyName,
  type SweepPolicyResult,
  type SweepRow,
  sweepPolicyNames,
} from './run-simulation-sweep.js';
export { llama70bOnFourH100, type ServerParameters } from './server-parameters.js';
export {
  type EngineSettings,
  type GpuShape,
  kvBytesPerToken,
  llama8bOnOneH100,
  llama8bOnOneH100Configuration,
  type ModelShape,
  type ServingConfiguration,
  toServerParameters,
} from './serving-configuration.js';
export type {
  PinContext,
  PinDecision,
  ServerPressure,
  ServingPolicy,
} from './serving-policy.js';
export { type SimulateOptions, type SimulationResult, simulate } from './simulate.js';
export { type RecordedRunsSplit, splitRecordedRuns } from './split-recorded-runs.js';
export { defaultSweepSvgOptions, type SweepSvgOptions, toSweepSvg } from './to-sweep-svg.js';
export { toToolDurationSamples } from './to-tool-duration-samples.js';
export {
  type HeavyTailedPausesOptions,
  withHeavyTailedPauses,
} from './with-heavy-tailed-pauses.js';
export type { Program, ProgramTemplate, WorkloadTurn } from './workload.js';
