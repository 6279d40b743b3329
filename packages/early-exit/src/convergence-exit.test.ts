import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { type ConvergenceExitOptions, createConvergenceExit } from './convergence-exit.js';
import type { EarlyExitEvent } from './early-exit-event.js';
import type { ExitDecision } from './exit-rule.js';

interface Trial {
  readonly answer: string;
  readonly confidence: number;
}

const repeated = 'So the total number of apples is forty-two.';

/**
 * Streams `steps` (one token per step, separated by blank lines) through a convergence watcher
 * whose trial answers are `trials`, in order (the last one repeats). Each step's I/O settles
 * before the next step arrives, so no candidate is skipped.
 */
async function converge(
  steps: readonly string[],
  trials: readonly Trial[],
  options: ConvergenceExitOptions = {},
): Promise<{ decision?: ExitDecision; candidates: number; trials: number }> {
  let asked = 0;
  const events: EarlyExitEvent[] = [];
  const watcher = createConvergenceExit(options).start({
    signal: new AbortController().signal,
    reasoning: () => steps.join('\n\n'),
    trialAnswer: async () => {
      const trial = trials[Math.min(asked, trials.length - 1)] as Trial;
      asked += 1;
      return { ...trial, tokens: 3 };
    },
    emit: (event) => events.push(event),
    callId: 'call-1',
    now: () => 0,
  });
  for (const [index, step] of [...steps, 'The end of the reasoning is here.'].entries()) {
    const decision = await watcher.push({ token: `${step}\n\n`, logprob: Math.log(0.9) }, index);
    if (decision !== undefined) {
      return {
        decision,
        candidates: events.filter((event) => event.type === 'exit.candidate').length,
        trials: asked,
      };
    }
  }
  return {
    candidates: events.filter((event) => event.type === 'exit.candidate').length,
    trials: asked,
  };
}

const sure = (answer: string, confidence = 0.99): Trial => ({ answer, confidence });

const converged = Array<string>(20).fill(repeated);

