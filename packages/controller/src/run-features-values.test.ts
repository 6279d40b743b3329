import type { ToolCall, Usage } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createTurnFeatureExtractor, type FeatureTurn, turnFeatureNames } from './run-features.js';

const bash = (command: string, extra: Record<string, unknown> = {}): ToolCall => ({
  id: 'c',
  name: 'bash',
  arguments: JSON.stringify({ command, ...extra }),
});
const ok = (text = '') => `<returncode>0</returncode><output>${text}</output>`;
const failed = (text = '') => `<returncode>1</returncode><output>${text}</output>`;
/** A turn of one shell command and its output. */
const run = (command: string, output = ok()): FeatureTurn => ({
  text: `Running ${command}`,
  toolCalls: [bash(command)],
  outputs: [output],
});
/** A turn that only writes text. */
const say = (text: string, usage?: Usage): FeatureTurn => ({
  text,
  toolCalls: [],
  outputs: [],
  ...(usage === undefined ? {} : { usage }),
});
const usage = (inputTokens: number, outputTokens: number, costUsd: number): Usage => ({
  inputTokens,
  cachedInputTokens: 0,
  outputTokens,
  reasoningTokens: 0,
  costUsd,
});

type Row = Record<(typeof turnFeatureNames)[number], number>;

/** The feature vectors of a run, by name. */
function features(turns: readonly FeatureTurn[]): Row[] {
  const extractor = createTurnFeatureExtractor();
  return turns.map((entry) => {
    const vector = extractor.add(entry);
    expect(vector).toHaveLength(turnFeatureNames.length);
    return Object.fromEntries(
      turnFeatureNames.map((name, index) => [name, vector[index] as number]),
    ) as Row;
  });
}
const column = (rows: readonly Row[], name: keyof Row) => rows.map((row) => row[name]);
/** Expects each value within 1e-12 of the one at its index (sums of cents are not exact). */
function expectClose(values: readonly number[], expected: readonly number[]): void {
  expect(values).toHaveLength(expected.length);
  for (const [index, value] of values.entries())
    expect(value).toBeCloseTo(expected[index] as number, 12);
}

describe('the run-shape features', () => {
  it('reads the turn, the cost so far, the tokens and the text of each call', () => {
    const rows = features([
      say('Let me look around.', usage(1000, 50, 0.01)),
      say('Now the tests.', usage(3500, 120, 0.03)),
      say('Done.', usage(3000, 80, 0.02)),
    ]);
    expect(column(rows, 'logTurn')).toEqual([0, Math.log(2), Math.log(3)]);
    // 1, 1 + 3 and 1 + 3 + 2 cents.
    expectClose(column(rows, 'logCostSoFar'), [1, 4, 6].map(Math.log1p));
    expect(column(rows, 'logPromptTokens')).toEqual([1000, 3500, 3000].map(Math.log1p));
    // Thousands of prompt tokens over the previous call; nothing before the first.
    expect(column(rows, 'promptGrowth')).toEqual([0, 2.5, -0.5]);
    expect(column(rows, 'logOutputTokens')).toEqual([50, 120, 80].map(Math.log1p));
    expect(column(rows, 'logTextLength')).toEqual([19, 14, 5].map(Math.log1p));
  });

  it('sets the cost of each call against the mean cost of the run so far', () => {
    const rows = features([
      say('a', usage(1000, 10, 0.01)),
      say('b', usage(3500, 10, 0.03)),
      say('c', usage(3000, 10, 0.02)),
    ]);
    // Cents 1, 3, 2: 1 over 1, 3 over the mean 2, 2 over the mean 2 (not the prompt tokens).
    expectClose(column(rows, 'costSlope'), [1, 1.5, 1]);
  });

  it('counts a millionth of a dollar as one prompt token when only some calls record a cost', () => {
    const rows = features([say('a', usage(2000, 10, 0)), say('b', usage(6000, 10, 0.002))]);
    // 2,000 tokens, then $0.002 = 2,000 millionths: the second call is the mean, 1.
    expect(rows[0]?.costSlope).toBe(1);
    expect(rows[1]?.costSlope).toBeCloseTo(1, 12);
  });

  it('reads a run without usage as nothing spent, not as a number it cannot divide', () => {
    const rows = features([say('Thinking.'), run('ls')]);
    for (const row of rows) {
      expect(row.logCostSoFar).toBe(0);
      expect(row.logPromptTokens).toBe(0);
      expect(row.logOutputTokens).toBe(0);
      expect(row.promptGrowth).toBe(0);
      expect(row.costSlope).toBe(0);
    }
  });
});

