import { describe, expect, it } from 'vitest';
import { toWarning } from './intervention-policy.js';
import type { Finding } from './monitor.js';

const finding = (overrides: Partial<Finding>): Finding => ({
  monitor: 'm',
  category: 'stuck',
  pattern: 'p',
  event: 'stuck.detected',
  message: 'Same call three times.',
  turn: 3,
  evidence: {},
  ...overrides,
});

describe('toWarning', () => {
  it('names a stuck agent and its repeated action', () => {
    expect(toWarning(finding({ action: 'bash ls -la' }))).toBe(
      'You appear to be stuck: Same call three times. The repeated action was:\nbash ls -la\n Do not repeat it; try a different approach.',
    );
  });

  it('names a stuck agent without an action when the finding has none', () => {
    expect(toWarning(finding({}))).toBe(
      'You appear to be stuck: Same call three times. Do not repeat it; try a different approach.',
    );
  });

  it.each([
    ['analysis-paralysis', 'Stop planning and take the next concrete action.'],
    ['rogue-actions', 'Take one action at a time and read its result before the next.'],
    [
      'premature-disengagement',
      'Verify your last edit (run the tests or a reproduction) before finishing.',
    ],
  ])('follows an overthinking finding of pattern %s with its advice', (pattern, advice) => {
    const warning = toWarning(
      finding({ category: 'overthinking', pattern, message: 'Ten turns without acting.' }),
    );
    expect(warning).toBe(`Ten turns without acting. ${advice}`);
  });

  it('gives an overthinking finding of another pattern as its message alone, trimmed', () => {
    expect(
      toWarning(
        finding({
          category: 'overthinking',
          pattern: 'other',
          message: 'Ten turns without acting.',
        }),
      ),
    ).toBe('Ten turns without acting.');
  });

  it("prefixes any other category's message with 'Warning:', the action left out", () => {
    for (const category of ['drift', 'predicted-failure', 'custom'])
      expect(toWarning(finding({ category, action: 'bash ls' }))).toBe(
        'Warning: Same call three times.',
      );
  });
});
