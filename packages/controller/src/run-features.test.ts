import type { ToolCall } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { classifyAction } from './action-class.js';
import { createTurnFeatureExtractor, type FeatureTurn, turnFeatureNames } from './run-features.js';

const call = (command: string, id = 'c'): ToolCall => ({
  id,
  name: 'bash',
  arguments: JSON.stringify({ command }),
});
const turn = (command: string, output: string): FeatureTurn => ({
  text: `Running ${command}`,
  toolCalls: [call(command)],
  outputs: [output],
});
const ok = (text = '') => `<returncode>0</returncode><output>${text}</output>`;
const failed = (text = '') => `<returncode>1</returncode><output>${text}</output>`;

function features(turns: readonly FeatureTurn[]): Record<string, number>[] {
  const extractor = createTurnFeatureExtractor();
  return turns.map((entry) => {
    const vector = extractor.add(entry);
    expect(vector).toHaveLength(turnFeatureNames.length);
    return Object.fromEntries(
      turnFeatureNames.map((name, index) => [name, vector[index] as number]),
    );
  });
}

describe('the shared turn features', () => {
  it('tells edits from test runs as the overthinking classifier does', () => {
    const edit = "sed -i 's/a/b/' src/app.py";
    const test = 'pytest tests/test_app.py';
    expect(classifyAction({ name: 'bash', arguments: JSON.stringify({ command: edit }) })).toBe(
      'edit',
    );
    expect(classifyAction({ name: 'bash', arguments: JSON.stringify({ command: test }) })).toBe(
      'verification',
    );
    const rows = features([
      turn(edit, ok()),
      turn(test, failed('FAILED test_app')),
      turn(test, ok()),
    ]);
    expect(rows[0]).toMatchObject({ editedUnverified: 1, testRuns: 0 });
    expect(rows[1]).toMatchObject({ testRuns: Math.log1p(1), testFailRate: 1, lastTestPassed: 0 });
    expect(rows[1]?.errorText).toBe(1);
    expect(rows[2]).toMatchObject({
      testRuns: Math.log1p(2),
      testFailRate: 0.5,
      lastTestPassed: 1,
      verifiedAfterEdit: 1,
      editedUnverified: 0,
    });
  });

  it('counts repeated failing commands, edit churn on one file and turns since a new file', () => {
    const rows = features([
      turn('cat src/a.py', ok()),
      turn("sed -i 's/x/y/' src/a.py", ok()),
      turn("sed -i 's/y/z/' src/a.py", ok()),
      turn('make build', failed('Error: missing')),
      turn('make build', failed('Error: missing')),
      turn('make build', failed('Error: missing')),
    ]);
    expect(rows[2]?.editChurn).toBeCloseTo(Math.log1p(2), 12);
    expect(rows[3]?.repeatedFailingCommand).toBe(0);
    expect(rows[5]?.repeatedFailingCommand).toBeCloseTo(Math.log1p(2), 12);
    // src/a.py was first named on turn 1; turn 6 is five turns later.
    expect(rows[5]?.turnsSinceNewFile).toBeCloseTo(Math.log1p(5), 12);
    expect(rows[5]?.errorStreak).toBe(3);
  });

  it('reads the cost slope from prompt tokens when no cost is recorded', () => {
    const extractor = createTurnFeatureExtractor();
    const slope = turnFeatureNames.indexOf('costSlope');
    const at = (inputTokens: number) =>
      extractor.add({
        text: '',
        toolCalls: [],
        outputs: [],
        usage: {
          inputTokens,
          cachedInputTokens: 0,
          outputTokens: 10,
          reasoningTokens: 0,
          costUsd: 0,
        },
      })[slope];
    expect(at(1000)).toBe(1);
    expect(at(3000)).toBe(1.5); // 3000 over the mean of 1000 and 3000
  });
});
