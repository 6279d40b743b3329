import type { ContractCall, ContractCallOutcome } from './contract-definition.js';

/** Characters of a call's output kept for invariants: the first and the last half each. */
export const contractOutputLength = 4000;

/**
 * A tool call as contract rules see it: its arguments parsed as JSON when they are, and the
 * shell command when they carry one (`command` or `cmd`).
 *
 * @param turn - the step the call belongs to.
 * @param call - the tool's name and raw arguments text.
 * @returns the call with `input` and `command` filled in.
 * @example
 * ```ts
 * toContractCall(3, { name: 'bash', arguments: '{"command":"pytest -q"}' }).command; // 'pytest -q'
 * ```
 */
export function toContractCall(
  turn: number,
  call: { readonly name: string; readonly arguments: string },
): ContractCall {
  let input: unknown;
  try {
    input = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch {
    input = undefined;
  }
  let command: string | undefined;
  if (typeof input === 'object' && input !== null) {
    const fields = input as Record<string, unknown>;
    const value = fields.command ?? fields.cmd;
    if (typeof value === 'string') command = value;
  }
  return { turn, name: call.name, arguments: call.arguments, input, command };
}

/**
 * A finished call as contract trackers and invariants see it; a long output keeps its first and
 * last {@link contractOutputLength}/2 characters (a test summary is at the end).
 * @example
 * ```ts
 * toContractCallOutcome(toContractCall(3, call), { failed: true, output: '1 failed' });
 * ```
 */
export function toContractCallOutcome(
  call: ContractCall,
  result: { readonly failed: boolean; readonly output: string },
): ContractCallOutcome {
  const { output } = result;
  const half = contractOutputLength / 2;
  return {
    ...call,
    failed: result.failed,
    output:
      output.length <= contractOutputLength
        ? output
        : `${output.slice(0, half)}\n…\n${output.slice(-half)}`,
  };
}