describe('createConvergenceExit (PUMA)', () => {
  it('asks for no trial answer before step 10, then stops at the second agreeing candidate', async () => {
    // Every step repeats the previous one; candidates are steps 10 and 11.
    const result = await converge(converged, [sure('42')]);
    expect(result.trials).toBe(2);
    expect(result.decision).toMatchObject({
      rule: 'convergence',
      evidence: { step: 11, answer: '42', firstConfidence: 0.99, secondConfidence: 0.99 },
    });
    const early = await converge(converged, [sure('42')], { minSteps: 3 });
    expect(early.decision?.evidence.step).toBe(4);
  });

  it('never stops while consecutive trial answers disagree, however confident', async () => {
    const alternating = Array.from({ length: 20 }, (_, index) =>
      sure(index % 2 === 0 ? '41' : '42'),
    );
    const result = await converge(converged, alternating);
    expect(result.decision).toBeUndefined();
    // Candidates at steps 10 to 21 (the closing step repeats none): all asked, none agreed.
    expect(result.trials).toBe(11);
  });

  it('stops at the first two consecutive candidates that agree, after a disagreement', async () => {
    const result = await converge(converged, [sure('41'), sure('42'), sure('42')]);
    expect(result.decision?.evidence).toMatchObject({ step: 12, answer: '42' });
    expect(result.candidates).toBe(3);
  });

  it('compares answers after normalising them (case, spaces, $, commas, trailing dots)', async () => {
    const result = await converge(converged, [sure(' $1,000.'), sure('1000')]);
    expect(result.decision?.evidence.step).toBe(11);
    const empty = await converge(converged, [sure(''), sure('')]);
    expect(empty.decision).toBeUndefined();
  });

  it('needs the first answer at confidence ≥ 0.98', async () => {
    expect((await converge(converged, [sure('42', 0.97)])).decision).toBeUndefined();
    expect((await converge(converged, [sure('42', 0.98)])).decision?.evidence.step).toBe(11);
    // A doubtful first answer, then a sure one: the next pair (both sure) decides.
    const later = await converge(converged, [sure('42', 0.9), sure('42', 0.99)]);
    expect(later.decision?.evidence).toMatchObject({ step: 12, firstConfidence: 0.99 });
  });

  it('lets the second answer be at most 0.03 less confident than the first', async () => {
    const within = await converge(converged, [sure('42', 0.99), sure('42', 0.965)]);
    expect(within.decision?.evidence).toMatchObject({ step: 11, secondConfidence: 0.965 });
    // 0.99 then 0.955 fails; every later pair starts from 0.955 < 0.98.
    expect(
      (await converge(converged, [sure('42', 0.99), sure('42', 0.955)])).decision,
    ).toBeUndefined();
  });

  it('asks for no trial answer while steps keep changing', async () => {
    const words = ['apples', 'boxes', 'table', 'seven', 'multiply', 'count', 'crates', 'pears'];
    const changing = Array.from(
      { length: 20 },
      (_, index) =>
        `Step ${index}: consider the ${words[index % 8]} ${words[(index + 3) % 8]} carefully.`,
    );
    const result = await converge(changing, [sure('42')], { similarityThreshold: 0.999 });
    expect(result).toEqual({ candidates: 0, trials: 0 });
  });

  it('asks each trial answer with a cap of 30 tokens', async () => {
    const caps: (number | undefined)[] = [];
    const watcher = createConvergenceExit({ minSteps: 1 }).start({
      signal: new AbortController().signal,
      reasoning: () => '',
      trialAnswer: async (options) => {
        caps.push(options?.maxTokens);
        return { answer: '42', confidence: 0.99, tokens: 3 };
      },
      emit: () => undefined,
      callId: 'call-1',
      now: () => 0,
    });
    for (const [index, step] of converged.slice(0, 4).entries()) {
      await watcher.push({ token: `${step}\n\n`, logprob: 0 }, index);
    }
    expect(caps.length).toBeGreaterThan(0);
    expect(new Set(caps)).toEqual(new Set([30]));
  });

  it('refuses a similarity threshold outside (−1, 1], naming it', () => {
    for (const bad of [1.5, -1, Number.NaN]) {
      expect(() => createConvergenceExit({ similarityThreshold: bad })).toThrow(`received ${bad}`);
    }
  });

  it('accepts a threshold of exactly 1, reached by identical embeddings', async () => {
    const sameVector = { embed: (texts: readonly string[]) => texts.map(() => [3, 4]) };
    const result = await converge(converged, [sure('42')], {
      similarityThreshold: 1,
      embedding: sameVector,
    });
    expect(result.decision?.evidence).toMatchObject({ step: 11, similarity: 1 });
  });

  it('accepts a second answer exactly at the confidence tolerance', async () => {
    const result = await converge(converged, [sure('42', 1), sure('42', 0.75)], {
      confidenceTolerance: 0.25,
    });
    expect(result.decision?.evidence).toMatchObject({ step: 11, secondConfidence: 0.75 });
  });

  it('names itself and its evidence, and emits each candidate', async () => {
    const events: EarlyExitEvent[] = [];
    const rule = createConvergenceExit({
      minSteps: 1,
      embedding: { embed: (t) => t.map(() => [1, 0]) },
    });
    expect(rule.name).toBe('convergence');
    const watcher = rule.start({
      signal: new AbortController().signal,
      reasoning: () => '',
      trialAnswer: async () => ({ answer: '42', confidence: 0.99, tokens: 3 }),
      emit: (event) => events.push(event),
      callId: 'call-9',
      now: () => 1234,
    });
    let decision: ExitDecision | undefined;
    for (let index = 0; index < 4 && decision === undefined; index++)
      decision = await watcher.push(
        { token: 'The very same step again.\n\n', logprob: 0 },
        index * 10,
      );
    expect(decision).toEqual({
      rule: 'convergence',
      message:
        "Steps converged (similarity 1.000) and two consecutive trial answers agree on '42' with confidence 0.990 then 0.990.",
      evidence: {
        step: 3,
        similarity: 1,
        answer: '42',
        firstConfidence: 0.99,
        secondConfidence: 0.99,
      },
    });
    expect(events).toEqual([
      {
        type: 'exit.candidate',
        callId: 'call-9',
        at: 1234,
        rule: 'convergence',
        tokenIndex: 10,
        trialAnswer: '42',
        confidence: 0.99,
      },
      {
        type: 'exit.candidate',
        callId: 'call-9',
        at: 1234,
        rule: 'convergence',
        tokenIndex: 20,
        trialAnswer: '42',
        confidence: 0.99,
      },
    ]);
  });

  it('returns nothing for a token that completes no step', () => {
    const watcher = createConvergenceExit().start({
      signal: new AbortController().signal,
      reasoning: () => '',
      trialAnswer: async () => ({ answer: '42', confidence: 0.99, tokens: 3 }),
      emit: () => undefined,
      callId: 'call-1',
      now: () => 0,
    });
    expect(watcher.push({ token: 'Half a st', logprob: 0 }, 0)).toBeUndefined();
  });

  it('skips a step without a vector, and every step once the call has ended', async () => {
    let trials = 0;
    const start = (signal: AbortSignal, embed: (texts: readonly string[]) => number[][]) =>
      createConvergenceExit({ minSteps: 1, embedding: { embed } }).start({
        signal,
        reasoning: () => '',
        trialAnswer: async () => {
          trials += 1;
          return { answer: '42', confidence: 0.99, tokens: 3 };
        },
        emit: () => undefined,
        callId: 'call-1',
        now: () => 0,
      });
    // The first step has a vector; the embedding returns none for the later ones.
    let embedded = 0;
    const noVector = start(new AbortController().signal, (texts) =>
      embedded++ === 0 ? texts.map(() => [1, 0]) : [],
    );
    for (let index = 0; index < 6; index++)
      expect(
        await noVector.push({ token: 'The very same step again.\n\n', logprob: 0 }, index),
      ).toBeUndefined();
    const ended = new AbortController();
    ended.abort();
    const afterEnd = start(ended.signal, (texts) => texts.map(() => [1, 0]));
    for (let index = 0; index < 6; index++)
      expect(
        await afterEnd.push({ token: 'The very same step again.\n\n', logprob: 0 }, index),
      ).toBeUndefined();
    expect(trials).toBe(0);
  });

  it('asks one trial answer at a time, and drops its candidate if the call ended meanwhile', async () => {
    const call = new AbortController();
    const pending: ((trial: { answer: string; confidence: number; tokens: number }) => void)[] = [];
    const events: EarlyExitEvent[] = [];
    const watcher = createConvergenceExit({
      minSteps: 1,
      embedding: { embed: (texts) => texts.map(() => [1, 0]) },
    }).start({
      signal: call.signal,
      reasoning: () => '',
      trialAnswer: () => new Promise((resolve) => pending.push(resolve)),
      emit: (event) => events.push(event),
      callId: 'call-1',
      now: () => 0,
    });
    const step = { token: 'The very same step again.\n\n', logprob: 0 };
    const first = watcher.push(step, 0);
    const second = watcher.push(step, 1); // candidate: its trial is asked
    const third = watcher.push(step, 2); // candidate while that trial runs: skipped
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending).toHaveLength(1);
    call.abort();
    pending[0]?.({ answer: '42', confidence: 0.99, tokens: 3 });
    expect(await first).toBeUndefined();
    expect(await second).toBeUndefined();
    expect(await third).toBeUndefined();
    expect(pending).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it('skips the candidates that come while a trial answer runs, not queueing them', async () => {
    const pending: ((trial: { answer: string; confidence: number; tokens: number }) => void)[] = [];
    const watcher = createConvergenceExit({
      minSteps: 1,
      embedding: { embed: (texts) => texts.map(() => [1, 0]) },
    }).start({
      signal: new AbortController().signal,
      reasoning: () => '',
      trialAnswer: () => new Promise((resolve) => pending.push(resolve)),
      emit: () => undefined,
      callId: 'call-1',
      now: () => 0,
    });
    const step = { token: 'The very same step again.\n\n', logprob: 0 };
    const verdicts = [0, 1, 2, 3].map((index) => watcher.push(step, index));
    await new Promise((resolve) => setImmediate(resolve));
    pending[0]?.({ answer: '42', confidence: 0.99, tokens: 3 });
    expect(await Promise.all(verdicts)).toEqual([undefined, undefined, undefined, undefined]);
    // Steps 3 and 4 came during the trial: no trial was asked for them, then or later.
    expect(pending).toHaveLength(1);
    const next = watcher.push(step, 4);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending).toHaveLength(2);
    pending[1]?.({ answer: '42', confidence: 0.99, tokens: 3 });
    expect(await next).toMatchObject({ rule: 'convergence', evidence: { step: 5 } });
  });

  it('refuses a bad threshold with a typed error naming the field', () => {
    let error: unknown;
    try {
      createConvergenceExit({ similarityThreshold: 2 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'similarityThreshold',
      message: 'similarityThreshold must be a cosine similarity in (−1, 1]; received 2. Try 0.85.',
    });
  });
});
