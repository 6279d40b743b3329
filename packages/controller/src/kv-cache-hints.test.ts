import {
  type ControllerEvent,
  createAgent,
  defineTool,
  InvalidOptionsError,
  type RunView,
} from '@reins/core';
import {
  createScriptedBackend,
  createSimulatedClock,
  type ScriptedResponse,
} from '@reins/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createController } from './create-controller.js';
import { createKvCacheHintsPolicy } from './kv-cache-hints.js';
import { createToolDurationPredictor } from './tool-duration-predictor.js';

const durations: Record<string, number> = { pytest: 8_000, sed: 300, ls: 100 };

function setup(options: Parameters<typeof createKvCacheHintsPolicy>[0] = {}) {
  const clock = createSimulatedClock(1_000_000);
  const run = defineTool({
    name: 'bash',
    description: 'Runs a shell command.',
    input: z.object({ command: z.string() }),
    execute: ({ command }) => {
      clock.advance(durations[command.split(' ')[0] as string] ?? 50);
      return `ran ${command}`;
    },
  });
  return { clock, run, policy: createKvCacheHintsPolicy(options) };
}

const act = (command: string): ScriptedResponse => ({
  toolCalls: [{ name: 'bash', arguments: { command } }],
  usage: { inputTokens: 20_000, outputTokens: 200 },
});

