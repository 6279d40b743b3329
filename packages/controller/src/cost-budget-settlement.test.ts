/**
 * The cost budget's reservations and charges, stated in whole micro-dollars computed by hand.
 *
 * Prices: $3 / M prompt tokens, $0.30 / M cached, $15 / M completion tokens, i.e. 3, 0.3 and 15
 * micro-dollars a token. The history `createView` starts with is the system message "You are
 * careful." (16 bytes + 8 of framing) and the task "Fix the bug." (12 + 8): 44 bytes, so the
 * first prompt estimate is 44 tokens at one byte a token plus the 256-token allowance.
 */
import type { ControllerSession, Message, ModelCallEnd, Usage } from '@reins/core';
import { emptyUsage, InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createView, type MutableView } from '../test/replay.js';
import { type CostBudgetOptions, createCostBudget } from './cost-budget.js';
import { type CostLedger, createCostLedger } from './cost-ledger.js';

const prices = {
  'scripted-1': { inputPerMillion: 3, cachedInputPerMillion: 0.3, outputPerMillion: 15 },
};

/** The first call's reservation with 100 output tokens: (44 + 256) × 3 + 100 × 15. */
const firstReservation = 300 * 3 + 100 * 15;

/** A ledger that records the keys it is asked to reserve, settle and release. */
function recordingLedger(capUsd: number): CostLedger & { readonly calls: string[] } {
  const ledger = createCostLedger({ capUsd });
  const calls: string[] = [];
  return {
    calls,
    capUsd: ledger.capUsd,
    capMicros: ledger.capMicros,
    get spentMicros() {
      return ledger.spentMicros;
    },
    get reservedMicros() {
      return ledger.reservedMicros;
    },
    get spentUsd() {
      return ledger.spentUsd;
    },
    get reservedUsd() {
      return ledger.reservedUsd;
    },
    reserve(key, micros) {
      calls.push(`reserve ${key} ${micros}`);
      return ledger.reserve(key, micros);
    },
    settle(key, micros) {
      calls.push(`settle ${key} ${micros}`);
      ledger.settle(key, micros);
    },
    release(key) {
      calls.push(`release ${key}`);
      ledger.release(key);
    },
  };
}

function open(
  options: Partial<CostBudgetOptions> = {},
  state?: unknown,
): { session: ControllerSession; ledger: ReturnType<typeof recordingLedger>; view: MutableView } {
  const ledger = recordingLedger(10);
  const session = createCostBudget({ ledger, prices, maxTokensPerCall: 100, ...options }).open({
    runId: 'run-1',
    task: 'Fix the bug.',
    ...(state === undefined ? {} : { state }),
  });
  return { session, ledger, view: createView() };
}

const usage = (fields: Partial<Usage>): Usage => ({ ...emptyUsage, ...fields });

const end = (fields: Partial<ModelCallEnd>): ModelCallEnd => ({
  outcome: 'completed',
  forced: false,
  reportedUsage: undefined,
  outputBytes: 0,
  restarts: 0,
  ...fields,
});

/** Appends an assistant message (text only) and a tool result to the view's history. */
function addTurn(view: MutableView, text: string, result: string): void {
  const messages: Message[] = [
    { role: 'assistant', content: text, toolCalls: [] },
    { role: 'tool', toolCallId: 'c', toolName: 't', result: { status: 'ok', output: result } },
  ];
  view.messages.push(...messages);
}

