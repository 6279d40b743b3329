import { describe, expect, it } from 'vitest';
import { firstCommandWord, toToolKey } from './tool-key.js';

describe('toToolKey', () => {
  it('keys shell tools by the first word of the command, others by name', () => {
    expect(toToolKey('bash', '{"command":"pytest -x tests/test_a.py"}')).toBe('bash:pytest');
    expect(toToolKey('bash', '{"command":"cd /repo && python -m pytest"}')).toBe('bash:python');
    expect(toToolKey('bash', '{"command":"./tests/runtests.py admin"}')).toBe('bash:runtests.py');
    expect(toToolKey('bash', '{"command":"PYTHONPATH=. timeout 60 pytest"}')).toBe('bash:pytest');
    expect(toToolKey('read_file', '{"path":"a.py"}')).toBe('read_file');
    expect(toToolKey('bash', '{"other":1}')).toBe('bash');
    expect(toToolKey('run', 'ls -la')).toBe('run:ls');
    expect(toToolKey('terminal', '{"command":"ls"}', { shellTools: ['terminal'] })).toBe(
      'terminal:ls',
    );
  });

  it('finds no word in an empty command', () => {
    expect(firstCommandWord('   ')).toBe('');
    expect(firstCommandWord('cd /x')).toBe('');
    expect(firstCommandWord('sudo env A=1 grep -r x .')).toBe('grep');
  });
});
