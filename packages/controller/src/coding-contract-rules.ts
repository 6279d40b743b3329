import { InvalidOptionsError } from '@reins/core';
import type {
  ContractCall,
  ContractCallOutcome,
  GovernanceRule,
  RecoveryAction,
} from './contract-definition.js';
import {
  isSubmitCommand,
  isTestCommand,
  isTestPath,
  readEditorCommand,
  type WrittenPathsOptions,
  writtenPaths,
} from './shell-command-facts.js';

const editVerbs = new Set(['create', 'str_replace', 'insert', 'undo_edit', 'write', 'edit']);

/**
 * The files a tool call writes: the `path` of an editing tool (`edit_file`, `write_file`,
 * `str_replace_editor` with `create`/`str_replace`/`insert`), or what a shell command writes.
 * @example
 * ```ts
 * callWrites(toContractCall(1, { name: 'bash', arguments: '{"command":"sed -i s/a/b/ x.py"}' })); // ['x.py']
 * ```
 */
export function callWrites(call: ContractCall, options: WrittenPathsOptions = {}): string[] {
  const input =
    typeof call.input === 'object' && call.input !== null
      ? (call.input as Record<string, unknown>)
      : {};
  const path = input.path ?? input.file_path ?? input.filePath;
  if (typeof path === 'string') {
    const verb = typeof input.command === 'string' ? input.command : undefined;
    if (verb !== undefined) return editVerbs.has(verb) ? [path] : [];
    return /edit|write|create|replace|insert|patch/i.test(call.name) ? [path] : [];
  }
  if (call.command === undefined) return [];
  const created = readEditorCommand(call.command).creates;
  return created === undefined ? writtenPaths(call.command, options) : [created];
}

/** The open file of SWE-agent's editor, which its `edit N:M` commands change. */
export interface OpenFileState {
  readonly openFile: string | null;
}

/** Follows the open file of SWE-agent's editor (`open PATH`, `create PATH`). */
const openFileTracker = {
  initial: { openFile: null } as OpenFileState,
  update: (state: OpenFileState, outcome: ContractCallOutcome): OpenFileState => {
    if (outcome.command === undefined) return state;
    const opened = readEditorCommand(outcome.command).opens;
    return opened === undefined ? state : { openFile: opened };
  },
};

/**
 * The files a call writes, an `edit N:M` of SWE-agent's editor included (it changes the open
 * file, when one is known).
 */
function writesWithOpenFile(call: ContractCall, openFile: string | null): string[] {
  const written = callWrites(call);
  if (
    call.command !== undefined &&
    openFile !== null &&
    readEditorCommand(call.command).editsOpenFile
  )
    written.push(openFile);
  return written;
}

/** Options of {@link neverEditTestFiles}. */
export interface NeverEditTestFilesOptions {
  /** @defaultValue `'never-edit-test-files'` */
  readonly name?: string;
  /** @defaultValue `'hard'` */
  readonly kind?: 'hard' | 'soft';
  /** Which paths are tests. @defaultValue `isTestPath` (a tests folder, a conftest.py) */
  readonly isTestPath?: (path: string) => boolean;
  /** @defaultValue `'deny'` */
  readonly recovery?: RecoveryAction;
}

/**
 * Governance: no tool call may write a test file (a `sed -i`, a redirection, an editing tool's
 * path, SWE-agent's `create` or an `edit` of the open file). Hard by default: the call is denied.
 * @param options - name, kind, which paths are tests, recovery.
 * @returns a governance rule for `createContract({ governance })`.
 * @example
 * ```ts
 * createContract({ governance: [neverEditTestFiles()] });
 * ```
 */
export function neverEditTestFiles(
  options: NeverEditTestFilesOptions = {},
): GovernanceRule<OpenFileState> {
  const isTest = options.isTestPath ?? isTestPath;
  return {
    name: options.name ?? 'never-edit-test-files',
    kind: options.kind ?? 'hard',
    description: 'Never edit test files; change the code under test instead.',
    allows: (call, state) => !writesWithOpenFile(call, state.openFile).some(isTest),
    track: openFileTracker,
    ...(options.recovery === undefined ? {} : { recovery: options.recovery }),
  };
}

/** What {@link runTestsBeforeSubmitting} tracks: tests run, and edits since the last test run. */
export interface TestsBeforeSubmittingState {
  readonly testsRun: number;
  readonly editsSinceTests: number;
}

/** Options of {@link runTestsBeforeSubmitting}. */
export interface RunTestsBeforeSubmittingOptions {
  /** @defaultValue `'run-tests-before-submitting'` */
  readonly name?: string;
  /** @defaultValue `'soft'` */
  readonly kind?: 'hard' | 'soft';
  /** Tools whose call submits the work. @defaultValue `['submit']` */
  readonly submitTools?: readonly string[];
  /** Whether a shell command submits. @defaultValue `isSubmitCommand` (mini-swe-agent, SWE-agent) */
  readonly isSubmitCommand?: (command: string) => boolean;
  /** Whether a shell command runs tests. @defaultValue `isTestCommand` */
  readonly isTestCommand?: (command: string) => boolean;
  /** @defaultValue `'deny'`: the submission is refused until the tests have run */
  readonly recovery?: RecoveryAction;
}

