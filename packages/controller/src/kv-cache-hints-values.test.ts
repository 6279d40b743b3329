import type { Message, ModelStep, RunView, ToolOutcome, ToolResult } from '@reins/core';
import { emptyUsage, InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownAs } from '../../../scripts/thrown-by.js';
import { createKvCacheHintsPolicy, type KvCacheHintsOptions } from './kv-cache-hints.js';
import { createToolDurationPredictor } from './tool-duration-predictor.js';
import type { TtlDecision, TtlRule, TtlRuleInput } from './ttl-rule.js';

/** A rule that records what it is asked and always gives the same decision. */
function recordingRule(decision: Partial<TtlDecision> = {}) {
  const inputs: TtlRuleInput[] = [];
  const rule: TtlRule = {
    name: 'recording',
    decide(input) {
      inputs.push(input);
      return {
        pin: true,
        ttlMs: 1_500.4,
        rule: 'recording',
        hitProbability: 0.75,
        expectedSavingMs: 600,
        expectedCostMs: 40,
        ...decision,
      };
    },
  };
  return { rule, inputs };
}

function viewOf(turn: number, messages: readonly Message[]): RunView {
  return {
    runId: 'run-1',
    task: 'Fix the bug.',
    turn,
    startedAt: 1_700,
    messages,
  } as unknown as RunView;
}

/** 16 + 12 + 12 = 40 characters of content, and a tool output of 400: 440 characters. */
const firstMessages: Message[] = [
  { role: 'system', content: 'You are careful.' },
  { role: 'user', content: 'Fix the bug.' },
  { role: 'assistant', content: 'Let me look.', toolCalls: [] },
  {
    role: 'tool',
    toolCallId: 'c0',
    toolName: 'bash',
    result: { status: 'ok', output: 'x'.repeat(400) },
  },
];

function stepWith(inputTokens: number, outputTokens: number): ModelStep {
  return {
    message: { role: 'assistant', content: '', toolCalls: [] },
    finishReason: 'tool-calls',
    usage: { ...emptyUsage, inputTokens, outputTokens },
    durationMs: 1,
  };
}

/** A bash call of `command`, taking `durationMs`, that ended with `result`. */
function toolRun(command: string, durationMs: number, result: ToolResult): ToolOutcome {
  return {
    call: { id: `c-${command}`, name: 'bash', arguments: JSON.stringify({ command }) },
    result,
    durationMs,
  };
}

function refusal(options: KvCacheHintsOptions): InvalidOptionsError {
  return thrownAs(InvalidOptionsError, () => createKvCacheHintsPolicy(options));
}

