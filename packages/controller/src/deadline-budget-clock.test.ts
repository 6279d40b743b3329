import { InvalidOptionsError, type RunView } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createView } from '../test/replay.js';
import { createDeadlineBudget, type DeadlineBudgetOptions } from './deadline-budget.js';
import { ControllerStateError } from './errors/controller-state-error.js';

/** A view of a run started at clock 1000, now `elapsedMs` later, at turn 3. */
const at = (elapsedMs: number): RunView => ({
  ...createView(),
  startedAt: 1000,
  now: 1000 + elapsedMs,
  turn: 3,
});

const open = (options: DeadlineBudgetOptions, state?: unknown) =>
  createDeadlineBudget(options).open({ runId: 'r', task: 't', state });

describe('createDeadlineBudget options', () => {
  it('refuses a deadline that is not a positive number, naming the value', () => {
    const cases: [unknown, string][] = [
      [0, '0'],
      [-1, '-1'],
      [Number.NaN, 'NaN'],
      ['60000', '60000'],
      [undefined, 'undefined'],
    ];
    for (const [deadlineMs, shown] of cases) {
      const create = () => createDeadlineBudget({ deadlineMs } as DeadlineBudgetOptions);
      expect(create).toThrow(InvalidOptionsError);
      expect(create).toThrow(
        `createDeadlineBudget() deadlineMs is ${shown}; use a positive number of milliseconds.`,
      );
      expect(create).toThrow(expect.objectContaining({ field: 'deadlineMs' }));
    }
    const none = () => createDeadlineBudget(undefined as unknown as DeadlineBudgetOptions);
    expect(none).toThrow(InvalidOptionsError);
    expect(none).toThrow('createDeadlineBudget() deadlineMs is undefined;');
  });

  it('accepts the smallest deadline and is named deadline by default', () => {
    expect(createDeadlineBudget({ deadlineMs: 1 }).name).toBe('deadline');
    expect(createDeadlineBudget({ deadlineMs: 0.5 }).name).toBe('deadline');
    expect(createDeadlineBudget({ deadlineMs: 1, name: 'wall' }).name).toBe('wall');
  });
});

describe('createDeadlineBudget', () => {
  it('stops once the time since the start reaches the deadline, not before', () => {
    const session = open({ deadlineMs: 10_000, warnAt: false });
    expect(session.beforeModel?.(at(9_999))).toBeUndefined();
    const evidence = { elapsedMs: 10_000, deadlineMs: 10_000, turn: 3 };
    const message = 'The deadline of 10000 ms has passed (10000 ms elapsed).';
    expect(session.beforeModel?.(at(10_000))).toEqual([
      {
        type: 'emit',
        event: { name: 'budget.exhausted', policy: 'deadline', message, evidence },
      },
      {
        type: 'stop',
        reason: 'deadline',
        message,
        source: 'deadline',
        evidence,
        finalAnswer: 'force',
      },
    ]);
  });

  it('measures the time from the start, not from clock zero', () => {
    // Started at 1000, now 6000: 5000 ms elapsed, half of 10 s, below the default 0.8.
    const session = open({ deadlineMs: 10_000 });
    expect(session.beforeModel?.(at(5_000))).toBeUndefined();
  });

  it('ends the run with no final answer when asked, under its own name', () => {
    const session = open({ deadlineMs: 2_000, finalAnswer: 'none', name: 'wall' });
    const evidence = { elapsedMs: 2_500, deadlineMs: 2_000, turn: 3 };
    const message = 'The deadline of 2000 ms has passed (2500 ms elapsed).';
    expect(session.beforeModel?.(at(2_500))).toEqual([
      { type: 'emit', event: { name: 'budget.exhausted', policy: 'wall', message, evidence } },
      { type: 'stop', reason: 'deadline', message, source: 'wall', evidence },
    ]);
  });

  it('warns once at 80% of the time by default, with the seconds left rounded up', () => {
    const session = open({ deadlineMs: 10_000 });
    expect(session.snapshot?.()).toEqual({ version: 1, warned: false });
    // 0.8 · 10 000 = 8000 ms.
    expect(session.beforeModel?.(at(7_999))).toBeUndefined();
    // 10 000 − 8 000 = 2000 ms left: 2 seconds.
    const content = 'About 2 seconds are left. Finish the task soon.';
    expect(session.beforeModel?.(at(8_000))).toEqual([
      { type: 'inject', role: 'user', content, ephemeral: true, source: 'deadline' },
      {
        type: 'emit',
        event: {
          name: 'budget.warning',
          policy: 'deadline',
          message: content,
          evidence: { elapsedMs: 8_000, deadlineMs: 10_000, turn: 3 },
        },
      },
    ]);
    expect(session.snapshot?.()).toEqual({ version: 1, warned: true });
    expect(session.beforeModel?.(at(8_500))).toBeUndefined();
    expect(session.beforeModel?.(at(9_999))).toBeUndefined();
  });

  it('fills every {left_seconds} of a custom warning at a custom share', () => {
    const session = open({
      deadlineMs: 60_000,
      warnAt: 0.5,
      warning: '{left_seconds}s left ({left_seconds} s).',
    });
    // 0.5 · 60 000 = 30 000 ms.
    expect(session.beforeModel?.(at(29_999))).toBeUndefined();
    // 60 000 − 30 999 = 29 001 ms left: 29.001 s, rounded up to 30.
    expect(session.beforeModel?.(at(30_999))?.[0]).toEqual({
      type: 'inject',
      role: 'user',
      content: '30s left (30 s).',
      ephemeral: true,
      source: 'deadline',
    });
  });

  it('never warns when warnAt is false', () => {
    const session = open({ deadlineMs: 10_000, warnAt: false });
    for (const elapsedMs of [0, 1, 8_000, 9_999]) {
      expect(session.beforeModel?.(at(elapsedMs))).toBeUndefined();
    }
    expect(session.snapshot?.()).toEqual({ version: 1, warned: false });
  });

  it('resumes from its snapshot: warned stays warned, not warned warns', () => {
    const warned = open({ deadlineMs: 10_000 }, { version: 1, warned: true });
    expect(warned.beforeModel?.(at(9_000))).toBeUndefined();
    expect(warned.snapshot?.()).toEqual({ version: 1, warned: true });
    const notWarned = open({ deadlineMs: 10_000 }, { version: 1, warned: false });
    expect(notWarned.beforeModel?.(at(9_000))).toHaveLength(2);
    expect(() => open({ deadlineMs: 10_000 }, { version: 2, warned: true })).toThrow(
      ControllerStateError,
    );
  });
});
