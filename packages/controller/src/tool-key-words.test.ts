import { describe, expect, it } from 'vitest';
import { defaultShellToolNames, firstCommandWord, toToolKey } from './tool-key.js';

describe('firstCommandWord', () => {
  it('splits at &&, || and ; with or without white space around them', () => {
    expect(firstCommandWord('ls&&pwd')).toBe('ls');
    expect(firstCommandWord('cd /x&&make')).toBe('make');
    expect(firstCommandWord('cd /x &&make')).toBe('make');
    expect(firstCommandWord('cd /x||make test')).toBe('make');
    expect(firstCommandWord('cd /x ;  git status')).toBe('git');
    expect(firstCommandWord('cd /x;cd /y;pytest')).toBe('pytest');
  });

  it('passes over empty commands between separators', () => {
    expect(firstCommandWord('; ls')).toBe('ls');
    expect(firstCommandWord('&& git diff')).toBe('git');
    expect(firstCommandWord('cd /x ; ; pytest -q')).toBe('pytest');
    expect(firstCommandWord(';')).toBe('');
    expect(firstCommandWord('')).toBe('');
    expect(firstCommandWord('\n\t  ')).toBe('');
  });

  it('skips wrappers one word at a time, and timeout with its duration', () => {
    expect(firstCommandWord('sudo ls')).toBe('ls');
    expect(firstCommandWord('time make')).toBe('make');
    expect(firstCommandWord('nohup python serve.py')).toBe('python');
    expect(firstCommandWord('exec pytest')).toBe('pytest');
    expect(firstCommandWord('env')).toBe('');
    expect(firstCommandWord('timeout 60 pytest')).toBe('pytest');
    expect(firstCommandWord('timeout 5m make test')).toBe('make');
    // Without a duration only `timeout` itself is skipped.
    expect(firstCommandWord('timeout python3 -m pytest')).toBe('python3');
    expect(firstCommandWord('timeout')).toBe('');
    // A wrapper other than timeout does not swallow a following word that starts with a digit.
    expect(firstCommandWord('sudo 7z x archive.7z')).toBe('7z');
    expect(firstCommandWord('A=1 2to3 -w f.py')).toBe('2to3');
  });

  it('skips variable assignments only when they start with a name', () => {
    expect(firstCommandWord('PYTHONPATH=. DJANGO_SETTINGS=x python manage.py test')).toBe('python');
    expect(firstCommandWord('_X=1 go test ./...')).toBe('go');
  });

  it('strips one quote at either end of the word and keeps quotes inside it', () => {
    expect(firstCommandWord('"python" x.py')).toBe('python');
    expect(firstCommandWord("'pytest' -x")).toBe('pytest');
    expect(firstCommandWord(`"./it's.sh" a`)).toBe("it's.sh");
  });

  it('cuts a path to its last part, unless the path ends with a slash', () => {
    expect(firstCommandWord('/runtests.py --parallel 1')).toBe('runtests.py');
    expect(firstCommandWord('/usr/bin/env python')).toBe('env');
    expect(firstCommandWord('a/b')).toBe('b');
    expect(firstCommandWord('tests/ -k x')).toBe('tests/');
    expect(firstCommandWord('/')).toBe('/');
    expect(firstCommandWord('x')).toBe('x');
  });
});

describe('toToolKey', () => {
  it('reads bash, shell, sh, run and exec as the shell tools by default', () => {
    expect(defaultShellToolNames).toEqual(['bash', 'shell', 'sh', 'run', 'exec']);
    for (const name of defaultShellToolNames)
      expect(toToolKey(name, '{"command":"ls -la"}')).toBe(`${name}:ls`);
  });

  it('keys other tools by their name even when they have a command argument', () => {
    expect(toToolKey('terminal', '{"command":"ls"}')).toBe('terminal');
    expect(toToolKey('str_replace_editor', '{"command":"view","path":"a.py"}')).toBe(
      'str_replace_editor',
    );
    expect(toToolKey('bash', '{"command":"ls"}', { shellTools: ['terminal'] })).toBe('bash');
  });

  it('reads the command from a JSON string, `command`, `cmd` or the raw text', () => {
    expect(toToolKey('bash', '"pytest -x"')).toBe('bash:pytest');
    expect(toToolKey('bash', '{"cmd":"make test"}')).toBe('bash:make');
    expect(toToolKey('bash', '{"command":"git log","cmd":"ls"}')).toBe('bash:git');
    expect(toToolKey('bash', 'cd /repo && npm test')).toBe('bash:npm');
  });

  it('keys by the name alone when there is no command text', () => {
    expect(toToolKey('bash', 'null')).toBe('bash');
    expect(toToolKey('bash', '42')).toBe('bash');
    expect(toToolKey('bash', 'true')).toBe('bash');
    expect(toToolKey('bash', '["ls"]')).toBe('bash');
    expect(toToolKey('bash', '{"command":["ls"]}')).toBe('bash');
    expect(toToolKey('bash', '{"command":null,"cmd":7}')).toBe('bash');
    expect(toToolKey('bash', '{"command":""}')).toBe('bash');
    expect(toToolKey('bash', '{"command":"cd /repo"}')).toBe('bash');
    expect(toToolKey('bash', '""')).toBe('bash');
    expect(toToolKey('bash', '')).toBe('bash');
  });
});