describe('createKvCacheHintsPolicy: what the rule is told', () => {
  it('counts the context from the messages once, then from each response and tool output', () => {
    const { rule, inputs } = recordingRule();
    const session = createKvCacheHintsPolicy({ rule }).open({ runId: 'run-1', task: 't' });
    session.hints(viewOf(1, firstMessages));
    // 40 characters of content and a 400-character tool output at 4 per token: 110 tokens
    expect(inputs[0]?.contextTokens).toBe(110);
    // asked again before any response: the count stands, however the messages grew
    session.hints(viewOf(1, [...firstMessages, { role: 'user', content: 'y'.repeat(400) }]));
    expect(inputs[1]?.contextTokens).toBe(110);
    // after a response the context is its prompt and its output: 1 000 + 200
    session.afterModel?.(viewOf(1, firstMessages), stepWith(1_000, 200));
    // each tool adds its output and its arguments ('{"command":"ls"}' is 16 characters):
    // ok, 30 + 16 = 46 → 12 tokens; error 'no such file', 12 + 16 = 28 → 7; cancelled
    // 'interrupted', 11 + 16 = 27 → 7 (rounded up)
    session.afterTool?.(
      viewOf(1, firstMessages),
      toolRun('ls', 5, { status: 'ok', output: 'o'.repeat(30) }),
    );
    session.afterTool?.(
      viewOf(1, firstMessages),
      toolRun('ls', 5, { status: 'error', error: { code: 'exit-2', message: 'no such file' } }),
    );
    session.afterTool?.(
      viewOf(1, firstMessages),
      toolRun('ls', 5, { status: 'cancelled', reason: 'interrupted' }),
    );
    session.hints(viewOf(2, firstMessages));
    expect(inputs[2]?.contextTokens).toBe(1_200 + 12 + 7 + 7);
  });

  it('counts characters per token as configured, rounding up', () => {
    const { rule, inputs } = recordingRule();
    const session = createKvCacheHintsPolicy({ rule, charsPerToken: 3 }).open({
      runId: 'run-1',
      task: 't',
    });
    session.hints(viewOf(1, firstMessages));
    // 440 / 3 = 146.7 → 147
    expect(inputs[0]?.contextTokens).toBe(147);
  });

  it('counts in a history every text the prompt carries: tool calls, tool errors and cancellations', () => {
    const { rule, inputs } = recordingRule();
    const session = createKvCacheHintsPolicy({ rule }).open({ runId: 'run-1', task: 't' });
    const history: Message[] = [
      { role: 'user', content: 'Fix it.' },
      {
        role: 'assistant',
        content: '',
        reasoning: 'r'.repeat(1_000),
        toolCalls: [
          { id: 'a', name: 'bash', arguments: '{"command":"ls"}' },
          { id: 'b', name: 'bash', arguments: '{"command":"pytest"}' },
        ],
      },
      {
        role: 'tool',
        toolCallId: 'a',
        toolName: 'bash',
        result: { status: 'error', error: { code: 'exit-2', message: 'no such file' } },
      },
      {
        role: 'tool',
        toolCallId: 'b',
        toolName: 'bash',
        result: { status: 'cancelled', reason: 'interrupted' },
      },
    ];
    session.hints(viewOf(2, history));
    // 'Fix it.' 7 + arguments 16 + 20 + 'no such file' 12 + 'interrupted' 11 = 66 → 17 tokens;
    // the reasoning is not sent back to the model
    expect(inputs[0]?.contextTokens).toBe(17);
  });

  it('counts a resumed run from its messages when its first hook is afterTool', () => {
    const { rule, inputs } = recordingRule();
    const session = createKvCacheHintsPolicy({ rule }).open({ runId: 'run-1', task: 't' });
    // resumed inside a turn: the tool ends before any hints are asked
    session.afterTool?.(
      viewOf(3, firstMessages),
      toolRun('ls', 5, { status: 'ok', output: 'o'.repeat(30) }),
    );
    const withOutput: Message[] = [
      ...firstMessages,
      {
        role: 'tool',
        toolCallId: 'c-ls',
        toolName: 'bash',
        result: { status: 'ok', output: 'o'.repeat(30) },
      },
    ];
    session.hints(viewOf(3, withOutput));
    // the whole history, its new output once: 440 + 30 = 470 → 118 tokens (not 30 + 16 → 12)
    expect(inputs[0]?.contextTokens).toBe(118);
  });

  it('tells the rule the turns left, none on the last step (past run lengths and load are for the reins rule)', () => {
    const { rule, inputs } = recordingRule();
    const session = createKvCacheHintsPolicy({
      rule,
      expectedTurns: 10,
      turnLimit: 12,
      pastTurnCounts: [3, 7],
      serverLoad: () => ({ kvUsage: 0.9, waitingRequests: 3 }),
    }).open({ runId: 'run-1', task: 't' });
    for (const turn of [3, 9, 11, 12]) session.hints(viewOf(turn, firstMessages));
    // expectedTurns − turn, at least 1 while the run goes on: 10 − 3 = 7, 10 − 9 = 1, then 1;
    // turn 12 is the limit, the last step: 0
    expect(inputs.map((input) => input.remainingTurns)).toEqual([7, 1, 1, 0]);
    expect(inputs.map((input) => input.isLastStep)).toEqual([false, false, false, true]);
    expect(inputs.some((input) => 'pressure' in input)).toBe(false);
  });

  it('predicts the pause from the tool that ran last, learning which tool follows which', () => {
    const predictor = createToolDurationPredictor({ minSamples: 1 });
    const { rule, inputs } = recordingRule();
    const session = createKvCacheHintsPolicy({ predictor, rule }).open({
      runId: 'run-1',
      task: 't',
    });
    const ok: ToolResult = { status: 'ok', output: '' };
    session.afterTool?.(viewOf(1, firstMessages), toolRun('ls', 100, ok));
    session.afterTool?.(viewOf(2, firstMessages), toolRun('pytest -x', 8_000, ok));
    session.afterTool?.(viewOf(3, firstMessages), toolRun('ls', 100, ok));
    const hints = session.hints(viewOf(4, firstMessages));
    // after ls, pytest ran (once): its one duration, 8 000 ms, not the mean of all three
    // (2 733 ms)
    expect(inputs[0]?.pause.mean).toBe(8_000);
    expect(hints?.expectedPauseMs).toBe(8_000);
  });
});

