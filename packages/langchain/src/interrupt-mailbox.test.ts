import type { Interrupt } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createInterruptMailbox } from './interrupt-mailbox.js';

const interrupt = (urgency: 'now' | 'next-turn', id = 'i1', receivedAt = 0): Interrupt => ({
  id,
  kind: 'revision',
  text: 'Use the staging database.',
  urgency,
  receivedAt,
  turn: 1,
});
const ids = (taken: readonly Interrupt[]) => taken.map((entry) => entry.id);

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

describe('where a queued interruption goes', () => {
  it('gives one addressed to a run to that run only, whatever its thread', () => {
    const mailbox = createInterruptMailbox();
    mailbox.post(interrupt('next-turn', 'for-run-1'), { runId: 'run-1', threadId: 'thread-2' });

    expect(mailbox.take('thread-2', 'run-2')).toEqual([]);
    expect(ids(mailbox.take('thread-1', 'run-1'))).toEqual(['for-run-1']);
    expect(mailbox.take('thread-1', 'run-1')).toEqual([]);
  });

  it('gives one addressed to a thread to the runs of that thread only', () => {
    const mailbox = createInterruptMailbox();
    mailbox.post(interrupt('next-turn', 'for-thread-1'), { threadId: 'thread-1' });

    expect(mailbox.take('thread-2', 'run-1')).toEqual([]);
    expect(mailbox.take(undefined, 'run-1')).toEqual([]);
    expect(ids(mailbox.take('thread-1', 'run-9'))).toEqual(['for-thread-1']);
  });

  it('gives one addressed to no one to the next decision point of any run, with or without a thread', () => {
    const mailbox = createInterruptMailbox();
    mailbox.post(interrupt('next-turn', 'first'), {});

    expect(ids(mailbox.take(undefined, 'run-1'))).toEqual(['first']);

    mailbox.post(interrupt('next-turn', 'second'), {});
    expect(ids(mailbox.take('thread-7', 'run-2'))).toEqual(['second']);
  });

  it('hands over what one decision point takes in the order it arrived, whoever it was addressed to', () => {
    const mailbox = createInterruptMailbox();
    mailbox.post(interrupt('next-turn', 'to-any', 3), {});
    mailbox.post(interrupt('next-turn', 'to-run', 1), { runId: 'run-1' });
    mailbox.post(interrupt('next-turn', 'to-thread', 2), { threadId: 'thread-1' });
    mailbox.post(interrupt('next-turn', 'to-run-later', 4), { runId: 'run-1' });

    expect(ids(mailbox.take('thread-1', 'run-1'))).toEqual([
      'to-run',
      'to-thread',
      'to-any',
      'to-run-later',
    ]);
  });

  it("aborts only the addressed run's calls on an urgent interruption for a run", () => {
    const mailbox = createInterruptMailbox();
    const mine = mailbox.track('thread-1', 'run-1');
    const sameThreadOtherRun = mailbox.track('thread-1', 'run-2');

    mailbox.post(interrupt('now'), { runId: 'run-1' });

    expect(mine.interrupted()).toBe(true);
    expect(sameThreadOtherRun.interrupted()).toBe(false);
    mine.done();
    sameThreadOtherRun.done();
  });

  it("aborts only the addressed thread's calls on an urgent interruption for a thread, and every call on one for no one", () => {
    const mailbox = createInterruptMailbox();
    const onThread = mailbox.track('thread-1', 'run-1');
    const onOther = mailbox.track('thread-2', 'run-2');
    const withoutThread = mailbox.track(undefined, 'run-3');

    mailbox.post(interrupt('now', 'a'), { threadId: 'thread-1' });
    expect([onThread, onOther, withoutThread].map((call) => call.interrupted())).toEqual([
      true,
      false,
      false,
    ]);

    mailbox.post(interrupt('now', 'b'), {});
    expect([onOther, withoutThread].map((call) => call.interrupted())).toEqual([true, true]);
    for (const call of [onThread, onOther, withoutThread]) call.done();
  });

  it('makes one signal per call, however often it is read', () => {
    const mailbox = createInterruptMailbox();
    const flight = mailbox.track('thread-1', 'run-1');

    expect(flight.signal).toBe(flight.signal);
    flight.done();
  });
});
