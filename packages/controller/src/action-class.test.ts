import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ActionClass, classifyAction } from './action-class.js';
import { defaultOverthinkingMonitorOptions } from './overthinking-monitor.js';
import type { TurnAction } from './turn-record.js';

/** The default predicates, tried in the overthinking monitor's order. */
function byPredicates(action: TurnAction): ActionClass {
  const { isFinish, isEdit, isVerification } = defaultOverthinkingMonitorOptions;
  if (isFinish(action)) return 'finish';
  if (isEdit(action)) return 'edit';
  if (isVerification(action)) return 'verification';
  return 'other';
}

/** Pieces that make the patterns match, almost match, or stop matching. */
const pieces = [
  'submit',
  'Task_Done',
  'finish',
  'finished',
  'COMPLETE_TASK',
  'echo_complete_task_now',
  'complete_tas',
  'edit',
  'WRITE',
  'replace',
  'str_replace',
  'str_replaced',
  'patch',
  'create',
  'apply',
  'sed',
  'parsed',
  '-i',
  '-I',
  '-n',
  '>',
  '>>',
  '->',
  '.',
  '.py',
  'x.',
  'test',
  'tests',
  'testing',
  'pytest',
  'verify',
  'check',
  'python',
  'Python3',
  'python33',
  'node',
  'npm',
  'pnpm',
  'make',
  'cargo',
  'go',
  'gopher',
  'reproduce',
  'a',
  '_',
  '7',
  ' ',
  '  ',
  '\t',
  '\n',
  '\u00a0',
  '\u2003',
  '\u3000',
  '\ufeff',
  '\u180e',
  'é',
  '漢',
  '"',
  "'",
  '/',
  '&&',
  ';',
  '{',
  '}',
];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((parts) => parts.join(''));

describe('classifyAction', () => {
  it('classifies as the default isFinish, isEdit and isVerification do, on pieces of commands', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.constant('bash')), text, (name, args) => {
        const action = { name, arguments: args };
        expect(classifyAction(action)).toBe(byPredicates(action));
      }),
      { numRuns: 5000 },
    );
  });

  it('classifies as the predicates do on arbitrary text, long text and every code unit as a separator', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        (a, b) => {
          const action = { name: a, arguments: b };
          expect(classifyAction(action)).toBe(byPredicates(action));
        },
      ),
    );
    // Every code unit up to the CJK space, and the last block (U+FEFF is white space too).
    const codes = Array.from({ length: 0x3100 }, (_, code) => code);
    for (let code = 0xfe00; code < 0x10000; code += 1) codes.push(code);
    for (const code of codes) {
      const separator = String.fromCharCode(code);
      for (const args of [`sed${separator}-i x`, `>${separator}a.b`, `x${separator}test`]) {
        const action = { name: 'bash', arguments: args };
        expect(classifyAction(action)).toBe(byPredicates(action));
      }
    }
    const long = `${'grep -rn "parse_date" django/ | head; '.repeat(200)}`;
    for (const middle of [
      '',
      ' sed -i s/a/b/ x.py ',
      ' pytest ',
      ' echo COMPLETE_TASK ',
      ' > out.txt ',
    ]) {
      const action = { name: 'bash', arguments: `${long}${middle}${long}` };
      expect(classifyAction(action)).toBe(byPredicates(action));
    }
  });

  it('finds what the patterns find in the recorded commands', () => {
    const commands = [
      "sed -i 's/old/new/' django/forms/fields.py",
      "cat <<'EOF' > reproduce.py\nprint(1)\nEOF\npython reproduce.py",
      'cd /testbed && python -m pytest tests/forms_tests -x -q',
      'echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git add -A && git diff --cached',
      'grep -rn "def clean" django/forms/fields.py',
    ];
    const classes = commands.map((command) => classifyAction({ name: 'bash', arguments: command }));
    expect(classes).toEqual(['edit', 'edit', 'verification', 'finish', 'other']);
    expect(classes).toEqual(
      commands.map((command) => byPredicates({ name: 'bash', arguments: command })),
    );
  });
});
