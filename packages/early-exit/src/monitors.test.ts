import type { TokenLogprob } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { filler, hesitantToken, sureToken, unsureToken } from '../test/reasoning-traces.js';
import {
  createConfidenceMonitor,
  createCueDetector,
  createLogisticProbe,
  createPathDeviationMonitor,
  createReasoningStreamReader,
  createStepSegmenter,
} from './index.js';

describe('cue detector', () => {
  it('reports a cue once the word ends, and not inside longer words', () => {
    const cues = createCueDetector();
    expect(cues.push('So 12. Wait')).toBeUndefined();
    expect(cues.push(',')).toBe('wait');
    expect(cues.push(' I was waiting')).toBeUndefined();
    expect(cues.push(' hmm')).toBeUndefined();
    expect(cues.flush()).toBe('hmm');
    expect(cues.count).toBe(2);
  });

  it('matches multi-word cues across tokens and custom cues', () => {
    const cues = createCueDetector({ cues: ['let me check', 'Oops'] });
    const seen = [' Let', ' me', ' check', ':', ' OOPS', '!'].map((text) => cues.push(text));
    expect(seen).toEqual([undefined, undefined, undefined, 'let me check', undefined, 'oops']);
  });
});

describe('step segmenter', () => {
  it('splits at blank lines and before cues, dropping tiny steps', () => {
    const steps = createStepSegmenter();
    const done: string[] = [];
    for (const text of [
      'First, 3 apples',
      ' cost 6 dollars.',
      '\n',
      '\nOk.\n\n',
      'Then 6 + 4 = 10 dollars in total. Wait',
      ', is that right?',
    ]) {
      const step = steps.push(text);
      if (step !== undefined) done.push(step);
    }
    const last = steps.flush();
    expect(done).toEqual([
      'First, 3 apples cost 6 dollars.',
      'Ok.\n\nThen 6 + 4 = 10 dollars in total.',
    ]);
    expect(last).toBe('Wait, is that right?');
  });
});

describe('path-deviation monitor', () => {
  const options = { window: 100, maxRate: 0.05, minTransitions: 4, warmupTokens: 50 };

  it('fires at the transition that brings the windowed rate to the threshold', () => {
    const monitor = createPathDeviationMonitor(options);
    const tokens: TokenLogprob[] = [...filler(60, sureToken)];
    // Five hesitant "Wait"s ten tokens apart: rate 5/100 = 0.05 at the fifth.
    for (let wave = 0; wave < 6; wave++)
      tokens.push(hesitantToken(' Wait'), ...filler(9, sureToken));
    let firedAt = -1;
    for (const [index, token] of tokens.entries()) {
      const decision = monitor.push(token);
      if (decision !== undefined) {
        firedAt = index;
        expect(decision.evidence.transitions).toBe(5);
        break;
      }
    }
    expect(firedAt).toBe(60 + 4 * 10);
  });

  it('ignores confident transitions and transitions that fall out of the window', () => {
    const calm = createPathDeviationMonitor(options);
    const sureWaits = [...filler(60, sureToken)];
    for (let wave = 0; wave < 10; wave++)
      sureWaits.push(sureToken(' Wait'), ...filler(4, sureToken));
    expect(sureWaits.some((token) => calm.push(token) !== undefined)).toBe(false);

    const spread = createPathDeviationMonitor(options);
    const sparse = [...filler(60, sureToken)];
    // One hesitant "but" every 30 tokens: never more than 4 in 100 tokens.
    for (let wave = 0; wave < 20; wave++)
      sparse.push(hesitantToken(' But'), ...filler(29, sureToken));
    expect(sparse.some((token) => spread.push(token) !== undefined)).toBe(false);
    expect(spread.windowTransitions).toBeLessThanOrEqual(4);
  });
});

describe('confidence monitor', () => {
  // A probe that trusts the mean log-probability of the window (feature 0).
  const probe = createLogisticProbe({ weights: [12, 0, 0, 0, 0, 0, 0], bias: 3 });

  it('exits at the first cue where the window is confident enough', () => {
    const monitor = createConfidenceMonitor({ probe, threshold: 0.2, window: 16 });
    const tokens: TokenLogprob[] = [
      ...filler(20, unsureToken),
      sureToken(' Wait'),
      sureToken(','), // cue 1: window mostly unsure → p low
      ...filler(30, sureToken),
      sureToken(' Hmm'),
      sureToken('.'), // cue 2: window sure → p high
    ];
    const decisions = tokens.map((token) => monitor.push(token));
    const fired = decisions.findIndex((decision) => decision !== undefined);
    expect(fired).toBe(tokens.length - 1);
    expect(monitor.cues).toBe(2);
    expect(decisions[fired]?.evidence.cue).toBe('hmm');
    expect(monitor.lastProbability).toBeGreaterThan(0.8);
  });

  it('rejects a threshold that is not a conformal quantile', () => {
    expect(() => createConfidenceMonitor({ probe, threshold: Number.NaN })).toThrow(
      /calibrateConformal/,
    );
  });
});

describe('reasoning stream reader', () => {
  it('splits <think> content into reasoning and answer, with tokens and estimates', () => {
    const seen: string[] = [];
    const reader = createReasoningStreamReader({
      onReasoningToken: (token) => seen.push(token.token),
    });
    reader.push({ type: 'text-delta', delta: '<think>' });
    reader.push({ type: 'logprobs', tokens: [sureToken('<think>')] });
    reader.push({ type: 'text-delta', delta: ' 2+2' });
    reader.push({ type: 'logprobs', tokens: [sureToken(' 2+2')] });
    reader.push({ type: 'text-delta', delta: '=4 </th' });
    reader.push({ type: 'text-delta', delta: 'ink>\\boxed{4}' });
    reader.push({ type: 'finish', reason: 'stop' });
    reader.end();
    expect(reader.reasoning).toBe(' 2+2=4 ');
    expect(reader.answer).toBe('\\boxed{4}');
    expect(seen).toEqual([' 2+2', '=4 </th']);
    expect(reader.finishReason).toBe('stop');
  });

  it('reads reasoning-delta as reasoning and content as answer', () => {
    const reader = createReasoningStreamReader();
    reader.push({ type: 'reasoning-delta', delta: 'think think' });
    reader.push({ type: 'text-delta', delta: 'Answer: 5' });
    reader.push({ type: 'usage', usage: { outputTokens: 9 } });
    reader.end();
    expect([reader.reasoning, reader.answer, reader.usage?.outputTokens]).toEqual([
      'think think',
      'Answer: 5',
      9,
    ]);
    expect(reader.reasoningTokens).toBe(3);
  });
});
