import { describe, expect, it } from 'vitest';
import { extractAnswer, normaliseAnswer } from './extract-answer.js';

describe('extractAnswer', () => {
  it.each([
    // The last \boxed{…}, trimmed, nested braces kept, an unclosed one read to the end.
    ['\\boxed{1} then \\boxed{ 42 }', '42'],
    ['\\boxed{5} wait, that is it', '5'],
    ['\\boxed{\\frac{1}{2}} done', '\\frac{1}{2}'],
    ['so \\boxed{42', '42'],
    // Reasoning inside <think>…</think> is not the answer.
    ['<think>maybe \\boxed{1}</think> Answer: 2', '2'],
    ['</think>\\boxed{3}', '3'],
    ['  <think> still thinking \\boxed{9}', ''],
    // "answer is" / "answer:": the last line that says it, from there to the end of the line.
    ['The answer is 7.\nDone.', '7'],
    ['answer is 1\nno, the answer   is 8', '8'],
    ['Answer:x=42', 'x=42'],
    ['answer is a}b}', 'a}b'],
    ['the answer is 7. .', '7'],
    // Neither: the text itself, trimmed, without trailing periods.
    ['  17 apples.. ', '17 apples'],
  ])('reads %j as %j', (text, answer) => {
    expect(extractAnswer(text)).toBe(answer);
  });
});

describe('normaliseAnswer', () => {
  it.each([
    ['ABC', 'abc'],
    ['abc..', 'abc'],
    [' $1,200.00 ', '1200'],
    ['42.0', '42'],
    ['1 000', '1000'],
    ['', ''],
  ])('normalises %j to %j', (answer, normalised) => {
    expect(normaliseAnswer(answer)).toBe(normalised);
  });
});
