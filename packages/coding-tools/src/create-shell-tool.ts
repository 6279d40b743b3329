import { defineTool, type Tool } from '@reins/core';
import { z } from 'zod';
import type { Sandbox } from './sandbox/create-sandbox.js';

/** Options of {@link createShellTool}. */
export interface ShellToolOptions {
  /** The sandbox commands run in, from `createSandbox`. */
  readonly sandbox: Sandbox;
  /** Milliseconds after which a command and everything it started are killed. */
  readonly timeoutMs: number;
  /** Characters of output returned to the model. */
  readonly outputLimit: number;
}

/**
 * The `run_command` tool: a shell command (`/bin/sh -c`) in the sandbox, in the workspace
 * root. The result is the exit code and the output, with a note when output was cut or the
 * command was killed for printing too much or for using too much CPU.
 *
 * @param options - the sandbox, the timeout and the output cap.
 * @example
 * ```ts
 * const sandbox = await createSandbox({ workspace: root });
 * const shell = createShellTool({ sandbox, timeoutMs: 30_000, outputLimit: 8_000 });
 * ```
 */
export function createShellTool(options: ShellToolOptions): Tool<{ command: string }, string> {
  const { sandbox, timeoutMs, outputLimit } = options;
  const network = sandbox.isolation === 'none' ? '' : ' It has no network access unless allowed.';
  return defineTool({
    name: 'run_command',
    description: `Runs a shell command in the workspace root and returns its exit code and output. Killed after ${timeoutMs} ms.${network} Only the workspace (and /tmp, emptied after each command) can be written.`,
    input: z.object({ command: z.string().min(1) }),
    // The tool's own timeout is later than the command's, so the command's clearer error wins.
    timeoutMs: timeoutMs + 5_000,
    execute: async ({ command }, { signal }) => {
      const result = await sandbox.run(command, { timeoutMs, outputLimit, signal });
      const notes: string[] = [];
      if (result.droppedCharacters > 0)
        notes.push(`[${result.droppedCharacters} more characters of output not shown]`);
      if (result.killedFor === 'output-limit')
        notes.push(
          `[killed after printing more than ${sandbox.limits.outputBytes} bytes: redirect long output to a file and read parts of it]`,
        );
      if (result.signal === 'SIGXCPU')
        notes.push(`[killed after ${sandbox.limits.cpuSeconds} s of CPU time]`);
      const status = result.exitCode ?? `killed (${result.signal ?? 'unknown signal'})`;
      return [`exit code: ${status}`, result.output, ...notes].join('\n');
    },
  });
}
