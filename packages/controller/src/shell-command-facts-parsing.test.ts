import { describe, expect, it } from 'vitest';
import {
  isSubmitCommand,
  isTestPath,
  readEditorCommand,
  withoutHereDocuments,
  writtenPaths,
} from './shell-command-facts.js';

describe('withoutHereDocuments', () => {
  it('keeps a command without here-documents as it is', () => {
    expect(withoutHereDocuments('ls')).toBe('ls');
    expect(withoutHereDocuments('ls\npwd')).toBe('ls\npwd');
    expect(withoutHereDocuments('')).toBe('');
  });

  it('leaves out the body and terminator, and keeps what follows', () => {
    expect(withoutHereDocuments("cat <<'EOF' > a.py\nimport os\nEOF\npytest")).toBe(
      "cat <<'EOF' > a.py\npytest",
    );
    expect(withoutHereDocuments('cat <<EOF > a.py\nx = 1\nEOF\nls')).toBe('cat <<EOF > a.py\nls');
    expect(withoutHereDocuments('cat << "END" > a.py\nx\nEND\nls')).toBe('cat << "END" > a.py\nls');
    expect(withoutHereDocuments('cat << _E1 > a.py\nx\n_E1\nls')).toBe('cat << _E1 > a.py\nls');
  });

  it('ends an indented here-document at its terminator with white space around it', () => {
    expect(withoutHereDocuments('cat <<-EOF > a.sh\n\techo hi\n\tEOF\nls')).toBe(
      'cat <<-EOF > a.sh\nls',
    );
  });

  it('drops everything after a here-document that is never closed', () => {
    expect(withoutHereDocuments("cat <<'EOF' > a.py\nx\nEOFX\nls")).toBe("cat <<'EOF' > a.py");
  });
});

describe('writtenPaths', () => {
  it('reads a redirection target right after the previous word', () => {
    expect(writtenPaths('git diff | tee out.log>/dev/null')).toEqual(['out.log']);
    expect(writtenPaths("sed -i 's/a/b/' x.py>/dev/null")).toEqual(['x.py']);
    expect(writtenPaths('echo hi>out.txt')).toEqual(['out.txt']);
    expect(writtenPaths('echo x > "notes.txt"')).toEqual(['notes.txt']);
    expect(writtenPaths(`echo x > "don't.txt"`)).toEqual(["don't.txt"]);
    expect(writtenPaths('python x.py 2> err.log')).toEqual([]);
    expect(writtenPaths('echo x >&2')).toEqual([]);
  });

  it('keeps quoted arguments with spaces as one word', () => {
    expect(writtenPaths("sed -i 's/a b/c/' x.py")).toEqual(['x.py']);
    expect(writtenPaths('sed -i "s/a b/c/" x.py')).toEqual(['x.py']);
    expect(writtenPaths('sed -i "s/\\"a b\\"/c/" x.py')).toEqual(['x.py']);
    expect(writtenPaths('touch "my file.txt" \'other file.txt\'')).toEqual([
      'my file.txt',
      'other file.txt',
    ]);
  });

  it('skips leading variable assignments to find the program', () => {
    expect(writtenPaths("LC_ALL=C sed -i 's/a/b/' x.py")).toEqual(['x.py']);
    expect(writtenPaths('A=1 _B2=x touch a.txt')).toEqual(['a.txt']);
    // Not a name, so not an assignment: the program is `9LIVES=1`.
    expect(writtenPaths('9LIVES=1 touch a.txt')).toEqual([]);
    expect(writtenPaths('X=1')).toEqual([]);
  });

  it('reads the program by the last part of its path', () => {
    expect(writtenPaths("/bin/sed -i 's/a/b/' x.py")).toEqual(['x.py']);
    expect(writtenPaths('/usr/bin/touch a.txt')).toEqual(['a.txt']);
  });

  it('takes sed operands after the script only when editing in place', () => {
    expect(writtenPaths('sed -n 1,20p x.py')).toEqual([]);
    expect(writtenPaths("sed --quiet 's/a/b/p' x.py")).toEqual([]);
    expect(writtenPaths("sed -ni 's/a/b/p' x.py")).toEqual(['x.py']);
    expect(writtenPaths("sed -Ei 's/a+/b/' x.py")).toEqual(['x.py']);
    expect(writtenPaths("sed --in-place=.bak 's/a/b/' x.py")).toEqual(['x.py']);
    expect(writtenPaths("sed --in-place 's/a/b/' x.py y.py")).toEqual(['x.py', 'y.py']);
    expect(writtenPaths('grep -i foo x.py')).toEqual([]);
  });

  it('takes perl operands after the script only with -i', () => {
    expect(writtenPaths("perl -pi -e 's/a/b/' x.py")).toEqual(['x.py']);
    expect(writtenPaths("perl -i -pe 's/a/b/' x.py y.py")).toEqual(['x.py', 'y.py']);
    expect(writtenPaths("perl -ne 'print if /a/' x.py")).toEqual([]);
    expect(writtenPaths('perl scripts/convert.pl --in=a.txt out.txt')).toEqual([]);
  });

  it('takes the destination of cp, mv and install only with two operands', () => {
    expect(writtenPaths('install -m 755 build/tool /usr/local/bin/tool')).toEqual([
      '/usr/local/bin/tool',
    ]);
    expect(writtenPaths('cp -r src')).toEqual([]);
    expect(writtenPaths('mv')).toEqual([]);
    expect(writtenPaths('cp a b c/')).toEqual(['c/']);
  });

  it('takes touch, truncate and rm operands', () => {
    expect(writtenPaths('truncate --size=0 log.txt')).toEqual(['log.txt']);
    expect(writtenPaths('touch a b')).toEqual(['a', 'b']);
    expect(writtenPaths('rm -rf build dist')).toEqual(['build', 'dist']);
    expect(writtenPaths('rm -rf build', { deletions: true })).toEqual(['build']);
    expect(writtenPaths('ls a b')).toEqual([]);
  });
});

