import type { Interrupt } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { toIntentText } from './intent-text.js';

const update = (kind: Interrupt['kind'], text: string, turn: number): Interrupt => ({
  id: `i${turn}`,
  kind,
  text,
  turn,
  urgency: 'next-turn',
  receivedAt: turn,
});

describe('toIntentText', () => {
  it('lists the updates that change the task, numbered in order, leaving out stops and empty ones', () => {
    const updates = [
      update('revision', 'Only the OAuth flow.', 2),
      update('stop', 'Halt.', 3),
      update('addition', '', 4),
      update('addition', 'Add a regression test.', 5),
    ];
    expect(toIntentText('Fix the login bug.', updates)).toBe(
      'Fix the login bug.\n\nUpdates since:\n1. (revision) Only the OAuth flow.\n2. (addition) Add a regression test.',
    );
  });

  it('is the task alone when no update changes it', () => {
    expect(toIntentText('Fix the login bug.', [])).toBe('Fix the login bug.');
    expect(toIntentText('Fix the login bug.', [update('stop', 'Halt.', 1)])).toBe(
      'Fix the login bug.',
    );
  });
});
