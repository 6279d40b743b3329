import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import {
  kvBytesPerToken,
  llama8bOnOneH100,
  llama8bOnOneH100Configuration,
  toServerParameters,
} from './serving-configuration.js';

describe('toServerParameters on Llama-3.1-8B on one H100 under vLLM', () => {
  it('derives 128 KiB of KV per token and about 451k tokens of KV at 90 % utilisation', () => {
    expect(kvBytesPerToken(llama8bOnOneH100Configuration.model)).toBe(131_072);
    // 0.9 × 80 GiB − 16.06 GB of weights − 2 GiB reserved = 59 101 927 680 bytes
    // ÷ 131 072 = 450 911.9 tokens → 28 181 whole blocks of 16
    expect(llama8bOnOneH100.capacityTokens).toBe(450_896);
    expect(llama8bOnOneH100.blockTokens).toBe(16);
  });

  it('derives prefill and decode costs from FLOPs and bandwidth', () => {
    // 2 × 8.03e9 FLOPs at 50 % of 989 TFLOPs: 0.03248 ms per token (30 800 tokens/s)
    expect(llama8bOnOneH100.prefillMsPerToken).toBeCloseTo(0.032477, 5);
    // attention: 4 × 32 × 32 × 128 FLOPs per token of context
    expect(llama8bOnOneH100.prefillMsPerTokenPerContextToken).toBeCloseTo(1.06e-6, 8);
    // 16.06 GB of weights at 80 % of 3.35 TB/s = 5.99 ms, plus 2 ms
    expect(llama8bOnOneH100.stepBaseMs).toBeCloseTo(7.9925, 3);
    // 131 072 bytes at 2.68 TB/s
    expect(llama8bOnOneH100.decodeMsPerContextToken).toBeCloseTo(4.89e-5, 7);
  });

  it('halves the KV room with half the memory, and refuses a setting that leaves none', () => {
    const half = toServerParameters({
      ...llama8bOnOneH100Configuration,
      engine: { ...llama8bOnOneH100Configuration.engine, gpuMemoryUtilization: 0.5 },
    });
    // 0.5 × 80 GiB − 16.06 GB − 2 GiB = 24 742 189 312 bytes → 11 797 blocks, 188 752 tokens
    expect(half.capacityTokens).toBe(188_752);
    expect(() =>
      toServerParameters({
        ...llama8bOnOneH100Configuration,
        engine: { ...llama8bOnOneH100Configuration.engine, gpuMemoryUtilization: 0.2 },
      }),
    ).toThrow(InvalidOptionsError);
    expect(() =>
      toServerParameters({
        ...llama8bOnOneH100Configuration,
        engine: { ...llama8bOnOneH100Configuration.engine, gpuMemoryUtilization: 0.2 },
      }),
    ).toThrow(/gpuMemoryUtilization 0.2 .* raise it or choose a smaller model/);
  });
});
