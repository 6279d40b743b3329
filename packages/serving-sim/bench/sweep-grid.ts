/** The sensitivity sweep's grid, shared by the benchmark and the tuning run. */
export const sweepGrid = {
  /** Program arrivals per second. */
  rates: [0.05, 0.1, 0.2],
  /** vLLM `gpu_memory_utilization`: 0.9 (the default) and 0.5 (half the GPU for this server). */
  gpuMemoryUtilization: [0.5, 0.9],
  /** Recorded pauses, and a synthetic heavy-tailed mix on the same programs. */
  mixes: ['recorded', 'heavyTailed'] as const,
  programs: 100,
} as const;