describe('the repetition features', () => {
  it('marks an action made before and keeps the share of repeated actions', () => {
    const rows = features([
      say('Let me check where the tests are.'),
      run('ls'),
      run('ls'),
      run('pwd'),
    ]);
    expect(column(rows, 'repeatedAction')).toEqual([0, 0, 1, 0]);
    // No action yet, then 0 of 1, 1 of 2, 1 of 3 actions were repeats.
    expect(column(rows, 'repeatFraction')).toEqual([0, 0, 1 / 2, 1 / 3]);
  });

  it('reads the command of a shell call, whatever other arguments it has', () => {
    const rows = features([
      { text: '', toolCalls: [bash('ls', { timeout: 30 })], outputs: [ok()] },
      { text: '', toolCalls: [bash('ls')], outputs: [ok()] },
    ]);
    expect(column(rows, 'repeatedAction')).toEqual([0, 1]);
  });

  it('reads other calls as their name and arguments', () => {
    const view = (name: string, args: string): FeatureTurn => ({
      text: '',
      toolCalls: [{ id: 'v', name, arguments: args }],
      outputs: ['def main(): ...'],
    });
    const rows = features([
      view('open', 'src/app.py'),
      view('open', 'src/util.py'),
      view('view', JSON.stringify({ path: 'src/app.py' })),
      view('view', JSON.stringify({ path: 'src/app.py' })),
      view('open', 'src/util.py'),
    ]);
    expect(column(rows, 'repeatedAction')).toEqual([0, 0, 0, 1, 1]);
    // The files named in the arguments count: src/util.py is new on turn 2, then none is.
    expect(column(rows, 'turnsSinceNewFile')).toEqual([0, 0, 1, 2, 3].map(Math.log1p));
  });

  it('finds the nearest of the last five actions', () => {
    // None of these commands shares a character bigram with another.
    const rows = features([
      run('ls'),
      run('pwd'),
      run('id'),
      run('uname'),
      run('df'),
      run('free'),
      run('ls'), // six actions back: out of the window
      run('id'), // five actions back: in it
    ]);
    expect(column(rows, 'nearDuplicate')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('is the highest similarity, and nothing on the first action', () => {
    const rows = features([run('grep -rn "where" .'), run('git status'), run('git diff')]);
    // git diff against git status: 3 shared bigrams of 7 + 9, 6 / 16; against the grep command,
    // no shared bigram. The grep command is the first action: there is nothing to be near.
    expect(column(rows, 'nearDuplicate')).toEqual([0, 0, 0.375]);
  });

  it('compares the text of a turn with the previous one, and the first with nothing', () => {
    const rows = features([say('Let me check where the tests are.'), say('night'), say('nacht')]);
    expect(column(rows, 'similarityToPrevious')).toEqual([0, 0, 0.25]);
  });

  it('counts how often a failing command failed before, not how often it ran', () => {
    const rows = features([
      run('make build'),
      run('make build'),
      run('make build', failed('Error 2')),
      run('make build', failed('Error 2')),
    ]);
    expect(column(rows, 'repeatedFailingCommand')).toEqual([0, 0, 0, Math.log1p(1)]);
  });
});

describe('the error features', () => {
  it('reads a failure from the return code, or from an output that opens with an error', () => {
    const rows = features([
      run('ls'),
      run('make', failed('make: *** No rule')),
      run('python app.py', 'Traceback (most recent call last):\n  File "app.py"'),
      run('cp a b', '   error: could not open a'),
      run('echo ok', 'no error here, all fine'),
    ]);
    expect(column(rows, 'errorReturn')).toEqual([0, 1, 1, 1, 0]);
    expect(column(rows, 'errorStreak')).toEqual([0, 1, 2, 3, 0]);
    expect(column(rows, 'errorRate')).toEqual([0, 1 / 2, 2 / 3, 3 / 4, 3 / 5]);
    // Only the traceback reads as an error text ('error:' in lower case is not 'Error:').
    expect(column(rows, 'errorText')).toEqual([0, 0, 1, 0, 0]);
  });

  it('reads the error text in the first 20,000 characters of an output', () => {
    const traceback = 'Traceback (most recent call last):';
    const rows = features([
      run('cat big.log', ok(`${'.'.repeat(19_900)} ${traceback}`)),
      run('cat big.log', ok(`${'.'.repeat(20_000)} ${traceback}`)),
    ]);
    expect(column(rows, 'errorText')).toEqual([1, 0]);
  });
});

describe('the progress features', () => {
  it('counts turns without an action, a call to the environment being none', () => {
    const environment: ToolCall = { id: 'e', name: 'environment', arguments: '{}' };
    const rows = features([
      say('Thinking.'),
      run('ls'),
      { text: 'Asking the user.', toolCalls: [environment], outputs: ['Yes.'] },
      { text: 'Both.', toolCalls: [environment, bash('ls')], outputs: ['Yes.', ok()] },
    ]);
    expect(column(rows, 'noAction')).toEqual([1, 0, 1, 0]);
    expect(column(rows, 'noActionRate')).toEqual([1, 1 / 2, 2 / 3, 2 / 4]);
  });

  it('follows edits, test runs and whether a passing test came after the last edit', () => {
    const rows = features([
      run('ls'),
      run('pytest'),
      run("sed -i 's/a/b/' src/app.py"),
      run('ls'),
      run('pytest', failed('1 failed')),
      run('pytest'),
      run("sed -i 's/b/c/' src/app.py"),
    ]);
    expect(column(rows, 'editsSoFar')).toEqual([0, 0, 1, 1, 1, 1, 2].map(Math.log1p));
    // Before the first edit: the turns so far; then the turns since the last edit.
    expect(column(rows, 'turnsSinceEdit')).toEqual([1, 2, 0, 1, 2, 3, 0].map(Math.log1p));
    // A passing test before any edit verifies nothing; a failing one after it neither.
    expect(column(rows, 'verifiedAfterEdit')).toEqual([0, 0, 0, 0, 0, 1, 0]);
    expect(column(rows, 'editedUnverified')).toEqual([0, 0, 1, 1, 1, 0, 1]);
    expect(column(rows, 'testRuns')).toEqual([0, 1, 1, 1, 2, 3, 3].map(Math.log1p));
    expect(column(rows, 'testFailRate')).toEqual([0, 0, 0, 0, 1 / 2, 1 / 3, 1 / 3]);
    expect(column(rows, 'lastTestPassed')).toEqual([0, 1, 1, 1, 0, 1, 1]);
  });

  it('counts the turns added', () => {
    const extractor = createTurnFeatureExtractor();
    expect(extractor.turns).toBe(0);
    extractor.add(say('One.'));
    extractor.add(run('ls'));
    expect(extractor.turns).toBe(2);
  });
});
