import { describe, expect, it } from 'vitest';
import { raceAbort } from './race-abort.js';

const never = () => new Promise<string>(() => {});

describe('raceAbort', () => {
  it('rejects at once with the reason of a signal aborted before the race', async () => {
    const reason = new Error('Interrupted by the user before it finished.');
    await expect(raceAbort(never(), AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('rejects with the reason as soon as the signal aborts, and ignores the late failure of the work', async () => {
    const controller = new AbortController();
    let fail: (error: Error) => void = () => {};
    const work = new Promise<string>((_, reject) => {
      fail = reject;
    });
    const racing = raceAbort(work, controller.signal);

    controller.abort(new Error('timed out'));
    await expect(racing).rejects.toThrow('timed out');
    // No unhandled rejection: the race already settled.
    fail(new Error('late'));
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it("settles with the work's value or failure when the signal stays quiet", async () => {
    const signal = new AbortController().signal;
    await expect(raceAbort(Promise.resolve('done'), signal)).resolves.toBe('done');
    await expect(raceAbort(Promise.reject(new Error('tool failed')), signal)).rejects.toThrow(
      'tool failed',
    );
  });
});
