import { describe, expect, it } from 'vitest';
import { contractOutputLength, toContractCall, toContractCallOutcome } from './contract-call.js';

const call = (args: string) => toContractCall(7, { name: 'bash', arguments: args });

describe('a tool call as contract rules see it', () => {
  it('parses JSON arguments and takes the command from command', () => {
    expect(call('{"command":"pytest -q"}')).toEqual({
      turn: 7,
      name: 'bash',
      arguments: '{"command":"pytest -q"}',
      input: { command: 'pytest -q' },
      command: 'pytest -q',
    });
  });

  it('takes the command from cmd when command is absent or null', () => {
    expect(call('{"cmd":"ls"}').command).toBe('ls');
    expect(call('{"command":null,"cmd":"ls"}').command).toBe('ls');
  });

  it('has no command when the field is not a string', () => {
    expect(call('{"command":5}')).toEqual({
      turn: 7,
      name: 'bash',
      arguments: '{"command":5}',
      input: { command: 5 },
      command: undefined,
    });
    expect(call('{"command":["ls"]}').command).toBeUndefined();
  });

  it('reads empty or blank arguments as an empty object', () => {
    expect(call('')).toEqual({
      turn: 7,
      name: 'bash',
      arguments: '',
      input: {},
      command: undefined,
    });
    expect(call('  \n').input).toEqual({});
  });

  it('leaves input undefined when the arguments are not JSON', () => {
    expect(call('pytest -q')).toEqual({
      turn: 7,
      name: 'bash',
      arguments: 'pytest -q',
      input: undefined,
      command: undefined,
    });
  });

  it('has no command when the arguments are JSON null, a string or a number', () => {
    expect(call('null')).toMatchObject({ input: null, command: undefined });
    expect(call('"ls"')).toMatchObject({ input: 'ls', command: undefined });
    expect(call('5')).toMatchObject({ input: 5, command: undefined });
  });
});

describe('a finished call as contract rules see it', () => {
  const made = call('{"command":"pytest"}');

  it('keeps an output of up to 4000 characters whole', () => {
    expect(contractOutputLength).toBe(4000);
    const exact = 'x'.repeat(4000);
    expect(toContractCallOutcome(made, { failed: true, output: exact })).toEqual({
      ...made,
      failed: true,
      output: exact,
    });
    expect(toContractCallOutcome(made, { failed: false, output: 'y'.repeat(3999) }).output).toBe(
      'y'.repeat(3999),
    );
    expect(toContractCallOutcome(made, { failed: false, output: '' }).output).toBe('');
  });

  it('keeps the first and last 2000 characters of a longer output', () => {
    // 4001 characters: 2000 'a', one 'm', 2000 'z'.
    const output = `${'a'.repeat(2000)}m${'z'.repeat(2000)}`;
    expect(toContractCallOutcome(made, { failed: false, output })).toEqual({
      ...made,
      failed: false,
      output: `${'a'.repeat(2000)}\n…\n${'z'.repeat(2000)}`,
    });
    const long = `head${'-'.repeat(10_000)}tail`;
    const kept = toContractCallOutcome(made, { failed: false, output: long }).output;
    expect(kept).toHaveLength(2000 + 3 + 2000);
    expect(kept.startsWith(`head${'-'.repeat(1996)}\n…\n`)).toBe(true);
    expect(kept.endsWith(`\n…\n${'-'.repeat(1996)}tail`)).toBe(true);
  });
});