describe('createKvCacheHintsPolicy in a run', () => {
  it('sends program id, turn, priority, cache key, last step and learns tool durations', async () => {
    const predictor = createToolDurationPredictor({ minSamples: 2 });
    const { clock, run, policy } = setup({ predictor, turnLimit: 5, rule: 'continuum' });
    const backend = createScriptedBackend({
      responses: [
        act('ls'),
        act('pytest -x'),
        act('sed -i s/a/b/ f.py'),
        act('pytest -x'),
        { text: 'Done.' },
      ],
    });
    const agent = createAgent({
      backend,
      tools: [run],
      clock,
      controller: createController({ hints: policy }),
    });
    const handle = agent.run('Fix the failing test.', { runId: 'run-42' });
    const computed: ControllerEvent[] = [];
    handle.on('*', (event) => {
      if (event.type === 'hints.computed' && 'controller' in event) computed.push(event);
    });
    const result = await handle.result;
    expect(result.status).toBe('done');

    const hints = backend.requests.map((request) => request.hints);
    expect(hints.map((h) => h?.turn)).toEqual([1, 2, 3, 4, 5]);
    for (const h of hints) {
      expect(h).toMatchObject({ programId: 'run-42', cacheKey: 'run-42', priority: 1_000_000 });
    }
    expect(hints.map((h) => h?.isLastStep)).toEqual([false, false, false, false, true]);
    // the run's own durations: ls 100, pytest 8000, sed 300, pytest 8000
    expect(predictor.sampleCount('bash:pytest')).toBe(2);
    expect(predictor.distribution('bash:pytest').quantile(0.5)).toBe(8_000);
    // turn 3 follows pytest; nothing followed pytest before → the global prior (100, 8000) has mean 4050
    expect(hints[2]?.expectedPauseMs).toBe(4_050);
    // turn 5 follows pytest, whose one successor (sed) has 1 sample, under minSamples: the global
    // prior (100, 8000, 300, 8000) stands in, mean 4100
    expect(hints[4]?.expectedPauseMs).toBe(4_100);
    // Continuum's rule: pin 2 s when the predicted mean is under 2 s, never on a last step
    expect(hints[4]).toMatchObject({ pin: false, ttlMs: 0 });
    expect(hints[2]).toMatchObject({ pin: false });
    expect(hints[0]).toMatchObject({ pin: true, ttlMs: 2_000 });

    expect(computed).toHaveLength(5);
    expect(computed[4]?.evidence).toMatchObject({ turn: 5, rule: 'continuum', pin: false });
    expect(computed[0]?.evidence).toMatchObject({ turn: 1, pin: true, ttlMs: 2_000 });
  });

  it('pins longer by the cost-benefit rule when a long tool is likely next', async () => {
    const predictor = createToolDurationPredictor({ minSamples: 1 });
    predictor.seed([
      { key: 'bash:pytest', durationMs: 8_000, previousKey: 'bash:sed' },
      { key: 'bash:sed', durationMs: 300, previousKey: 'bash:pytest' },
    ]);
    const { clock, run, policy } = setup({ predictor, rule: 'cost-benefit' });
    const backend = createScriptedBackend({
      responses: [act('sed -i s/a/b/ f.py'), act('pytest'), { text: 'Done.' }],
    });
    const agent = createAgent({
      backend,
      tools: [run],
      clock,
      controller: createController({ hints: policy }),
    });
    await agent.run('Fix it.').result;
    // turn 2 follows sed → pytest (8 s) expected; 20 200 tokens cost ~2 s to reload at 10 000
    // tokens/s and ~0.4 ms of memory per ms pinned: pinning 8.1 s pays (2020 − 390 > 0)
    const second = backend.requests[1]?.hints;
    expect(second).toMatchObject({ pin: true, expectedPauseMs: 8_000 });
    expect(second?.ttlMs).toBeCloseTo(8_100, 5);
    // turn 3 follows pytest → sed (0.3 s expected): a short pin
    expect(backend.requests[2]?.hints?.ttlMs).toBeCloseTo(400, 5);
  });

  it('with the reins rule, pins long when the server has room and not a slow tool under load', async () => {
    const predictor = createToolDurationPredictor({ minSamples: 1 });
    predictor.seed([
      { key: 'bash:pytest', durationMs: 8_000, previousKey: 'bash:sed' },
      { key: 'bash:sed', durationMs: 300, previousKey: 'bash:pytest' },
    ]);
    const runOnce = async (load: { kvUsage: number; waitingRequests: number }) => {
      const { clock, run, policy } = setup({
        predictor,
        rule: 'reins',
        reinsRule: { capacityTokens: 25_000, prefillTokensPerSecond: 10_000 },
        serverLoad: () => load,
      });
      const backend = createScriptedBackend({
        responses: [act('sed -i s/a/b/ f.py'), act('pytest'), { text: 'Done.' }],
      });
      const agent = createAgent({
        backend,
        tools: [run],
        clock,
        controller: createController({ hints: policy }),
      });
      await agent.run('Fix it.').result;
      return backend.requests.map((request) => request.hints);
    };
    // turn 2 follows sed → pytest (8 s) expected. With room, holding memory is free: pin it.
    const calm = await runOnce({ kvUsage: 0.2, waitingRequests: 0 });
    expect(calm[1]).toMatchObject({ pin: true, expectedPauseMs: 8_000 });
    // Under load 20 200 of 25 000 tokens for 8 s cost more than a ~2 s reload: no pin.
    const loaded = await runOnce({ kvUsage: 1, waitingRequests: 4 });
    expect(loaded[1]).toMatchObject({ pin: false });
    // after pytest, sed (0.3 s) is expected: a short pin pays even under load
    expect(loaded[2]).toMatchObject({ pin: true });
    expect(loaded[2]?.ttlMs).toBeLessThan(1_000);
  });

  it('chooses Anthropic 5m or 1h from the expected pause', () => {
    const predictor = createToolDurationPredictor({ minSamples: 1 });
    predictor.seed([{ key: 'bash:sleep', durationMs: 900_000, previousKey: 'bash:wait' }]);
    predictor.seed([{ key: 'bash:ls', durationMs: 1_000, previousKey: 'bash:ls' }]);
    const policy = createKvCacheHintsPolicy({ predictor, anthropic: { inputUsdPerMTok: 3 } });
    const session = policy.open({ runId: 'r', task: 't' });
    const view = {
      runId: 'r',
      task: 't',
      turn: 1,
      startedAt: 5,
      messages: [{ role: 'user', content: 'x'.repeat(40_000) }],
    } as unknown as RunView;
    session.hints(view);
    session.afterModel?.(view, {
      message: { role: 'assistant', content: '', toolCalls: [] },
      finishReason: 'tool-calls',
      usage: {
        inputTokens: 10_000,
        cachedInputTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
        costUsd: 0,
      },
      durationMs: 1,
    });
    const first = session.hints({ ...view, turn: 2 } as RunView);
    // the prefix is written; half the pauses (the global prior) are 15 minutes:
    // 5m: 10 000 × (0.5 × 0.1 + 0.5 × 1.25) = 6 750 tokens' worth; 1h: 10 000 × 0.1 = 1 000
    expect(first).toMatchObject({ ttlMs: 3_600_000, pin: false, priority: 5 });
    session.afterTool?.(view, {
      call: { id: 'c', name: 'bash', arguments: '{"command":"ls"}' },
      result: { status: 'ok', output: '' },
      durationMs: 1_000,
    });
    expect(session.hints({ ...view, turn: 3 } as RunView)?.ttlMs).toBe(300_000);
  });

  it('with keepWarm, reports when a refresh before the 5-minute expiry pays, with its cost and saving', () => {
    const predictor = createToolDurationPredictor({ minSamples: 1 });
    // the global prior: 3 pauses of 1 minute, 1 of 400 s
    predictor.seed(
      [60_000, 60_000, 60_000, 400_000].map((durationMs) => ({ key: 'bash:x', durationMs })),
    );
    const usage = (inputTokens: number) => ({
      inputTokens,
      cachedInputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      costUsd: 0,
    });
    const view = {
      runId: 'r',
      task: 't',
      turn: 1,
      startedAt: 5,
      messages: [{ role: 'user', content: 'x'.repeat(400_000) }],
    } as unknown as RunView;
    const step = {
      message: { role: 'assistant' as const, content: '', toolCalls: [] },
      finishReason: 'tool-calls' as const,
      usage: usage(100_000),
      durationMs: 1,
    };
    const evidenceOf = (keepWarm: boolean) => {
      const policy = createKvCacheHintsPolicy({
        predictor,
        anthropic: { inputUsdPerMTok: 3 },
        keepWarm,
      });
      const session = policy.open({ runId: 'r', task: 't' });
      // 100 000 tokens all written: 5m costs 1.25 + (0.75 × 0.1 + 0.25 × 1.25) = 1.6375 prefixes,
      // 1h costs 2 + 0.1 = 2.1: five minutes
      expect(session.hints(view)?.ttlMs).toBe(300_000);
      const directives = session.afterModel?.(view, step) ?? [];
      const event = directives[0];
      if (event?.type !== 'emit') throw new Error('expected a hints.computed event');
      expect(event.event.name).toBe('hints.computed');
      return event.event;
    };
    const event = evidenceOf(true);
    // sent when the pause outlasts 270 s (1 in 4), rescues pauses in (300 s, 570 s] (1 in 4);
    // the prefix is $0.30: cost 0.25 × 0.30 × 0.1, saving 0.25 × 0.30 × 1.15
    expect(event.evidence).toMatchObject({
      anthropicTtl: '5m',
      keepWarmRefresh: true,
      keepWarmRefreshAtMs: 270_000,
    });
    expect(event.evidence.keepWarmExpectedCostUsd).toBeCloseTo(0.0075, 10);
    expect(event.evidence.keepWarmExpectedSavingUsd).toBeCloseTo(0.08625, 10);
    expect(event.message).toContain('Keep warm: refresh 270000 ms after the response');
    // off by default: nothing about refreshes
    expect(evidenceOf(false).evidence).toMatchObject({
      keepWarmRefresh: null,
      keepWarmRefreshAtMs: null,
    });
  });

  it('rejects an unknown rule, naming the choices', () => {
    expect(() => createKvCacheHintsPolicy({ rule: 'lru' as 'continuum' })).toThrow(
      InvalidOptionsError,
    );
    expect(() => createKvCacheHintsPolicy({ expectedTurns: 0 })).toThrow(/expectedTurns/);
  });
});
