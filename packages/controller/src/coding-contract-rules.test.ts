import { describe, expect, it } from 'vitest';
import { checkContract } from './check-contract.js';
import {
  limitIdenticalFailingCommands,
  neverEditTestFiles,
  runTestsBeforeSubmitting,
} from './coding-contract-rules.js';
import { createContract } from './create-contract.js';
import type { TurnRecord } from './turn-record.js';

/** One shell command per turn, with its exit status. */
const commands = (...steps: [command: string, ok?: boolean][]): TurnRecord[] =>
  steps.map(([command, ok = true], index) => ({
    turn: index + 1,
    text: '',
    actions: [{ name: 'bash', arguments: JSON.stringify({ command }) }],
    observations: [{ name: 'bash', status: ok ? 'ok' : 'error', text: ok ? '' : 'failed' }],
  }));

const brokenAt = (rule: Parameters<typeof createContract>[0], turns: TurnRecord[]) =>
  checkContract(createContract(rule), { runId: 'r', task: 't', turns }).violations.map(
    (violation) => violation.turn,
  );

describe('coding contract rules on recorded commands', () => {
  it("never-edit-test-files follows SWE-agent's open file to its edits", () => {
    const turns = commands(
      ['open /repo/src/main/java/Version.java'],
      ['edit 60:60\n  x = 1;\nend_of_edit'],
      ['create src/test/java/VersionTest.java'],
      ['edit 1:1\n@Test\nend_of_edit'],
      ['open src/main/java/Other.java 10'],
      ['edit 2:2\n  y = 2;\nend_of_edit'],
      ["sed -i 's/a/b/' pkg/tests/test_x.py"],
    );
    expect(brokenAt({ governance: [neverEditTestFiles()] }, turns)).toEqual([3, 4, 7]);
  });

  it('run-tests-before-submitting wants a test run after the last edit, a deletion aside', () => {
    const submit = 'echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git add -A';
    const rule = { governance: [runTestsBeforeSubmitting()] };
    expect(brokenAt(rule, commands(['edit 1:1\nx\nend_of_edit'], ['submit']))).toEqual([2]);
    expect(
      brokenAt(rule, commands(['mvn test'], ['edit 1:1\nx\nend_of_edit'], ['submit'])),
    ).toEqual([3]);
    expect(
      brokenAt(
        rule,
        commands(["sed -i 's/a/b/' x.py"], ['mvn -q test'], ['rm scratch.py'], [submit]),
      ),
    ).toEqual([]);
    expect(
      brokenAt(
        rule,
        commands(['pytest -q'], ["sed -i 's/a/b/' x.py"], [submit], ['pytest'], [submit]),
      ),
    ).toEqual([3]);
    expect(brokenAt(rule, commands(['python reproduce.py'], [submit]))).toEqual([2]);
  });

  it('limit-identical-failing-commands counts failures of the same command, white space aside', () => {
    const turns = commands(
      ['make', false],
      ['make  ', false],
      ['make all', false],
      ['make', false],
      ['make', true],
      ['make'],
    );
    // 'make' failed twice before step 4: with N = 2, steps 4, 5 and 6 break the rule.
    expect(brokenAt({ governance: [limitIdenticalFailingCommands(2)] }, turns)).toEqual([4, 5, 6]);
    expect(brokenAt({ governance: [limitIdenticalFailingCommands(3)] }, turns)).toEqual([5, 6]);
  });
});
