import { emptyUsage, InvalidOptionsError, type RunView } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createView } from '../test/replay.js';
import { ControllerStateError } from './errors/controller-state-error.js';
import { createTokenBudget, type TokenBudgetOptions } from './token-budget.js';

/** A view at turn 4 whose run used these tokens (cached and reasoning tokens are parts of them). */
const used = (inputTokens: number, outputTokens: number): RunView => ({
  ...createView(),
  turn: 4,
  usage: {
    ...emptyUsage,
    inputTokens,
    outputTokens,
    cachedInputTokens: Math.floor(inputTokens / 2),
    reasoningTokens: Math.floor(outputTokens / 2),
  },
});

const open = (options: TokenBudgetOptions, state?: unknown) =>
  createTokenBudget(options).open({ runId: 'r', task: 't', state });

describe('createTokenBudget options', () => {
  it('refuses a limit that is not a positive number, naming the value', () => {
    const cases: [unknown, string][] = [
      [0, '0'],
      [-5, '-5'],
      [Number.NaN, 'NaN'],
      ['1000', '1000'],
      [undefined, 'undefined'],
    ];
    for (const [maxTokens, shown] of cases) {
      const create = () => createTokenBudget({ maxTokens } as TokenBudgetOptions);
      expect(create).toThrow(InvalidOptionsError);
      expect(create).toThrow(
        `createTokenBudget() maxTokens is ${shown}; use a positive number of tokens.`,
      );
      expect(create).toThrow(expect.objectContaining({ field: 'maxTokens' }));
    }
    const none = () => createTokenBudget(undefined as unknown as TokenBudgetOptions);
    expect(none).toThrow(InvalidOptionsError);
    expect(none).toThrow('createTokenBudget() maxTokens is undefined;');
  });

  it('accepts the smallest limit and is named token-budget by default', () => {
    expect(createTokenBudget({ maxTokens: 1 }).name).toBe('token-budget');
    expect(createTokenBudget({ maxTokens: 1, name: 'tokens' }).name).toBe('tokens');
  });
});

describe('createTokenBudget', () => {
  it('stops once prompt plus completion tokens reach the limit, not before', () => {
    const session = open({ maxTokens: 1000, warnAt: false });
    // 600 + 399 = 999.
    expect(session.beforeModel?.(used(600, 399))).toBeUndefined();
    // 600 + 400 = 1000.
    const evidence = { usedTokens: 1000, maxTokens: 1000, turn: 4 };
    const message = 'The token budget of 1000 tokens is used up (1000 used).';
    expect(session.beforeModel?.(used(600, 400))).toEqual([
      {
        type: 'emit',
        event: { name: 'budget.exhausted', policy: 'token-budget', message, evidence },
      },
      {
        type: 'stop',
        reason: 'token-budget',
        message,
        source: 'token-budget',
        evidence,
        finalAnswer: 'force',
      },
    ]);
  });

  it('ends the run with no final answer when asked, under its own name', () => {
    const session = open({ maxTokens: 100, finalAnswer: 'none', name: 'tokens' });
    const evidence = { usedTokens: 130, maxTokens: 100, turn: 4 };
    const message = 'The token budget of 100 tokens is used up (130 used).';
    expect(session.beforeModel?.(used(100, 30))).toEqual([
      { type: 'emit', event: { name: 'budget.exhausted', policy: 'tokens', message, evidence } },
      { type: 'stop', reason: 'token-budget', message, source: 'tokens', evidence },
    ]);
  });

  it('warns once at 80% of the limit by default', () => {
    const session = open({ maxTokens: 1000 });
    expect(session.snapshot?.()).toEqual({ version: 1, warned: false });
    // 0.8 · 1000 = 800 tokens; 700 + 99 = 799.
    expect(session.beforeModel?.(used(700, 99))).toBeUndefined();
    const content = 'You have used 800 of 1000 tokens. Finish the task soon.';
    expect(session.beforeModel?.(used(700, 100))).toEqual([
      { type: 'inject', role: 'user', content, ephemeral: true, source: 'token-budget' },
      {
        type: 'emit',
        event: {
          name: 'budget.warning',
          policy: 'token-budget',
          message: content,
          evidence: { usedTokens: 800, maxTokens: 1000, turn: 4 },
        },
      },
    ]);
    expect(session.snapshot?.()).toEqual({ version: 1, warned: true });
    expect(session.beforeModel?.(used(800, 100))).toBeUndefined();
    expect(session.beforeModel?.(used(800, 199))).toBeUndefined();
  });

  it('fills every {used}, {max} and {left} of a custom warning at a custom share', () => {
    const session = open({
      maxTokens: 2000,
      warnAt: 0.5,
      warning: '{used}/{max}, {left} left; {used} used, {left} to go.',
    });
    // 0.5 · 2000 = 1000 tokens.
    expect(session.beforeModel?.(used(900, 99))).toBeUndefined();
    // 1200 used: 2000 − 1200 = 800 left.
    expect(session.beforeModel?.(used(1000, 200))?.[0]).toEqual({
      type: 'inject',
      role: 'user',
      content: '1200/2000, 800 left; 1200 used, 800 to go.',
      ephemeral: true,
      source: 'token-budget',
    });
  });

  it('never warns when warnAt is false', () => {
    const session = open({ maxTokens: 1000, warnAt: false });
    for (const [input, output] of [
      [0, 0],
      [1, 0],
      [800, 0],
      [900, 99],
    ] as const) {
      expect(session.beforeModel?.(used(input, output))).toBeUndefined();
    }
    expect(session.snapshot?.()).toEqual({ version: 1, warned: false });
  });

  it('resumes from its snapshot: warned stays warned, not warned warns', () => {
    const warned = open({ maxTokens: 1000 }, { version: 1, warned: true });
    expect(warned.beforeModel?.(used(900, 0))).toBeUndefined();
    expect(warned.snapshot?.()).toEqual({ version: 1, warned: true });
    const notWarned = open({ maxTokens: 1000 }, { version: 1, warned: false });
    expect(notWarned.beforeModel?.(used(900, 0))).toHaveLength(2);
    expect(() => open({ maxTokens: 1000 }, { version: 0, warned: true })).toThrow(
      ControllerStateError,
    );
  });
});
