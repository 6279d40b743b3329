import { InvalidOptionsError } from '@reins/core';
import type { ServerParameters } from './server-parameters.js';

/** The model's shape, as its `config.json` gives it. */
export interface ModelShape {
  readonly name: string;
  /** `num_hidden_layers`. */
  readonly layers: number;
  /** `num_attention_heads`. */
  readonly attentionHeads: number;
  /** `num_key_value_heads` (grouped-query attention). */
  readonly kvHeads: number;
  /** `head_dim` (`hidden_size / num_attention_heads` when absent). */
  readonly headDim: number;
  /** Parameters, for the weights' size and the FLOPs per token. */
  readonly parameters: number;
  /** Bytes per weight (2 for bf16). */
  readonly weightBytes: number;
  /** Bytes per cached key or value element (2 for a bf16 KV cache, vLLM's `kv_cache_dtype: auto`). */
  readonly kvBytes: number;
}

/** One GPU's datasheet figures. */
export interface GpuShape {
  readonly name: string;
  /** Memory, in bytes. */
  readonly memoryBytes: number;
  /** Memory bandwidth, in bytes per second. */
  readonly bandwidthBytesPerSecond: number;
  /** Dense bf16 tensor throughput, in FLOPs per second. */
  readonly bf16FlopsPerSecond: number;
}

/** The serving engine's settings. */
export interface EngineSettings {
  /** vLLM's `gpu_memory_utilization`: the share of GPU memory the instance may use. */
  readonly gpuMemoryUtilization: number;
  /** vLLM's `block_size`, in tokens. */
  readonly blockTokens: number;
  /** vLLM's `max_num_batched_tokens`. */
  readonly maxBatchTokens: number;
  /** vLLM's `max_num_seqs`. */
  readonly maxRunningRequests: number;
  /** Memory kept besides weights and KV (activations at the profiled peak, CUDA graphs), bytes. */
  readonly reservedBytes: number;
  /** Share of peak FLOPs reached in prefill. */
  readonly prefillFlopsEfficiency: number;
  /** Share of peak bandwidth reached in decode. */
  readonly decodeBandwidthEfficiency: number;
  /** Per-step scheduling, sampling and launch overhead, in milliseconds. */
  readonly stepOverheadMs: number;
  /** Per decoding request overhead, in milliseconds. */
  readonly decodeMsPerRequest: number;
}

/** A model on one GPU under an engine: what {@link toServerParameters} derives a server from. */
export interface ServingConfiguration {
  readonly model: ModelShape;
  readonly gpu: GpuShape;
  readonly engine: EngineSettings;
}

/** KV-cache bytes one token takes: K and V, per layer and KV head. */
export function kvBytesPerToken(model: ModelShape): number {
  return 2 * model.layers * model.kvHeads * model.headDim * model.kvBytes;
}

/**
 * Derives the simulated server from a stated configuration: KV capacity is the GPU memory the
 * engine may use, less weights and reserve, divided by the KV bytes of a token and rounded down
 * to whole blocks; prefill costs `2 × parameters` FLOPs per token plus attention's
 * `4 × layers × heads × head_dim` per token of context, at the stated share of peak FLOPs;
 * a decode step reads the weights once, and each context token's KV, at the stated share of
 * peak bandwidth.
 *
 * @param configuration - model shape, GPU figures, engine settings.
 * @returns the server parameters.
 * @throws {InvalidOptionsError} when the weights and reserve leave no room for the KV cache.
 * @example
 * ```ts
 * const server = toServerParameters({
 *   ...llama8bOnOneH100Configuration,
 *   engine: { ...llama8bOnOneH100Configuration.engine, gpuMemoryUtilization: 0.5 },
 * });
 * ```
 */
export function toServerParameters(configuration: ServingConfiguration): ServerParameters {
  const { model, gpu, engine } = configuration;
  const weightBytes = model.parameters * model.weightBytes;
  const kvBytes =
    gpu.memoryBytes * engine.gpuMemoryUtilization - weightBytes - engine.reservedBytes;
  const perToken = kvBytesPerToken(model);
  const blocks = Math.floor(kvBytes / perToken / engine.blockTokens);
  if (!(blocks > 0)) {
    throw new InvalidOptionsError(
      'gpuMemoryUtilization',
      `gpuMemoryUtilization ${engine.gpuMemoryUtilization} of ${gpu.memoryBytes} bytes leaves ${Math.round(kvBytes)} bytes for the KV cache after ${weightBytes} bytes of weights and ${engine.reservedBytes} reserved; raise it or choose a smaller model.`,
    );
  }
  const flops = gpu.bf16FlopsPerSecond * engine.prefillFlopsEfficiency;
  const bandwidth = gpu.bandwidthBytesPerSecond * engine.decodeBandwidthEfficiency;
  return {
    capacityTokens: blocks * engine.blockTokens,
    blockTokens: engine.blockTokens,
    maxBatchTokens: engine.maxBatchTokens,
    maxRunningRequests: engine.maxRunningRequests,
    stepBaseMs: (weightBytes / bandwidth) * 1000 + engine.stepOverheadMs,
    prefillMsPerToken: ((2 * model.parameters) / flops) * 1000,
    prefillMsPerTokenPerContextToken:
      ((4 * model.layers * model.attentionHeads * model.headDim) / flops) * 1000,
    decodeMsPerRequest: engine.decodeMsPerRequest,
    decodeMsPerContextToken: (perToken / bandwidth) * 1000,
  };
}

/**
 * Llama-3.1-8B-Instruct in bf16 on one 80 GB H100 SXM under vLLM with its defaults; the README
 * gives each figure's source:
 * - model (`config.json`): 32 layers, 32 attention heads, 8 KV heads, head_dim 128
 *   (4096 / 32), 8.03 B parameters: 128 KiB of KV per token, 16.06 GB of weights;
 * - GPU (NVIDIA datasheet): 80 GiB HBM3, 3.35 TB/s, 989 TFLOPs dense bf16;
 * - engine (vLLM `CacheConfig` / engine arguments): `gpu_memory_utilization` 0.9, `block_size`
 *   16, `max_num_batched_tokens` 8192, `max_num_seqs` 256;
 * - estimates (stated, not measured here): 2 GiB reserved for activations and CUDA graphs, 50 %
 *   of peak FLOPs in prefill, 80 % of peak bandwidth in decode, 2 ms per step and 0.02 ms per
 *   decoding request of scheduling and sampling.
 */
export const llama8bOnOneH100Configuration: ServingConfiguration = {
  model: {
    name: 'Llama-3.1-8B-Instruct',
    layers: 32,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    parameters: 8.03e9,
    weightBytes: 2,
    kvBytes: 2,
  },
  gpu: {
    name: 'H100 SXM 80GB',
    memoryBytes: 80 * 2 ** 30,
    bandwidthBytesPerSecond: 3.35e12,
    bf16FlopsPerSecond: 989e12,
  },
  engine: {
    gpuMemoryUtilization: 0.9,
    blockTokens: 16,
    maxBatchTokens: 8192,
    maxRunningRequests: 256,
    reservedBytes: 2 * 2 ** 30,
    prefillFlopsEfficiency: 0.5,
    decodeBandwidthEfficiency: 0.8,
    stepOverheadMs: 2,
    decodeMsPerRequest: 0.02,
  },
};

/** {@link llama8bOnOneH100Configuration} as server parameters (450 896 KV tokens). */
export const llama8bOnOneH100: ServerParameters = toServerParameters(llama8bOnOneH100Configuration);
