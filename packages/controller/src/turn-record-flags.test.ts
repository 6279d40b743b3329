import { describe, expect, it } from 'vitest';
import {
  actionPreviewLength,
  fromToolOutcome,
  type TurnAction,
  type TurnObservation,
  toObservedTurn,
} from './turn-record.js';

const observe = (
  actions: readonly TurnAction[],
  observations: readonly TurnObservation[] = [],
  finishReason?: string,
) =>
  toObservedTurn({
    turn: 3,
    text: 'answer',
    actions,
    observations,
    ...(finishReason === undefined ? {} : { finishReason }),
  });

const failed = { name: 'bash', status: 'error', text: 'Error (exit): 1' } as const;
const passed = { name: 'bash', status: 'ok', text: 'done' } as const;

describe('toObservedTurn flags', () => {
  it('says all observations failed only when there is at least one and each failed', () => {
    const action = { name: 'bash', arguments: 'ls' };
    expect(observe([action], [])).toMatchObject({ allErrors: false, errorCount: 0 });
    expect(observe([action], [failed])).toMatchObject({ allErrors: true, errorCount: 1 });
    expect(observe([action, action], [failed, failed])).toMatchObject({
      allErrors: true,
      errorCount: 2,
    });
    expect(observe([action, action], [failed, passed])).toMatchObject({
      allErrors: false,
      errorCount: 1,
    });
  });

  it('counts a context-window error only for a length cut with no action', () => {
    const action = { name: 'bash', arguments: 'ls' };
    expect(observe([], [], 'length')).toMatchObject({ hasAction: false, contextWindowError: true });
    expect(observe([], [], 'stop')).toMatchObject({ hasAction: false, contextWindowError: false });
    expect(observe([], [])).toMatchObject({ hasAction: false, contextWindowError: false });
    expect(observe([action], [passed], 'length')).toMatchObject({
      hasAction: true,
      contextWindowError: false,
    });
    expect(observe([action], [passed], 'tool_calls').contextWindowError).toBe(false);
  });
});

describe('toObservedTurn action preview', () => {
  it('is 200 characters long', () => {
    expect(actionPreviewLength).toBe(200);
  });

  it('keeps the first 200 characters when an argument runs past them', () => {
    // 'bash' + ' ' = 5 characters, then 195 of the 300 'x'
    const preview = observe([{ name: 'bash', arguments: 'x'.repeat(300) }]).actionPreview;
    expect(preview).toBe(`bash ${'x'.repeat(195)}`);
    expect(preview).toHaveLength(200);
  });

  it('cuts inside a later action, counting the line break', () => {
    // 'a ' + 150 'y' = 152, '\n' = 153, 'b ' = 155, then 45 of the 100 'z'
    const preview = observe([
      { name: 'a', arguments: 'y'.repeat(150) },
      { name: 'b', arguments: 'z'.repeat(100) },
    ]).actionPreview;
    expect(preview).toBe(`a ${'y'.repeat(150)}\nb ${'z'.repeat(45)}`);
  });

  it('keeps actions of exactly 200 characters and cuts one of 201', () => {
    const exact = `cat ${'p'.repeat(196)}`; // 4 + 196 = 200
    expect(observe([{ name: 'cat', arguments: 'p'.repeat(196) }]).actionPreview).toBe(exact);
    expect(observe([{ name: 'cat', arguments: 'p'.repeat(197) }]).actionPreview).toBe(exact);
    expect(observe([{ name: 'cat', arguments: 'p'.repeat(195) }]).actionPreview).toBe(
      `cat ${'p'.repeat(195)}`,
    );
  });

  it('is a short action whole, and empty with no action', () => {
    expect(
      observe([
        { name: 'ls', arguments: '-la' },
        { name: 'pwd', arguments: '' },
      ]).actionPreview,
    ).toBe('ls -la\npwd ');
    expect(observe([]).actionPreview).toBe('');
  });
});

describe('fromToolOutcome', () => {
  const call = { id: 'call-1', name: 'bash', arguments: '{"command":"ls"}' };

  it('keeps the call’s name and raw arguments and the result’s text and status', () => {
    expect(fromToolOutcome(call, { status: 'ok', output: 'README.md' })).toEqual({
      action: { name: 'bash', arguments: '{"command":"ls"}' },
      observation: { name: 'bash', status: 'ok', text: 'README.md' },
    });
  });

  it('renders an error and a cancellation as the model reads them', () => {
    expect(
      fromToolOutcome(call, { status: 'error', error: { code: 'exit', message: 'code 2' } }),
    ).toEqual({
      action: { name: 'bash', arguments: '{"command":"ls"}' },
      observation: { name: 'bash', status: 'error', text: 'Error (exit): code 2' },
    });
    expect(fromToolOutcome(call, { status: 'cancelled', reason: 'interrupted' })).toEqual({
      action: { name: 'bash', arguments: '{"command":"ls"}' },
      observation: { name: 'bash', status: 'cancelled', text: 'Cancelled: interrupted' },
    });
  });
});
