import { describe, expect, it } from 'vitest';
import { toolResultText } from './message.js';

describe('toolResultText', () => {
  it('renders each kind of result as the model reads it', () => {
    expect(toolResultText({ status: 'ok', output: '42' })).toBe('42');
    expect(
      toolResultText({
        status: 'error',
        error: { code: 'tool-timeout', message: 'Took too long.' },
      }),
    ).toBe('Error (tool-timeout): Took too long.');
    expect(toolResultText({ status: 'cancelled', reason: 'Interrupted.' })).toBe(
      'Cancelled: Interrupted.',
    );
  });
});