describe('createKvCacheHintsPolicy: hints and events', () => {
  it("sends the rule's decision and reports it in a hints.computed event, in words and numbers", () => {
    const predictor = createToolDurationPredictor();
    // the global prior: 100 ms and 300 ms, mean 200 ms
    predictor.seed([
      { key: 'bash:ls', durationMs: 100 },
      { key: 'bash:sed', durationMs: 300 },
    ]);
    let pin = true;
    const { rule } = recordingRule();
    const switching: TtlRule = {
      name: 'switching',
      decide: (input) =>
        pin ? rule.decide(input) : { ...rule.decide(input), pin: false, ttlMs: 0 },
    };
    // keepWarm without Anthropic prices has no hosted cache to keep warm
    const session = createKvCacheHintsPolicy({ predictor, rule: switching, keepWarm: true }).open({
      runId: 'run-9',
      task: 't',
    });
    expect(session.hints(viewOf(1, firstMessages))).toEqual({
      programId: 'run-9',
      turn: 1,
      isLastStep: false,
      expectedPauseMs: 200,
      ttlMs: 1_500.4,
      pin: true,
      priority: 1_700,
      cacheKey: 'run-9',
    });
    expect(session.afterModel?.(viewOf(1, firstMessages), stepWith(1_000, 200))).toEqual([
      {
        type: 'emit',
        event: {
          name: 'hints.computed',
          policy: 'kv-cache-hints',
          message: 'Turn 1: pin the cache for 1500 ms (recording); expected pause 200 ms.',
          evidence: {
            turn: 1,
            rule: 'recording',
            pin: true,
            ttlMs: 1_500.4,
            expectedPauseMs: 200,
            hitProbability: 0.75,
            expectedSavingMs: 600,
            expectedCostMs: 40,
            anthropicTtl: null,
            expectedUsd5m: null,
            expectedUsd1h: null,
            expectedSavingUsd: null,
            keepWarmRefresh: null,
            keepWarmRefreshAtMs: null,
            keepWarmExpectedCostUsd: null,
            keepWarmExpectedSavingUsd: null,
          },
        },
      },
    ]);
    pin = false;
    session.hints(viewOf(2, firstMessages));
    const [event] = session.afterModel?.(viewOf(2, firstMessages), stepWith(1_000, 200)) ?? [];
    expect(event).toMatchObject({
      event: {
        message: 'Turn 2: no pin (recording); expected pause 200 ms.',
        evidence: { turn: 2, pin: false, ttlMs: 0 },
      },
    });
  });

  it('reports nothing after a response whose hints it did not choose', () => {
    const { rule, inputs } = recordingRule();
    const session = createKvCacheHintsPolicy({ rule }).open({ runId: 'run-1', task: 't' });
    // e.g. a run resumed after its hints were sent: the response still sets the context
    expect(session.afterModel?.(viewOf(1, firstMessages), stepWith(500, 20))).toBeUndefined();
    session.hints(viewOf(2, firstMessages));
    expect(inputs[0]?.contextTokens).toBe(520);
  });

  it('with Anthropic prices, sends the cheaper TTL and never a server pin, with both costs', () => {
    // no tool seen yet: the empty prior puts every pause at 0 ms, inside either TTL
    const { rule } = recordingRule();
    const session = createKvCacheHintsPolicy({
      rule,
      anthropic: { inputUsdPerMTok: 3 },
    }).open({ runId: 'run-1', task: 't' });
    const view = viewOf(1, [{ role: 'user', content: 'x'.repeat(40_000) }]);
    // 10 000 tokens, none cached yet, $3 per million: $0.03 a prefix.
    // 5m: write 1.25 × 0.03 + the next request reads it, 0.1 × 0.03 = $0.0405;
    // 1h: write 2 × 0.03 + 0.003 = $0.063; five minutes saves $0.0225.
    expect(session.hints(view)).toMatchObject({ ttlMs: 300_000, pin: false });
    const [event] = session.afterModel?.(view, stepWith(10_000, 0)) ?? [];
    if (event?.type !== 'emit') throw new Error('expected a hints.computed event');
    expect(event.event.message).toBe(
      'Turn 1: Anthropic cache TTL 5m; expected $0.04050 with 5m, $0.06300 with 1h.',
    );
    expect(event.event.evidence).toMatchObject({
      rule: 'recording',
      pin: false,
      ttlMs: 300_000,
      anthropicTtl: '5m',
      keepWarmRefresh: null,
    });
    expect(event.event.evidence.expectedUsd5m).toBeCloseTo(0.0405, 12);
    expect(event.event.evidence.expectedUsd1h).toBeCloseTo(0.063, 12);
    expect(event.event.evidence.expectedSavingUsd).toBeCloseTo(0.0225, 12);
  });

  it('sends a keep-warm refresh marginMs before the 5-minute expiry', () => {
    const predictor = createToolDurationPredictor();
    // the global prior: 3 pauses of 1 minute, 1 of 400 s
    predictor.seed(
      [60_000, 60_000, 60_000, 400_000].map((durationMs) => ({ key: 'bash:x', durationMs })),
    );
    // 400 000 characters: 100 000 tokens, the prefix $0.30 at $3 per million
    const view = viewOf(1, [{ role: 'user', content: 'x'.repeat(400_000) }]);
    const eventWith = (keepWarm: NonNullable<KvCacheHintsOptions['keepWarm']>) => {
      const session = createKvCacheHintsPolicy({
        predictor,
        anthropic: { inputUsdPerMTok: 3 },
        keepWarm,
      }).open({ runId: 'run-1', task: 't' });
      session.hints(view);
      const [event] = session.afterModel?.(view, stepWith(100_000, 0)) ?? [];
      if (event?.type !== 'emit') throw new Error('expected a hints.computed event');
      return event.event;
    };
    // 5m: 1.25 × 0.30 + 0.30 × (0.75 × 0.1 + 0.25 × 1.25) = $0.49125; 1h: 2 × 0.30 + 0.03 = $0.63.
    // A refresh at 300 − 60 = 240 s is sent when the pause outlasts it (1 in 4) and rescues
    // pauses in (300 s, 540 s] (1 in 4): cost 0.25 × 0.30 × 0.1, saving 0.25 × 0.30 × 1.15.
    const early = eventWith({ marginMs: 60_000 });
    expect(early.message).toBe(
      'Turn 1: Anthropic cache TTL 5m; expected $0.49125 with 5m, $0.63000 with 1h. Keep warm: refresh 240000 ms after the response if the tool still runs (expected cost $0.00750, saving $0.08625).',
    );
    expect(early.evidence).toMatchObject({ keepWarmRefresh: true, keepWarmRefreshAtMs: 240_000 });
    // an object without marginMs keeps the default margin, 30 s
    expect(eventWith({}).evidence).toMatchObject({ keepWarmRefreshAtMs: 270_000 });
  });

  it('with the reins rule, weighs the reload by the turns past runs of this length had left', () => {
    const savingWith = (pastTurnCounts?: readonly number[]) => {
      const session = createKvCacheHintsPolicy({
        rule: 'reins',
        // a reload costs 1 ms per token: 1 000 tokens, 1 000 ms
        reinsRule: { prefillTokensPerSecond: 1_000, attentionMsPerTokenPerContextToken: 0 },
        serverLoad: () => ({ kvUsage: 0.1, waitingRequests: 0 }),
        ...(pastTurnCounts === undefined ? {} : { pastTurnCounts }),
      }).open({ runId: 'run-1', task: 't' });
      const view = viewOf(1, [{ role: 'user', content: 'x'.repeat(4_000) }]);
      expect(session.hints(view)).toMatchObject({ pin: true, ttlMs: 100 });
      const [event] = session.afterModel?.(view, stepWith(1_000, 0)) ?? [];
      if (event?.type !== 'emit') throw new Error('expected a hints.computed event');
      return event.event.evidence.expectedSavingMs;
    };
    // Memory is free (usage under 0.8, nobody waits) and every pause is 0 ms, so the first
    // candidate, 0 + 100 ms margin, catches them all: the saving is the reload times the reuse
    // R / (R + 1). Past runs of 3 and 7 calls: after call 1, (2 + 6) / 2 = 4 remain → 800 ms.
    expect(savingWith([3, 7])).toBeCloseTo(800, 9);
    // without them, 36 expected calls: 35 remain → 1 000 × 35 / 36
    expect(savingWith()).toBeCloseTo(35_000 / 36, 9);
  });

  it('gives stateless hints, a session of one call, to a caller without open()', () => {
    const { rule } = recordingRule({ pin: false, ttlMs: 0 });
    expect(createKvCacheHintsPolicy({ rule }).hints(viewOf(4, firstMessages))).toEqual({
      programId: 'run-1',
      turn: 4,
      isLastStep: false,
      expectedPauseMs: 0,
      ttlMs: 0,
      pin: false,
      priority: 1_700,
      cacheKey: 'run-1',
    });
  });
});