describe('isTestPath', () => {
  it('reads a conftest.py alone as a test file', () => {
    expect(isTestPath('conftest.py')).toBe(true);
    expect(isTestPath('conftest.pyc')).toBe(false);
  });

  it('reads Windows separators as slashes', () => {
    expect(isTestPath('pkg\\tests\\test_a.py')).toBe(true);
    expect(isTestPath('pkg\\conftest.py')).toBe(true);
  });

  it('needs a folder named exactly test, tests or testing before the last part', () => {
    expect(isTestPath('bin/test')).toBe(false);
    expect(isTestPath('astropy/tests')).toBe(false);
    expect(isTestPath('astropy/tests/')).toBe(false);
    expect(isTestPath('src/unittests/helpers.py')).toBe(false);
    expect(isTestPath('src/testutils/helpers.py')).toBe(false);
    expect(isTestPath('Tests/x.py')).toBe(true);
    expect(isTestPath('//test//x.py')).toBe(true);
  });
});

describe('isSubmitCommand', () => {
  it('reads submit only as the first word', () => {
    expect(isSubmitCommand('  submit')).toBe(true);
    expect(isSubmitCommand('submit\n')).toBe(true);
    expect(isSubmitCommand('echo submit')).toBe(false);
    expect(isSubmitCommand('resubmit')).toBe(false);
    expect(isSubmitCommand('submitted')).toBe(false);
    expect(isSubmitCommand('echo MINI_SWE_AGENT_FINAL_OUTPUT')).toBe(true);
  });
});

describe('readEditorCommand', () => {
  it('reads the first line after leading white space', () => {
    expect(readEditorCommand('\n  open a.py')).toEqual({ opens: 'a.py', editsOpenFile: false });
    expect(readEditorCommand('  edit 1:2\nx\nend_of_edit')).toEqual({ editsOpenFile: true });
  });

  it('opens and creates paths given plain, double-quoted or single-quoted', () => {
    expect(readEditorCommand('open  x.py 10')).toEqual({ opens: 'x.py', editsOpenFile: false });
    expect(readEditorCommand('open "my file.py"')).toEqual({
      opens: 'my file.py',
      editsOpenFile: false,
    });
    expect(readEditorCommand("open 'my file.py' 3")).toEqual({
      opens: 'my file.py',
      editsOpenFile: false,
    });
    expect(readEditorCommand('create  x.py')).toEqual({
      opens: 'x.py',
      creates: 'x.py',
      editsOpenFile: false,
    });
    expect(readEditorCommand('create "my file.py"')).toEqual({
      opens: 'my file.py',
      creates: 'my file.py',
      editsOpenFile: false,
    });
    expect(readEditorCommand("create 'my file.py'")).toEqual({
      opens: 'my file.py',
      creates: 'my file.py',
      editsOpenFile: false,
    });
  });

  it('reads open, create and edit only at the start of the line', () => {
    expect(readEditorCommand('xdg-open index.html')).toEqual({ editsOpenFile: false });
    expect(readEditorCommand('npm create vite@latest app')).toEqual({ editsOpenFile: false });
    expect(readEditorCommand('echo edit 3:4')).toEqual({ editsOpenFile: false });
  });

  it('reads an edit of a line range alone on its line, white space allowed', () => {
    expect(readEditorCommand('edit  3:4')).toEqual({ editsOpenFile: true });
    expect(readEditorCommand('edit 3:4  \nx\nend_of_edit')).toEqual({ editsOpenFile: true });
    expect(readEditorCommand('edit 3:4 extra')).toEqual({ editsOpenFile: false });
    expect(readEditorCommand('edit 3')).toEqual({ editsOpenFile: false });
  });
});