/**
 * Governance: a submission (a `submit` tool, mini-swe-agent's final `echo`) is allowed only
 * after the tests have run at least once with no file edited since (deleting a file, such as a
 * scratch script, is not an edit here). Soft by default, with a
 * `deny` recovery: the submission is refused with the reason, and the agent has k steps to run
 * the tests and submit again. A final answer without tool calls is not a tool call, so it is not
 * governed: give the agent a submit tool where this rule matters.
 * @param options - name, kind, submit tools, how submissions and test runs are recognised.
 * @returns a governance rule for `createContract({ governance })`.
 * @example
 * ```ts
 * createContract({ governance: [runTestsBeforeSubmitting({ submitTools: ['submit'] })] });
 * ```
 */
export function runTestsBeforeSubmitting(
  options: RunTestsBeforeSubmittingOptions = {},
): GovernanceRule<TestsBeforeSubmittingState> {
  const submitTools = new Set(options.submitTools ?? ['submit']);
  const submits = options.isSubmitCommand ?? isSubmitCommand;
  const tests = options.isTestCommand ?? isTestCommand;
  const isSubmission = (call: ContractCall) =>
    submitTools.has(call.name) || (call.command !== undefined && submits(call.command));
  return {
    name: options.name ?? 'run-tests-before-submitting',
    kind: options.kind ?? 'soft',
    description: 'Run the tests after your last edit, before submitting.',
    allows: (call, state) =>
      !isSubmission(call) || (state.testsRun > 0 && state.editsSinceTests === 0),
    track: {
      initial: { testsRun: 0, editsSinceTests: 0 },
      update: (state, outcome: ContractCallOutcome) => {
        if (outcome.command !== undefined && tests(outcome.command))
          return { testsRun: state.testsRun + 1, editsSinceTests: 0 };
        // Deleting a scratch file after the tests is no change to re-test.
        const edits =
          callWrites(outcome, { deletions: false }).length > 0 ||
          (outcome.command !== undefined && readEditorCommand(outcome.command).editsOpenFile);
        if (edits) return { ...state, editsSinceTests: state.editsSinceTests + 1 };
        return state;
      },
    },
    recovery: options.recovery ?? 'deny',
  };
}

/** What {@link limitIdenticalFailingCommands} tracks: failures per command (by a hash of its text). */
export interface IdenticalFailuresState {
  readonly failures: Readonly<Record<string, number>>;
}

/** Options of {@link limitIdenticalFailingCommands}. */
export interface LimitIdenticalFailingCommandsOptions {
  /** @defaultValue `'limit-identical-failing-commands'` */
  readonly name?: string;
  /** @defaultValue `'soft'` */
  readonly kind?: 'hard' | 'soft';
  /** @defaultValue `'correct'` */
  readonly recovery?: RecoveryAction;
}

/** Hash (FNV-1a, 32 bits, hex) of a call's tool and whitespace-normalised command or arguments. */
function commandKey(call: ContractCall): string {
  const text = `${call.name} ${(call.command ?? call.arguments).trim().replace(/\s+/g, ' ')}`;
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * Governance: the same command (same tool, same text up to white space) may fail at most
 * `maxFailures` times in a run; trying it again after that is a violation. Soft by default, with
 * a correction asking for a different approach.
 * @param maxFailures - failures of one command allowed (N), at least 1 (the rule is checked
 *   before a call runs, so 0 would refuse every command the first time it is tried).
 * @param options - name, kind, recovery.
 * @returns a governance rule for `createContract({ governance })`.
 * @throws InvalidOptionsError when `maxFailures` is not a whole number ≥ 1.
 * @example
 * ```ts
 * createContract({ governance: [limitIdenticalFailingCommands(3)] });
 * ```
 */
export function limitIdenticalFailingCommands(
  maxFailures: number,
  options: LimitIdenticalFailingCommandsOptions = {},
): GovernanceRule<IdenticalFailuresState> {
  if (!Number.isInteger(maxFailures) || maxFailures < 1)
    throw new InvalidOptionsError(
      'maxFailures',
      `limitIdenticalFailingCommands(maxFailures) needs a whole number ≥ 1 (0 would refuse every command before it has run), got ${String(maxFailures)}. Pass e.g. limitIdenticalFailingCommands(3).`,
    );
  return {
    name: options.name ?? 'limit-identical-failing-commands',
    kind: options.kind ?? 'soft',
    description: `Do not run a command that has already failed ${maxFailures === 1 ? 'once' : `${maxFailures} times`}; change the approach.`,
    allows: (call, state) => (state.failures[commandKey(call)] ?? 0) < maxFailures,
    track: {
      initial: { failures: {} },
      update: (state, outcome) => {
        if (!outcome.failed) return state;
        const key = commandKey(outcome);
        return { failures: { ...state.failures, [key]: (state.failures[key] ?? 0) + 1 } };
      },
    },
    recovery: options.recovery ?? 'correct',
  };
}
