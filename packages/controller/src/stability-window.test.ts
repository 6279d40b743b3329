import { describe, expect, it } from 'vitest';
import { reasoningChainDistance, toReasoningChain } from './reasoning-chain.js';
import {
  addTurnToWindow,
  argumentLengthBuckets,
  copyStabilityWindow,
  emptyStabilityWindow,
  outputBins,
  type StabilityWindow,
  type StabilityWindowSettings,
} from './stability-window.js';
import { type TurnRecord, toObservedTurn } from './turn-record.js';

/** Actions class by name; `ask_user` hands the run over; two kinds are kept in order. */
const settings: StabilityWindowSettings = {
  sequenceLength: 2,
  actionKind: (name) => name,
  isHandoff: (name) => name === 'ask_user',
};

/** A turn whose every action failed (`errors`) or succeeded. */
function turnOf(
  turn: number,
  text: string,
  actions: readonly { name: string; arguments: string }[],
  options: { reasoning?: string; errors?: boolean } = {},
): TurnRecord {
  return {
    turn,
    text,
    ...(options.reasoning === undefined ? {} : { reasoning: options.reasoning }),
    actions,
    observations: actions.map((action) => ({
      name: action.name,
      status: options.errors === true ? ('error' as const) : ('ok' as const),
      text: options.errors === true ? 'No such file.' : 'ok',
    })),
  };
}

/** The answer's bins, counted bit by bit: bit b of word w lands in bin (32 w + b) mod 512. */
function binsOf(records: readonly TurnRecord[]): number[] {
  const bins = new Array<number>(outputBins).fill(0);
  for (const record of records) {
    const { signature } = toObservedTurn(record).output;
    signature.forEach((word, index) => {
      for (let bit = 0; bit < 32; bit++)
        if (((word >>> bit) & 1) === 1) {
          const bin = (index * 32 + bit) % outputBins;
          bins[bin] = (bins[bin] as number) + 1;
        }
    });
  }
  return bins;
}

function windowOf(records: readonly TurnRecord[]): StabilityWindow {
  const window = emptyStabilityWindow();
  for (const record of records) addTurnToWindow(window, toObservedTurn(record), settings);
  return window;
}

const readA = { name: 'read_file', arguments: '{"path":"a"}' }; // 12 characters: bucket 3
const ask = { name: 'ask_user', arguments: '' }; // bucket 0
const first = turnOf(1, 'Reading the parser.', [readA, ask], {
  reasoning: 'Open the parser file',
  errors: true,
});
const second = turnOf(2, 'Reading it again.', [readA], {
  reasoning: 'Open the lexers file now',
  errors: true,
});
const third = turnOf(3, '', [{ name: 'write_file', arguments: 'x'.repeat(100_000) }]);

describe('emptyStabilityWindow', () => {
  it('starts every aggregate at zero, with 512 answer bins and 16 argument-length buckets', () => {
    expect(emptyStabilityWindow()).toEqual({
      turns: 0,
      output: new Array(outputBins).fill(0),
      outputTurns: 0,
      toolCounts: {},
      sequence: [],
      argumentLengths: new Array(argumentLengthBuckets).fill(0),
      actions: 0,
      lengthSum: 0,
      lengthSquares: 0,
      errorTurns: 0,
      clusteredErrors: 0,
      previousError: false,
      overrides: 0,
      intentSimilaritySum: 0,
      reasoningPrevious: [],
      reasoningDistanceSum: 0,
      reasoningPairs: 0,
      handoffs: 0,
    });
  });
});

describe('addTurnToWindow', () => {
  it('counts a turn: answer bins, actions by kind, argument lengths, length, errors, hand-offs', () => {
    const window = windowOf([first]);
    const length = 'Reading the parser.'.length + 'Open the parser file'.length;
    expect(window).toMatchObject({
      turns: 1,
      outputTurns: 1,
      toolCounts: { read_file: 1, ask_user: 1 },
      sequence: ['read_file', 'ask_user'],
      actions: 2,
      handoffs: 1,
      lengthSum: length,
      lengthSquares: length * length,
      errorTurns: 1,
      clusteredErrors: 0,
      previousError: true,
      reasoningPairs: 0,
      reasoningDistanceSum: 0,
    });
    expect(window.argumentLengths).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(window.output).toEqual(binsOf([first]));
    expect(Object.keys(window.output)).toHaveLength(outputBins);
    // a word of the signature with two bits set: both are counted, not only its lowest
    const bitsPerWord = [...toObservedTurn(first).output.signature].map(
      (word) => word.toString(2).replaceAll('0', '').length,
    );
    expect(Math.max(...bitsPerWord)).toBeGreaterThanOrEqual(2);
    expect(window.reasoningPrevious).toEqual(toReasoningChain(first));
  });

  it('adds up turns: clustered errors, the capped sequence, reasoning distances, empty answers', () => {
    const window = windowOf([first, second, third]);
    const lengths = [
      'Reading the parser.'.length + 'Open the parser file'.length,
      'Reading it again.'.length + 'Open the lexers file now'.length,
      0,
    ];
    expect(window).toMatchObject({
      turns: 3,
      // the third turn answered nothing: no bins, not an answered turn
      outputTurns: 2,
      toolCounts: { read_file: 2, ask_user: 1, write_file: 1 },
      sequence: ['read_file', 'ask_user'],
      actions: 4,
      handoffs: 1,
      lengthSum: lengths.reduce((sum, value) => sum + value, 0),
      lengthSquares: lengths.reduce((sum, value) => sum + value * value, 0),
      errorTurns: 2,
      clusteredErrors: 1,
      previousError: false,
      // the third turn had no reasoning: one pair, and no chain kept for the next
      reasoningPairs: 1,
      reasoningPrevious: [],
    });
    const distance = reasoningChainDistance(toReasoningChain(first), toReasoningChain(second));
    expect(distance).toBeGreaterThan(0);
    expect(window.reasoningDistanceSum).toBe(distance);
    expect(window.output).toEqual(binsOf([first, second]));
    // 100 000 characters fall in the last bucket
    expect(window.argumentLengths).toEqual([1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('copyStabilityWindow', () => {
  it('copies every field, and later changes to the copy leave the original as it was', () => {
    const original = windowOf([first, second]);
    const saved = structuredClone(original);
    const copy = copyStabilityWindow(original);
    expect(copy).toEqual(original);
    addTurnToWindow(
      copy,
      toObservedTurn(turnOf(3, 'More.', [ask], { reasoning: 'Ask' })),
      settings,
    );
    copy.reasoningPrevious.push(7);
    expect(original).toEqual(saved);
  });

  it('gives a window saved before the reasoning and hand-off fields existed those fields empty', () => {
    const { reasoningPrevious, reasoningDistanceSum, reasoningPairs, handoffs, ...older } =
      windowOf([first, second]);
    expect(reasoningDistanceSum).toBeGreaterThan(0);
    const copy = copyStabilityWindow(older as StabilityWindow);
    expect(copy).toMatchObject({
      reasoningPrevious: [],
      reasoningDistanceSum: 0,
      reasoningPairs: 0,
      handoffs: 0,
    });
    expect(copy.turns).toBe(2);
  });
});
