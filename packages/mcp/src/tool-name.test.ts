import { describe, expect, it } from 'vitest';
import { toReinsToolName, uniqueToolName } from './tool-name.js';

const valid = /^[a-zA-Z0-9_-]{1,64}$/;

describe('toReinsToolName', () => {
  it('keeps a valid name and adds the prefix', () => {
    expect(toReinsToolName('read_file', '')).toBe('read_file');
    expect(toReinsToolName('read_file', 'fs_')).toBe('fs_read_file');
  });

  it('replaces characters MCP allows and Reins does not', () => {
    expect(toReinsToolName('files.read/v2', 'x_')).toBe('x_files_read_v2');
    expect(toReinsToolName('héllo wörld', '')).toMatch(valid);
  });

  it('cuts long names with a hash, so that two long names stay apart', () => {
    const a = toReinsToolName(`${'a'.repeat(100)}1`, '');
    const b = toReinsToolName(`${'a'.repeat(100)}2`, '');
    expect(a).toMatch(valid);
    expect(b).toMatch(valid);
    expect(a).not.toBe(b);
  });

  it('keeps two MCP names that map to one Reins name apart', () => {
    const taken = new Set([toReinsToolName('a.b', '')]);
    const second = uniqueToolName(toReinsToolName('a_b', ''), 'a_b', taken);
    expect(second).not.toBe('a_b');
    expect(second).toMatch(valid);
  });
});
