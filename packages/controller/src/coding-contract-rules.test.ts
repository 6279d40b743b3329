import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../scripts/thrown-by.js';
import { replay } from '../test/replay.js';
import { checkContract } from './check-contract.js';
import {
  callWrites,
  limitIdenticalFailingCommands,
  neverEditTestFiles,
  runTestsBeforeSubmitting,
} from './coding-contract-rules.js';
import { toContractCall } from './contract-call.js';
import type { ContractLedger } from './contract-ledger.js';
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

/** One tool call per turn, with its arguments as the model wrote them and its exit status. */
const calls = (...steps: [name: string, input: unknown, ok?: boolean][]): TurnRecord[] =>
  steps.map(([name, input, ok = true], index) => ({
    turn: index + 1,
    text: '',
    actions: [{ name, arguments: typeof input === 'string' ? input : JSON.stringify(input) }],
    observations: [{ name, status: ok ? 'ok' : 'error', text: ok ? '' : 'failed' }],
  }));

const writes = (name: string, input: unknown) =>
  callWrites(
    toContractCall(1, {
      name,
      arguments: typeof input === 'string' ? input : JSON.stringify(input),
    }),
  );

describe('the files a call writes', () => {
  it("takes an editing tool's path, under any of its three spellings", () => {
    expect(writes('edit_file', { path: 'src/a.py' })).toEqual(['src/a.py']);
    expect(writes('write_file', { file_path: 'src/b.py', content: 'x = 1' })).toEqual(['src/b.py']);
    expect(writes('createFile', { filePath: 'src/c.ts' })).toEqual(['src/c.ts']);
    // A null command (as strict tool schemas send for an optional field) names no verb.
    expect(writes('edit_file', { path: 'src/a.py', command: null })).toEqual(['src/a.py']);
  });

  it('leaves out a path the tool only reads', () => {
    expect(writes('read_file', { path: 'tests/test_a.py' })).toEqual([]);
  });

  it("follows the editor's verb: create, str_replace and insert write, view does not", () => {
    for (const verb of ['create', 'str_replace', 'insert']) {
      expect(writes('str_replace_editor', { command: verb, path: 'src/a.py' })).toEqual([
        'src/a.py',
      ]);
    }
    expect(writes('str_replace_editor', { command: 'view', path: 'src/a.py' })).toEqual([]);
  });

  it('finds no file in arguments that are not a JSON object', () => {
    expect(writes('edit_file', 'open the file src/a.py')).toEqual([]);
    expect(writes('edit_file', 'null')).toEqual([]);
  });
});

describe('never-edit-test-files beyond shell commands', () => {
  const rule = { governance: [neverEditTestFiles()] };

  it('keeps the open file across commands that open nothing', () => {
    expect(
      brokenAt(rule, commands(['open src/app.py'], ['ls'], ['edit 1:1\nx = 1\nend_of_edit'])),
    ).toEqual([]);
    expect(
      brokenAt(rule, commands(['open tests/test_app.py'], ['ls'], ['edit 1:1\nx\nend_of_edit'])),
    ).toEqual([3]);
  });

  it('sees no open file in an edit before any open, nor in a call without a command', () => {
    expect(brokenAt(rule, commands(['edit 1:1\nx = 1\nend_of_edit']))).toEqual([]);
    expect(
      brokenAt(
        rule,
        calls(['bash', { command: 'open tests/test_app.py' }], ['edit_file', { path: 'src/a.py' }]),
      ),
    ).toEqual([]);
    expect(brokenAt(rule, calls(['edit_file', { path: 'tests/test_app.py' }]))).toEqual([1]);
  });

  it('takes its recovery from the options, and denies by default', () => {
    const recoveryOf = (options?: Parameters<typeof neverEditTestFiles>[0]) =>
      checkContract(createContract({ governance: [neverEditTestFiles(options)] }), {
        runId: 'r',
        task: 't',
        turns: commands(["sed -i 's/a/b/' tests/test_a.py"]),
      }).violations.map((violation) => violation.recovery);
    expect(recoveryOf()).toEqual(['deny']);
    expect(recoveryOf({ recovery: 'correct' })).toEqual(['correct']);
  });
});

describe('run-tests-before-submitting beyond shell commands', () => {
  it('asks its submit-command test only about calls that carry a command', () => {
    const rule = {
      governance: [
        runTestsBeforeSubmitting({ isSubmitCommand: (command) => command.startsWith('git push') }),
      ],
    };
    const turns = calls(
      ['read_file', { path: 'src/a.py' }],
      ['bash', { command: 'git push origin fix' }],
    );
    expect(brokenAt(rule, turns)).toEqual([2]);
  });

  it('counts the edits made since the last test run', () => {
    const contract = createContract({ governance: [runTestsBeforeSubmitting()] });
    const { session } = replay(
      contract,
      commands(['pytest -q'], ["sed -i 's/a/b/' x.py"], ["sed -i 's/c/d/' y.py"]),
    );
    const state = session.snapshot?.() as { ledger: ContractLedger } | undefined;
    expect(state?.ledger.tracked['governance:run-tests-before-submitting']).toEqual({
      testsRun: 1,
      editsSinceTests: 2,
    });
  });
});

describe('limit-identical-failing-commands beyond the count', () => {
  const once = { governance: [limitIdenticalFailingCommands(1)] };

  it('takes a command as the same up to runs of white space, and nothing looser', () => {
    expect(brokenAt(once, commands(['make  all', false], ['make all']))).toEqual([2]);
    expect(brokenAt(once, commands(['make all', false], ['makeall']))).toEqual([]);
    expect(brokenAt(once, commands(['make', false], ['ls']))).toEqual([]);
  });

  it('counts failures only', () => {
    expect(brokenAt(once, commands(['make'], ['make'], ['make']))).toEqual([]);
  });

  it('keys its saved failures by the FNV-1a hash of the tool and the command, 8 hex digits', () => {
    const contract = createContract({ governance: [limitIdenticalFailingCommands(3)] });
    const { session } = replay(contract, commands(['make', false], ['make', false]));
    const state = session.snapshot?.() as { ledger: ContractLedger } | undefined;
    // FNV-1a (offset 0x811c9dc5, prime 0x01000193) of the UTF-16 code units of 'bash make',
    // worked out separately: 0x0c93a357, whose leading zero is kept.
    expect(state?.ledger.tracked['governance:limit-identical-failing-commands']).toEqual({
      failures: { '0c93a357': 2 },
    });
  });

  it('corrects by default whatever its kind, and takes a recovery from the options', () => {
    const recoveryOf = (options: Parameters<typeof limitIdenticalFailingCommands>[1]) =>
      checkContract(createContract({ governance: [limitIdenticalFailingCommands(1, options)] }), {
        runId: 'r',
        task: 't',
        turns: commands(['make', false], ['make']),
      }).violations.map((violation) => violation.recovery);
    expect(recoveryOf({ kind: 'hard' })).toEqual(['correct']);
    expect(recoveryOf({ recovery: 'stop' })).toEqual(['stop']);
  });

  it('takes any whole number of failures from 1, and names the argument otherwise', () => {
    expect(limitIdenticalFailingCommands(1).description).toBe(
      'Do not run a command that has already failed once; change the approach.',
    );
    for (const bad of [0, -1, 2.5]) {
      const error = thrownBy(() => limitIdenticalFailingCommands(bad));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error).toMatchObject({
        field: 'maxFailures',
        message: `limitIdenticalFailingCommands(maxFailures) needs a whole number ≥ 1 (0 would refuse every command before it has run), got ${bad}. Pass e.g. limitIdenticalFailingCommands(3).`,
      });
    }
  });
});