describe('createKvCacheHintsPolicy options', () => {
  it('takes any object with decide(input) as the rule', () => {
    const { rule, inputs } = recordingRule();
    createKvCacheHintsPolicy({ rule }).open({ runId: 'r', task: 't' }).hints(viewOf(1, []));
    expect(inputs).toHaveLength(1);
  });

  it('refuses any other rule, naming the choices and the value received', () => {
    const choices =
      "rule must be 'reins', 'cost-benefit', 'continuum' or an object with decide(input)";
    for (const [rule, shown] of [
      ['lru', '"lru"'],
      [null, 'null'],
      [{ decide: 5 }, '{"decide":5}'],
      [{ name: 'no-decide' }, '{"name":"no-decide"}'],
    ] as const) {
      expect(refusal({ rule: rule as unknown as TtlRule })).toMatchObject({
        field: 'rule',
        message: `${choices}; got ${shown}.`,
      });
    }
  });

  it('refuses expectedTurns that is not positive, saying what to use', () => {
    expect(refusal({ expectedTurns: 0 })).toMatchObject({
      field: 'expectedTurns',
      message: 'expectedTurns must be > 0; got 0. Use the median turns of your past runs.',
    });
    expect(refusal({ expectedTurns: Number.NaN }).field).toBe('expectedTurns');
  });
});
