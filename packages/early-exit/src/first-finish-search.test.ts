import { InvalidOptionsError, type Message } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createRacingBackend, reasoningCall } from '../test/racing-backend.js';
import type { EarlyExitEvent } from './early-exit-event.js';
import { runFirstFinishSearch } from './first-finish-search.js';

const messages: Message[] = [{ role: 'user', content: 'What is 3 + 4?' }];
const cancelReason = 'First Finish Search: another sample finished first.';

/** A call that streams `parts` of its reasoning and then thinks until it is aborted. */
const stalled = (sentParts: number, reasoning = 'think more and more ') => ({
  parts: reasoningCall(reasoning, '\\boxed{0}'),
  stallAfter: sentParts,
});

/** A call that finishes with `answer` after `outputTokens`, `turnsPerPart` turns a part. */
const finishing = (answer: string, outputTokens: number, turnsPerPart = 1) => ({
  parts: reasoningCall('so it is ', `\\boxed{${answer}}`, { outputTokens }),
  turnsPerPart,
});

describe('runFirstFinishSearch', () => {
  it('keeps the first sample to finish, aborts the others, and accounts for their tokens', async () => {
    // Sample 0 streamed "think " and "more " (2 + 2 tokens, estimated at one per 4 characters),
    // sample 2 nothing; sample 1 finished with 12 output tokens.
    const backend = createRacingBackend([stalled(2), finishing('7', 12), stalled(0)], 5);
    const events: EarlyExitEvent[] = [];
    const result = await runFirstFinishSearch({
      backend,
      messages,
      samples: 3,
      clock: backend.clock,
      callId: 'q1',
      onEvent: (event) => events.push(event),
    });
    expect(result).toEqual({
      answer: '7',
      winner: 1,
      samples: [
        { index: 0, status: 'cancelled', tokens: 4, answer: '' },
        { index: 1, status: 'finished', tokens: 12, answer: '7' },
        { index: 2, status: 'cancelled', tokens: 0, answer: '' },
      ],
      tokensUsed: 16,
      tokensAvoided: 12 - 4 + (12 - 0),
      // Each aborted call took 5 ms to close.
      cancelLatencyMs: 10,
      exitReason: 'first-finish',
    });
    expect(backend.requests.map((call) => [call.outcome, call.abortReason])).toEqual([
      ['aborted', new Error(cancelReason)],
      ['completed', undefined],
      ['aborted', new Error(cancelReason)],
    ]);
    expect(events).toEqual([
      { type: 'search.start', callId: 'q1', at: 1000, samples: 3 },
      { type: 'search.finished', callId: 'q1', at: 1000, sample: 1, tokens: 12, answer: '7' },
      { type: 'search.cancelled', callId: 'q1', at: 1010, samples: [0, 2], tokensSpent: 4 },
      {
        type: 'reasoning.end',
        callId: 'q1',
        at: 1010,
        exitReason: 'first-finish',
        tokensUsed: 16,
        tokensAvoided: 20,
      },
    ]);
  });

  it('asks each sample with the defaults: four samples, temperature 0.7, 4096 tokens, no tools', async () => {
    const backend = createRacingBackend([finishing('7', 3), stalled(0), stalled(0), stalled(0)]);
    const result = await runFirstFinishSearch({ backend, messages });
    expect(result.samples).toHaveLength(4);
    expect(backend.requests.map((call) => call.request)).toEqual(
      Array(4).fill({ messages, tools: [], settings: { maxTokens: 4096, temperature: 0.7 } }),
    );
  });

  it('passes the temperature and token cap it is given', async () => {
    const backend = createRacingBackend([finishing('7', 3)]);
    await runFirstFinishSearch({ backend, messages, samples: 1, temperature: 0.2, maxTokens: 99 });
    expect(backend.requests[0]?.request.settings).toEqual({ maxTokens: 99, temperature: 0.2 });
  });

  it('counts no saving for a cancelled sample that had already spent more than the winner', async () => {
    // Sample 0 streamed five 2-token deltas (10 tokens) before sample 1 finished with 6.
    const backend = createRacingBackend([
      stalled(5, 'think think think think think '),
      finishing('7', 6, 2),
    ]);
    const result = await runFirstFinishSearch({ backend, messages, samples: 2 });
    expect(result.samples[0]).toMatchObject({ status: 'cancelled', tokens: 10 });
    expect(result.tokensAvoided).toBe(0);
    expect(result.tokensUsed).toBe(16);
  });

  it('estimates tokens from the text when the server reports no usage', async () => {
    // "abcd " and "efgh " are 2 tokens each, "\boxed{7}" (9 characters) 3.
    const backend = createRacingBackend([{ parts: reasoningCall('abcd efgh ', '\\boxed{7}') }]);
    const result = await runFirstFinishSearch({ backend, messages, samples: 1 });
    expect(result.samples[0]?.tokens).toBe(7);
    expect(result.cancelLatencyMs).toBe(0);
  });

  it('with shortestK, takes the majority among the first k, comparing normalised answers', async () => {
    const backend = createRacingBackend([
      finishing('9', 30, 1),
      finishing('7', 50, 2),
      finishing(' 7.0 ', 40, 3),
      stalled(0),
    ]);
    const events: EarlyExitEvent[] = [];
    const result = await runFirstFinishSearch({
      backend,
      messages,
      shortestK: 3,
      onEvent: (event) => events.push(event),
    });
    // "7" and "7.0" agree; of the two, the one with fewer tokens is kept.
    expect(result).toMatchObject({ answer: '7.0', winner: 2 });
    expect(result.samples.map((sample) => sample.status)).toEqual([
      'finished',
      'finished',
      'finished',
      'cancelled',
    ]);
    expect(
      events.flatMap((event) => (event.type === 'search.finished' ? [event.sample] : [])),
    ).toEqual([0, 1, 2]);
    // The saving is measured against the first to finish (30 tokens).
    expect(result.tokensAvoided).toBe(30);
  });

  it('breaks a tie between answers in favour of the shorter sample, whichever finished first', async () => {
    const shorterSecond = createRacingBackend([finishing('9', 30, 1), finishing('7', 20, 2)]);
    expect(
      await runFirstFinishSearch({ backend: shorterSecond, messages, samples: 2, shortestK: 2 }),
    ).toMatchObject({ answer: '7', winner: 1 });
    const shorterFirst = createRacingBackend([finishing('9', 20, 1), finishing('7', 30, 2)]);
    expect(
      await runFirstFinishSearch({ backend: shorterFirst, messages, samples: 2, shortestK: 2 }),
    ).toMatchObject({ answer: '9', winner: 0 });
  });

  it('lets a larger group win over a shorter single answer', async () => {
    const backend = createRacingBackend([
      finishing('9', 5, 1),
      finishing('7', 40, 2),
      finishing('7', 50, 3),
    ]);
    const result = await runFirstFinishSearch({ backend, messages, samples: 3, shortestK: 3 });
    expect(result).toMatchObject({ answer: '7', winner: 1 });
  });

  it('records a sample that finished after the decision as finished, without a second decision', async () => {
    // Both streams end within the same event-loop turn: the second completes before its abort.
    const backend = createRacingBackend([
      { parts: reasoningCall('', '\\boxed{7}'), turnsPerPart: 0 },
      { parts: reasoningCall('', '\\boxed{8}'), turnsPerPart: 0 },
    ]);
    const events: EarlyExitEvent[] = [];
    const result = await runFirstFinishSearch({
      backend,
      messages,
      samples: 2,
      onEvent: (event) => events.push(event),
    });
    expect(result.samples.map((sample) => [sample.status, sample.answer])).toEqual([
      ['finished', '7'],
      ['finished', '8'],
    ]);
    expect(result).toMatchObject({ answer: '7', winner: 0 });
    expect(events.map((event) => event.type)).toEqual([
      'search.start',
      'search.finished',
      'reasoning.end',
    ]);
  });

  it('uses the extractor it is given', async () => {
    const backend = createRacingBackend([finishing('7', 3)]);
    const result = await runFirstFinishSearch({
      backend,
      messages,
      samples: 1,
      extract: (text) => `<${text}>`,
    });
    expect(result.answer).toBe('<\\boxed{7}>');
  });

  it('treats a sample cut by its token cap as failed, and keeps one that finished', async () => {
    const backend = createRacingBackend([
      { parts: reasoningCall('long ', '', { finish: 'length' }), turnsPerPart: 1 },
      finishing('7', 8, 3),
    ]);
    const result = await runFirstFinishSearch({ backend, messages, samples: 2 });
    expect(result.samples.map((sample) => sample.status)).toEqual(['failed', 'finished']);
    expect(result).toMatchObject({ answer: '7', winner: 1, tokensAvoided: 0 });
  });

  it('says to raise maxTokens when every sample was cut by it', async () => {
    const cut = { parts: reasoningCall('long ', '', { finish: 'length' as const }) };
    const error = await runFirstFinishSearch({
      backend: createRacingBackend([cut, cut]),
      messages,
      samples: 2,
      maxTokens: 64,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'maxTokens',
      message: 'No sample of 2 finished within maxTokens (64). Raise maxTokens.',
    });
    const byDefault = await runFirstFinishSearch({
      backend: createRacingBackend([cut]),
      messages,
      samples: 1,
    }).catch((caught: unknown) => caught);
    expect(byDefault).toMatchObject({
      message: 'No sample of 1 finished within maxTokens (4096). Raise maxTokens.',
    });
  });

  it('survives a failed sample, and throws the last error when every sample failed', async () => {
    const first = new Error('connection reset');
    const last = new Error('server overloaded');
    const survived = await runFirstFinishSearch({
      backend: createRacingBackend([{ parts: [], error: first }, finishing('7', 4, 2)]),
      messages,
      samples: 2,
    });
    expect(survived.samples.map((sample) => sample.status)).toEqual(['failed', 'finished']);
    await expect(
      runFirstFinishSearch({
        backend: createRacingBackend([
          { parts: reasoningCall('a ', ''), error: first, turnsPerPart: 1 },
          { parts: reasoningCall('a ', ''), error: last, turnsPerPart: 3 },
        ]),
        messages,
        samples: 2,
      }),
    ).rejects.toBe(last);
  });

  it('aborts every sample when its signal aborts, and rethrows the reason', async () => {
    const backend = createRacingBackend([stalled(1), stalled(0)]);
    const outer = new AbortController();
    const reason = new Error('user interrupted');
    const search = runFirstFinishSearch({ backend, messages, samples: 2, signal: outer.signal });
    await new Promise((resolve) => setImmediate(resolve));
    outer.abort(reason);
    await expect(search).rejects.toBe(reason);
    expect(backend.requests.map((call) => [call.outcome, call.abortReason])).toEqual([
      ['aborted', reason],
      ['aborted', reason],
    ]);
  });

  it('starts nothing when its signal has already aborted', async () => {
    const backend = createRacingBackend([finishing('7', 3)]);
    const reason = new Error('too late');
    await expect(
      runFirstFinishSearch({ backend, messages, samples: 1, signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(backend.requests).toEqual([]);
  });

  it('numbers searches without an id', async () => {
    const ids: string[] = [];
    for (let search = 0; search < 2; search++)
      await runFirstFinishSearch({
        backend: createRacingBackend([finishing('7', 3)]),
        messages,
        samples: 1,
        onEvent: (event) => ids.push(event.callId),
      });
    const numbers = ids.map((id) => Number(/^search-(\d+)$/.exec(id)?.[1]));
    // Three events a search: start, finished, end.
    const [first = 0] = numbers;
    expect(numbers).toEqual([first, first, first, first + 1, first + 1, first + 1]);
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses %s samples', async (samples) => {
    const error = await runFirstFinishSearch({
      backend: createRacingBackend([]),
      messages,
      samples,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'samples',
      message: `samples must be a positive integer; received ${samples}. Try 4.`,
    });
  });

  it.each([0, 3, 1.5])('refuses shortestK %s of 2 samples', async (shortestK) => {
    const error = await runFirstFinishSearch({
      backend: createRacingBackend([]),
      messages,
      samples: 2,
      shortestK,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'shortestK',
      message: `shortestK must be an integer from 1 to samples (2); received ${shortestK}.`,
    });
  });

  it('accepts shortestK equal to samples, and one sample', async () => {
    const backend = createRacingBackend([finishing('7', 3), finishing('7', 3, 2)]);
    await expect(
      runFirstFinishSearch({ backend, messages, samples: 2, shortestK: 2 }),
    ).resolves.toMatchObject({ answer: '7' });
  });
});
