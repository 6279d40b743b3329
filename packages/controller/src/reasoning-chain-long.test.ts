import { describe, expect, it } from 'vitest';
import { editDistance, reasoningChainDistance } from './reasoning-chain.js';

/** `count` consecutive integers from `from`. */
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

// The cases run in order, shortest first: the tables kept between calls grow as they go.
describe('distances of chains longer than a reasoning chain', () => {
  it('reasoningChainDistance of 33 words against 33 others is 1', () => {
    // No word shared: 33 substitutions ÷ 33.
    expect(reasoningChainDistance(range(0, 33), range(100, 33))).toBe(1);
  });

  it('reasoningChainDistance finds the shared words of longer chains', () => {
    // a = 1…40, b = 0, 1…39, 99: insert 0, substitute 40 → 99: 2 ÷ 41.
    expect(reasoningChainDistance(range(1, 40), [0, ...range(1, 39), 99])).toBe(2 / 41);
    // The same chains the other way round: 2 ÷ 41.
    expect(reasoningChainDistance([0, ...range(1, 39), 99], range(1, 40))).toBe(2 / 41);
    // 1…60 against 61…120: 60 substitutions ÷ 60.
    expect(reasoningChainDistance(range(1, 60), range(61, 60))).toBe(1);
  });

  it('editDistance of one element against 33 others is 33', () => {
    // Substitute one, insert 32.
    expect(editDistance([0], range(1, 33))).toBe(33);
  });

  it('editDistance of longer sequences', () => {
    // 1…40 → 0, 1…39, 99: insert 0, substitute 40: 2.
    expect(editDistance(range(1, 40), [0, ...range(1, 39), 99])).toBe(2);
    // 'x' × 3 → 'x' × 50: 47 insertions.
    expect(editDistance(['x', 'x', 'x'], Array(50).fill('x'))).toBe(47);
    expect(editDistance(Array(50).fill('x'), ['x', 'x', 'x'])).toBe(47);
    expect(editDistance([], range(1, 70))).toBe(70);
    expect(editDistance(range(1, 70), [])).toBe(70);
  });
});