describe('createCostBudget reservations', () => {
  it('reserves the prompt estimate uncached plus maxTokensPerCall, and sends the ceiling', () => {
    const { session, ledger, view } = open();
    expect(session.beforeModel?.(view)).toEqual([
      {
        type: 'model-settings',
        settings: { maxTokens: 100, maxOutputBytes: 100, retryAfterOutput: false },
        source: 'cost-budget',
      },
    ]);
    expect(ledger.reservedMicros).toBe(firstReservation);
    expect(ledger.calls).toEqual([`reserve run-1#1 ${firstReservation}`]);
  });

  it('counts bytesPerToken bytes as a token, rounding up, and adds allowanceTokens', () => {
    const fewer = open({ bytesPerToken: 4 });
    fewer.session.beforeModel?.(fewer.view);
    // ceil(44 / 4) = 11 prompt tokens + 256.
    expect(fewer.ledger.reservedMicros).toBe((11 + 256) * 3 + 1500);
    const none = open({ allowanceTokens: 0, bytesPerToken: 3 });
    none.session.beforeModel?.(none.view);
    // ceil(44 / 3) = 15.
    expect(none.ledger.reservedMicros).toBe(15 * 3 + 1500);
  });

  it('estimates from the last reported prompt and answer plus the messages added since', () => {
    const { session, ledger, view } = open({ allowanceTokens: 0 });
    session.beforeModel?.(view);
    addTurn(view, 'abcd', 'xyz');
    session.onModelCallEnd?.(
      view,
      end({ reportedUsage: usage({ inputTokens: 1000, outputTokens: 50 }), outputBytes: 4 }),
    );
    addTurn(view, 'ab', '0123456789');
    session.beforeModel?.(view);
    // 1000 + 50 counted by the server, then "ab" (2 + 8) and the result (10 + 16) = 36 bytes.
    expect(ledger.calls.at(-1)).toBe(`reserve run-1#2 ${(1050 + 36) * 3 + 1500}`);
  });

  it('counts the whole history again once it is shorter than when last counted', () => {
    const { session, ledger, view } = open({ allowanceTokens: 0 });
    session.beforeModel?.(view);
    addTurn(view, 'abcd', 'xyz');
    session.onModelCallEnd?.(
      view,
      end({ reportedUsage: usage({ inputTokens: 1000, outputTokens: 50 }), outputBytes: 4 }),
    );
    // A compaction: the history is now the system message and the task only (44 bytes).
    view.messages.splice(2);
    session.beforeModel?.(view);
    expect(ledger.calls.at(-1)).toBe(`reserve run-1#2 ${44 * 3 + 1500}`);
  });

  it('counts the whole history while no call reported a credible prompt', () => {
    const { session, ledger, view } = open({ allowanceTokens: 0 });
    session.beforeModel?.(view);
    addTurn(view, 'abcd', 'xyz');
    // No usage reported: nothing to start the estimate from.
    session.onModelCallEnd?.(view, end({ outputBytes: 4 }));
    session.beforeModel?.(view);
    // 44 + (4 + 8) + (3 + 16) = 75 bytes.
    expect(ledger.calls.at(-1)).toBe(`reserve run-1#2 ${75 * 3 + 1500}`);
  });

  it('keeps the last estimate base when a call cut short reports usage', () => {
    const { session, ledger, view } = open({ allowanceTokens: 0 });
    session.beforeModel?.(view);
    addTurn(view, 'abcd', 'xyz');
    session.onModelCallEnd?.(
      view,
      end({
        outcome: 'left',
        reportedUsage: usage({ inputTokens: 5000, outputTokens: 3 }),
        outputBytes: 4,
      }),
    );
    session.beforeModel?.(view);
    // The cut call's usage does not describe a whole prompt and answer: counted from bytes.
    expect(ledger.calls.at(-1)).toBe(`reserve run-1#2 ${75 * 3 + 1500}`);
  });

  it('numbers its reservations run#1, run#2 … and reuses the number of a call not made', () => {
    const { session, ledger, view } = open();
    session.beforeModel?.(view);
    session.onModelCallEnd?.(view, end({ outcome: 'not-made' }));
    expect(ledger.calls.at(-1)).toBe('release run-1#1');
    expect(ledger.reservedMicros).toBe(0);
    expect(ledger.spentMicros).toBe(0);
    expect(session.snapshot?.()).toEqual({ version: 2, spentMicros: 0, calls: 0 });
    session.beforeModel?.(view);
    expect(ledger.calls.at(-1)).toMatch(/^reserve run-1#1 /);
    session.onModelCallEnd?.(
      view,
      end({ reportedUsage: usage({ inputTokens: 10, outputTokens: 1 }) }),
    );
    session.beforeModel?.(view);
    expect(ledger.calls.at(-1)).toMatch(/^reserve run-1#2 /);
    expect(session.snapshot?.()).toEqual({ version: 2, spentMicros: 10 * 3 + 15, calls: 2 });
  });

  it('refuses a call that would cross the cap, with the figures in its message and evidence', () => {
    const ledger = createCostLedger({ capUsd: 0.003 });
    const session = createCostBudget({
      ledger,
      prices,
      maxTokensPerCall: 100,
      name: 'money',
    }).open({ runId: 'r', task: 't' });
    const view = createView();
    session.beforeModel?.(view);
    session.onModelCallEnd?.(
      view,
      end({ reportedUsage: usage({ inputTokens: 100, outputTokens: 10 }) }),
    );
    view.turn = 1;
    // Spent 100 × 3 + 10 × 15 = 450. The next prompt is the 110 tokens the server counted
    // plus the 256 allowance: 366 × 3 + 1500 = 2598 would cross the 3000 cap. ($0.00045 shows
    // as $0.0004: the double nearest 0.00045 lies below it.)
    const message =
      'Refused a model call that could cost up to $0.0026: $0.0004 spent and $0.0000 reserved of the $0.003 cap.';
    const evidence = {
      capUsd: 0.003,
      spentUsd: 0.00045,
      reservedUsd: 0,
      worstCaseUsd: 0.002598,
      promptTokensEstimate: 366,
      maxTokens: 100,
      runSpentUsd: 0.00045,
      turn: 1,
    };
    expect(session.beforeModel?.(view)).toEqual([
      {
        type: 'emit',
        event: { name: 'budget.exhausted', policy: 'money', message, evidence },
      },
      { type: 'stop', reason: 'cost-budget', message, source: 'money', evidence },
    ]);
    expect(ledger.reservedMicros).toBe(0);
  });

  it('prices a model by provider/modelId before modelId', () => {
    const ledger = createCostLedger({ capUsd: 1 });
    const session = createCostBudget({
      ledger,
      prices: { ...prices, 'scripted/scripted-1': { inputPerMillion: 1, outputPerMillion: 2 } },
      maxTokensPerCall: 100,
    }).open({ runId: 'r', task: 't' });
    session.beforeModel?.(createView());
    expect(ledger.reservedMicros).toBe(300 * 1 + 100 * 2);
  });

  it('refuses a call of a model whose price is missing, naming the model and turn', () => {
    const { session, view } = open();
    const directives = session.beforeModel?.({
      ...view,
      model: { ...view.model, modelId: 'other-9' },
      turn: 4,
    });
    expect(directives?.[1]).toMatchObject({
      type: 'stop',
      reason: 'cost-budget',
      evidence: { modelId: 'other-9', turn: 4 },
    });
  });
});

describe('createCostBudget charges', () => {
  it('charges completed usage at the table price, with cached prompt tokens at theirs', () => {
    const { session, ledger, view } = open();
    session.beforeModel?.(view);
    const directives = session.onModelCallEnd?.(
      view,
      end({
        reportedUsage: usage({ inputTokens: 1000, cachedInputTokens: 400, outputTokens: 20 }),
        outputBytes: 80,
      }),
    );
    expect(directives).toBeUndefined();
    expect(ledger.calls.at(-1)).toBe(`settle run-1#1 ${600 * 3 + 400 * 0.3 + 20 * 15}`);
    expect(ledger.reservedMicros).toBe(0);
  });

  it('charges the backend’s own cost when it is higher than the table’s', () => {
    const { session, ledger, view } = open();
    session.beforeModel?.(view);
    session.onModelCallEnd?.(
      view,
      end({ reportedUsage: usage({ inputTokens: 10, outputTokens: 1, costUsd: 0.0012345 }) }),
    );
    // The table says 10 × 3 + 15 = 45; the backend billed 1234.5, rounded up.
    expect(ledger.spentMicros).toBe(1235);
  });

  it('charges the prompt again for every restart of the call', () => {
    const { session, ledger, view } = open();
    session.beforeModel?.(view);
    session.onModelCallEnd?.(
      view,
      end({ reportedUsage: usage({ inputTokens: 10, outputTokens: 1 }), restarts: 2 }),
    );
    // The usage's 10 prompt tokens plus twice the 300-token estimate.
    expect(ledger.spentMicros).toBe((10 + 2 * 300) * 3 + 15);
  });

  it('takes usage without output for a call that streamed nothing', () => {
    const { session, ledger, view } = open();
    session.beforeModel?.(view);
    const directives = session.onModelCallEnd?.(
      view,
      end({ reportedUsage: usage({ inputTokens: 10 }), outputBytes: 0 }),
    );
    expect(directives).toBeUndefined();
    expect(ledger.spentMicros).toBe(30);
  });

  it('charges the reservation for usage without output for a call that streamed, and says so', () => {
    const { session, ledger, view } = open({ name: 'money' });
    session.beforeModel?.(view);
    view.turn = 1;
    const directives = session.onModelCallEnd?.(
      view,
      end({ reportedUsage: usage({ inputTokens: 10 }), outputBytes: 7 }),
    );
    expect(ledger.spentMicros).toBe(firstReservation);
    expect(directives).toEqual([
      {
        type: 'emit',
        event: {
          name: 'usage.missing',
          policy: 'money',
          message:
            'A model call completed without reported usage was charged $0.0024 (its reservation; reserved $0.0024).',
          evidence: {
            outcome: 'completed',
            chargedUsd: 0.0024,
            reservedUsd: 0.0024,
            basis: 'reservation',
            outputBytes: 7,
            turn: 1,
          },
        },
      },
    ]);
  });

  it('charges the reservation for usage without prompt tokens, which cannot be true', () => {
    const { session, ledger, view } = open();
    session.beforeModel?.(view);
    const directives = session.onModelCallEnd?.(
      view,
      end({ reportedUsage: usage({ outputTokens: 5 }), outputBytes: 20 }),
    );
    expect(ledger.spentMicros).toBe(firstReservation);
    expect(directives?.[0]).toMatchObject({ event: { name: 'usage.missing' } });
  });

  it('charges a call cut short with output tokens reported from its usage', () => {
    const { session, ledger, view } = open();
    session.beforeModel?.(view);
    const directives = session.onModelCallEnd?.(
      view,
      end({
        outcome: 'left',
        reportedUsage: usage({ inputTokens: 200, outputTokens: 5 }),
        outputBytes: 20,
      }),
    );
    expect(directives).toBeUndefined();
    expect(ledger.spentMicros).toBe(200 * 3 + 5 * 15);
  });

  it('charges a call cut short without output tokens its prompt, restarts and streamed bytes', () => {
    const { session, ledger, view } = open({ maxTokensPerCall: 1000, inFlightTokens: 5 });
    session.beforeModel?.(view);
    const directives = session.onModelCallEnd?.(
      view,
      end({
        outcome: 'failed',
        reportedUsage: usage({ inputTokens: 200 }),
        outputBytes: 20,
        restarts: 1,
      }),
    );
    // Prompt 300 tokens twice, then 20 bytes + 5 in flight.
    const charged = 600 * 3 + 25 * 15;
    expect(ledger.spentMicros).toBe(charged);
    expect(directives?.[0]).toMatchObject({
      event: {
        message: `A model call cut short without reported usage was charged $0.0022 (its streamed output; reserved $0.0159).`,
        evidence: { outcome: 'failed', basis: 'streamed output', chargedUsd: charged / 1e6 },
      },
    });
  });

  it('charges a call cut short at most its reservation', () => {
    const { session, ledger, view } = open();
    session.beforeModel?.(view);
    session.onModelCallEnd?.(view, end({ outcome: 'left', outputBytes: 5000 }));
    expect(ledger.spentMicros).toBe(firstReservation);
  });

  it('charges a call cut short before any output from its prompt, not from its usage', () => {
    const { session, ledger, view } = open();
    session.beforeModel?.(view);
    session.onModelCallEnd?.(
      view,
      end({ outcome: 'left', reportedUsage: usage({ inputTokens: 200 }), outputBytes: 0 }),
    );
    // Usage without output says nothing of what was made after it: 300 × 3 + 32 in flight × 15.
    expect(ledger.spentMicros).toBe(300 * 3 + 32 * 15);
  });

  it("charges a call cut short its whole reservation with cutShortCharge: 'reservation'", () => {
    const { session, ledger, view } = open({ cutShortCharge: 'reservation' });
    session.beforeModel?.(view);
    const directives = session.onModelCallEnd?.(view, end({ outcome: 'left', outputBytes: 1 }));
    expect(ledger.spentMicros).toBe(firstReservation);
    expect(directives?.[0]).toMatchObject({
      event: { evidence: { basis: 'reservation', outcome: 'left' } },
    });
  });

  it('ignores call ends with no reservation open', () => {
    const { session, ledger, view } = open();
    expect(
      session.onModelCallEnd?.(view, end({ reportedUsage: usage({ inputTokens: 9 }) })),
    ).toBeUndefined();
    expect(ledger.calls).toEqual([]);
  });
});

describe('createCostBudget with hosts that never report call ends', () => {
  it('settles in afterModel from the step usage, or the reservation when it has no output', () => {
    const metered = open();
    metered.session.beforeModel?.(metered.view);
    metered.session.afterModel?.(metered.view, {
      message: { role: 'assistant', content: 'x', toolCalls: [] },
      finishReason: 'stop',
      usage: usage({ inputTokens: 100, outputTokens: 2 }),
      durationMs: 1,
    });
    expect(metered.ledger.spentMicros).toBe(330);
    const unmetered = open();
    unmetered.session.beforeModel?.(unmetered.view);
    unmetered.session.afterModel?.(unmetered.view, {
      message: { role: 'assistant', content: 'x', toolCalls: [] },
      finishReason: 'stop',
      usage: usage({ inputTokens: 100 }),
      durationMs: 1,
    });
    expect(unmetered.ledger.spentMicros).toBe(firstReservation);
  });

  it('does not charge twice in afterModel a call already settled', () => {
    const { session, ledger, view } = open();
    session.beforeModel?.(view);
    session.onModelCallEnd?.(
      view,
      end({ reportedUsage: usage({ inputTokens: 10, outputTokens: 1 }) }),
    );
    session.afterModel?.(view, {
      message: { role: 'assistant', content: 'x', toolCalls: [] },
      finishReason: 'stop',
      usage: usage({ inputTokens: 10, outputTokens: 1 }),
      durationMs: 1,
    });
    expect(ledger.spentMicros).toBe(45);
  });

  it('settles an open call at the next beforeModel from the usage the run added', () => {
    const { session, ledger, view } = open();
    view.usage = usage({ inputTokens: 50, cachedInputTokens: 10, outputTokens: 1 });
    session.beforeModel?.(view);
    view.usage = usage({ inputTokens: 1050, cachedInputTokens: 410, outputTokens: 21 });
    session.beforeModel?.(view);
    // Added: 1000 prompt tokens of which 400 cached, 20 output.
    expect(ledger.calls[1]).toBe(`settle run-1#1 ${600 * 3 + 400 * 0.3 + 20 * 15}`);
  });

  it('settles an open call at the next beforeModel at its reservation when no output was added', () => {
    const { session, ledger, view } = open();
    session.beforeModel?.(view);
    view.usage = usage({ inputTokens: 1000 });
    session.beforeModel?.(view);
    expect(ledger.calls[1]).toBe(`settle run-1#1 ${firstReservation}`);
  });
});

describe('createCostBudget forced answers and restarts', () => {
  it('settles an open call in full before reserving the forced answer', () => {
    const { session, ledger, view } = open();
    session.beforeModel?.(view);
    expect(session.beforeForcedAnswer?.(view)).toEqual([
      {
        type: 'model-settings',
        settings: { maxTokens: 100, maxOutputBytes: 100, retryAfterOutput: false },
        source: 'cost-budget',
      },
    ]);
    expect(ledger.calls).toEqual([
      `reserve run-1#1 ${firstReservation}`,
      `settle run-1#1 ${firstReservation}`,
      `reserve run-1#2 ${firstReservation}`,
    ]);
  });

  it('refuses a forced answer that would cross the cap', () => {
    const ledger = createCostLedger({ capUsd: 0.003 });
    const session = createCostBudget({ ledger, prices, maxTokensPerCall: 100 }).open({
      runId: 'r',
      task: 't',
    });
    const view = createView();
    session.beforeModel?.(view);
    expect(session.beforeForcedAnswer?.(view)?.[1]).toMatchObject({
      type: 'stop',
      reason: 'cost-budget',
    });
  });

  it('restores what was spent into its own ledger, but not into a shared one', () => {
    const state = { version: 2, spentMicros: 2_000, calls: 3 };
    const own = createCostBudget({ capUsd: 0.003, prices, maxTokensPerCall: 100 }).open({
      runId: 'r',
      task: 't',
      state,
    });
    // 2000 spent + 2400 worst case cross the $0.003 cap.
    expect(own.beforeModel?.(createView())?.[1]).toMatchObject({ type: 'stop' });
    expect(own.snapshot?.()).toEqual(state);
    const shared = recordingLedger(0.003);
    const resumed = createCostBudget({ ledger: shared, prices, maxTokensPerCall: 100 }).open({
      runId: 'r',
      task: 't',
      state,
    });
    expect(resumed.beforeModel?.(createView())?.[0]).toMatchObject({ type: 'model-settings' });
    expect(shared.calls).toEqual([`reserve r#4 ${firstReservation}`]);
  });

  it('reads a version 1 state in dollars as micro-dollars, rounded up', () => {
    const session = createCostBudget({ capUsd: 1, prices, maxTokensPerCall: 100 }).open({
      runId: 'r',
      task: 't',
      state: { version: 1, spentUsd: 0.0000105, calls: 2 },
    });
    expect(session.snapshot?.()).toEqual({ version: 2, spentMicros: 11, calls: 2 });
  });

  it('refuses a version 1 state whose fields are not numbers', () => {
    for (const state of [
      { version: 1, spentUsd: '1', calls: 2 },
      { version: 1, spentUsd: 1, calls: '2' },
    ]) {
      expect(() =>
        createCostBudget({ capUsd: 1, prices, maxTokensPerCall: 100 }).open({
          runId: 'r',
          task: 't',
          state,
        }),
      ).toThrow(/cost-budget/);
    }
  });
});

describe('createCostBudget options', () => {
  const refusal = (options: unknown): InvalidOptionsError => {
    try {
      createCostBudget(options as CostBudgetOptions);
    } catch (error) {
      if (error instanceof InvalidOptionsError) return error;
      throw error;
    }
    throw new Error('createCostBudget accepted the options');
  };

  it('needs a cap ≥ 0 or a ledger, naming the value received', () => {
    expect(refusal({ capUsd: -1, prices, maxTokensPerCall: 1 })).toMatchObject({
      field: 'capUsd',
      message:
        'createCostBudget() needs capUsd (a number of US dollars ≥ 0) or a shared ledger; received capUsd -1.',
    });
    expect(refusal({ capUsd: '3', prices, maxTokensPerCall: 1 }).field).toBe('capUsd');
    expect(() => createCostBudget({ capUsd: 0, prices, maxTokensPerCall: 1 })).not.toThrow();
    const ledger = createCostLedger({ capUsd: 1 });
    expect(() => createCostBudget({ ledger, prices, maxTokensPerCall: 1 })).not.toThrow();
  });

  it('refuses no options at all as a missing cap', () => {
    expect(refusal(undefined)).toMatchObject({
      field: 'capUsd',
      message:
        'createCostBudget() needs capUsd (a number of US dollars ≥ 0) or a shared ledger; received capUsd undefined.',
    });
  });

  it('holds a run under its own capUsd when no ledger is shared', () => {
    const session = createCostBudget({ capUsd: 0.003, prices, maxTokensPerCall: 100 }).open({
      runId: 'r',
      task: 't',
    });
    const view = createView();
    // 2400 of 3000 reserved: granted; a second 2400 after it is not.
    expect(session.beforeModel?.(view)?.[0]).toMatchObject({ type: 'model-settings' });
    expect(session.beforeForcedAnswer?.(view)?.[1]).toMatchObject({ type: 'stop' });
  });

  it('needs a price table', () => {
    for (const table of [null, undefined, 'gpt']) {
      expect(refusal({ capUsd: 1, prices: table, maxTokensPerCall: 1 })).toMatchObject({
        field: 'prices',
        message:
          "createCostBudget() needs prices, e.g. { 'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 } }.",
      });
    }
    expect(
      refusal({ capUsd: 1, prices: { m: { inputPerMillion: -1 } }, maxTokensPerCall: 1 }).field,
    ).toBe('prices');
  });

  it('needs maxTokensPerCall a positive whole number', () => {
    for (const maxTokensPerCall of [0, 1.5, -3, Number.NaN]) {
      expect(refusal({ capUsd: 1, prices, maxTokensPerCall }).field).toBe('maxTokensPerCall');
    }
  });

  it('needs bytesPerToken ≥ 1 and finite', () => {
    for (const bytesPerToken of [0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(refusal({ capUsd: 1, prices, maxTokensPerCall: 1, bytesPerToken })).toMatchObject({
        field: 'bytesPerToken',
        message: `bytesPerToken is ${String(bytesPerToken)}; use a number ≥ 1 (1 bounds any byte-level tokenizer).`,
      });
    }
    expect(() =>
      createCostBudget({ capUsd: 1, prices, maxTokensPerCall: 1, bytesPerToken: 1 }),
    ).not.toThrow();
  });
});
