import type { Interrupt } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createInterruptMailbox } from './interrupt-mailbox.js';

const interrupt = (urgency: 'now' | 'next-turn', id = 'i1'): Interrupt => ({
  id,
  kind: 'revision',
  text: 'Use the staging database.',
  urgency,
  receivedAt: 0,
  turn: 1,
});

describe('calls in flight and urgent interruptions', () => {
  it('rejects a waiting race at once on an urgent interruption, and aborts a signal read before', async () => {
    const mailbox = createInterruptMailbox();
    const flight = mailbox.track('thread-1', 'run-1');
    const signal = flight.signal;
    const racing = flight.race(new Promise<string>(() => {}));

    mailbox.post(interrupt('now'), { threadId: 'thread-1' });

    await expect(racing).rejects.toThrow('Interrupted by the user before it finished.');
    expect(flight.interrupted()).toBe(true);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('Interrupted by the user before it finished.');
    flight.done();
  });

  it('gives an aborted signal and a rejected race when they are first asked for after the interruption', async () => {
    const mailbox = createInterruptMailbox();
    const flight = mailbox.track('thread-1', 'run-1');

    mailbox.post(interrupt('now'), { runId: 'run-1' });

    expect(flight.signal.aborted).toBe(true);
    await expect(flight.race(Promise.resolve('late'))).rejects.toThrow(
      'Interrupted by the user before it finished.',
    );
    flight.done();
  });

  it('lets the work settle the race when no urgent interruption comes, and leaves the signal alone', async () => {
    const mailbox = createInterruptMailbox();
    const flight = mailbox.track('thread-1', 'run-1');

    mailbox.post(interrupt('next-turn'), { threadId: 'thread-1' });
    mailbox.post(interrupt('now', 'i2'), { threadId: 'thread-2' });

    await expect(flight.race(Promise.resolve('done'))).resolves.toBe('done');
    await expect(flight.race(Promise.reject(new Error('tool failed')))).rejects.toThrow(
      'tool failed',
    );
    expect(flight.interrupted()).toBe(false);
    expect(flight.signal.aborted).toBe(false);
    expect(mailbox.take('thread-1', 'run-1').map((taken) => taken.id)).toEqual(['i1']);
    flight.done();
  });

  it('no longer aborts a call once it is done', () => {
    const mailbox = createInterruptMailbox();
    const flight = mailbox.track(undefined, 'run-1');
    const signal = flight.signal;
    flight.done();

    mailbox.post(interrupt('now'), {});

    expect(flight.interrupted()).toBe(false);
    expect(signal.aborted).toBe(false);
  });
});
