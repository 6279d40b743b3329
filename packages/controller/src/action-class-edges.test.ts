import { describe, expect, it } from 'vitest';
import { classifyAction } from './action-class.js';

const bash = (command: string) => classifyAction({ name: 'bash', arguments: command });

describe('classifyAction at the edges of its patterns', () => {
  it('reads `sed`, white space and `-i` (or `-I`) as an edit, wherever sed ends a word', () => {
    expect(bash("sed -i 's/a/b/' x")).toBe('edit');
    expect(bash("sed  \t-i 's/a/b/' x")).toBe('edit');
    expect(bash("sed -I 's/a/b/' x")).toBe('edit');
    // `sed\s+-i` has no word boundary before `sed`.
    expect(bash("used -i 's/a/b/' x")).toBe('edit');
    expect(bash('ed -i x')).toBe('other');
    expect(bash('xed -i x')).toBe('other');
    expect(bash('sad -i x')).toBe('other');
    expect(bash('sex -i x')).toBe('other');
    expect(bash('sed xi x')).toBe('other');
    expect(bash('sed -n x')).toBe('other');
    expect(bash('sed-i x')).toBe('other');
    expect(bash('sed')).toBe('other');
    expect(bash('sed ')).toBe('other');
  });

  it('does not read past the end of a command that ends in `sed -`', () => {
    expect(bash('sed -i a')).toBe('edit');
    expect(bash('sed -')).toBe('other');
    expect(bash('sed -i a')).toBe('edit');
    expect(bash('sed  -')).toBe('other');
  });

  it('reads `>` then a name with a dot followed by an ASCII word character as an edit', () => {
    expect(bash('echo x > a.b')).toBe('edit');
    expect(bash('echo x >a._')).toBe('edit');
    expect(bash('echo x >a.7')).toBe('edit');
    // `\w` without the `u` flag is ASCII only: U+0080 and U+00E9 are not word characters.
    expect(bash('echo x >a.\u0080')).toBe('other');
    expect(bash('echo x >a.\u00e9')).toBe('other');
    expect(bash('echo x > .b')).toBe('other');
    expect(bash('echo x > a.')).toBe('other');
    expect(bash('echo x > a. b')).toBe('other');
    expect(bash('echo x >')).toBe('other');
    expect(bash('echo x >   ')).toBe('other');
    // A later `>` inside a run that failed can still be followed by a good one.
    expect(bash('a>b>c d>e.f')).toBe('edit');
    expect(bash('>>>>>> a.b')).toBe('edit');
  });

  it('lets the name decide finish, and the arguments raise but never lower the class', () => {
    expect(classifyAction({ name: 'submit', arguments: 'pytest' })).toBe('finish');
    expect(classifyAction({ name: 'str_replace', arguments: 'pytest' })).toBe('edit');
    // Keywords are whole words: `str_replace_editor` is none of them.
    expect(classifyAction({ name: 'str_replace_editor', arguments: 'pytest' })).toBe(
      'verification',
    );
    expect(classifyAction({ name: 'run_tests', arguments: '' })).toBe('other');
    expect(classifyAction({ name: 'test', arguments: 'ls' })).toBe('verification');
    expect(classifyAction({ name: 'test', arguments: 'submit' })).toBe('finish');
    expect(classifyAction({ name: 'edit', arguments: 'echo COMPLETE_TASK' })).toBe('finish');
  });
});
