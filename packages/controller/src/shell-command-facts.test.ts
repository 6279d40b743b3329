import { describe, expect, it } from 'vitest';
import {
  isSubmitCommand,
  isTestCommand,
  isTestPath,
  readEditorCommand,
  writtenPaths,
} from './shell-command-facts.js';

describe('shell command facts', () => {
  it('finds the files a command writes', () => {
    expect(writtenPaths("sed -i 's/a/b/g' src/x.py")).toEqual(['src/x.py']);
    expect(writtenPaths("sed -i -e 's/a/b/' one.py two.py")).toEqual(['one.py', 'two.py']);
    expect(
      writtenPaths("cat <<'EOF' > tests/test_x.py\nimport os\nos.remove('y') > z\nEOF"),
    ).toEqual(['tests/test_x.py']);
    expect(writtenPaths('echo hi >> notes.txt && grep -r foo . 2>/dev/null | tee out.log')).toEqual(
      ['notes.txt', 'out.log'],
    );
    expect(writtenPaths('cp a.py b/c.py; mv x y; rm -f tests/old.py')).toEqual([
      'b/c.py',
      'y',
      'tests/old.py',
    ]);
    expect(writtenPaths('rm -f scratch.py && touch a', { deletions: false })).toEqual(['a']);
    expect(writtenPaths('python x.py 2>&1 > /dev/null')).toEqual([]);
    expect(writtenPaths('grep -n foo src/tests/test_a.py')).toEqual([]);
    expect(writtenPaths('nl -ba tests/test_a.py | sed -n 1,20p')).toEqual([]);
  });

  it('tells test files from others', () => {
    expect(isTestPath('/testbed/astropy/modeling/tests/test_separable.py')).toBe(true);
    expect(isTestPath('src/test/java/org/FooTest.java')).toBe(true);
    expect(isTestPath('testing/python/raises.py')).toBe(true);
    expect(isTestPath('pkg/conftest.py')).toBe(true);
    expect(isTestPath('reproduce_issue.py')).toBe(false);
    expect(isTestPath('test_repro.py')).toBe(false);
    expect(isTestPath('src/testutils.py')).toBe(false);
  });

  it('recognises test runs and submissions', () => {
    expect(isTestCommand('cd /testbed && python -m pytest astropy/modeling -q')).toBe(true);
    expect(isTestCommand('./tests/runtests.py queries')).toBe(true);
    expect(isTestCommand('bin/test sympy/core')).toBe(true);
    expect(isTestCommand('mvn -q test -Dtest=FooTest')).toBe(true);
    expect(isTestCommand('python pkg/tests/test_a.py')).toBe(true);
    expect(isTestCommand('python reproduce_issue.py')).toBe(false);
    expect(isTestCommand("cat <<'EOF' > r.py\nimport pytest\nEOF")).toBe(false);
    expect(isSubmitCommand('echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git add -A')).toBe(true);
    expect(isSubmitCommand('submit')).toBe(true);
    expect(isSubmitCommand('echo done')).toBe(false);
  });

  it("reads SWE-agent's editor commands", () => {
    expect(readEditorCommand('open /repo/src/main/java/Version.java 60\n')).toEqual({
      opens: '/repo/src/main/java/Version.java',
      editsOpenFile: false,
    });
    expect(readEditorCommand('create src/test/java/VersionTest.java\n')).toEqual({
      opens: 'src/test/java/VersionTest.java',
      creates: 'src/test/java/VersionTest.java',
      editsOpenFile: false,
    });
    expect(readEditorCommand('edit 60:60\n        x = 1;\nend_of_edit\n')).toEqual({
      editsOpenFile: true,
    });
    expect(readEditorCommand('sed -i s/a/b/ x.py')).toEqual({ editsOpenFile: false });
  });
});
