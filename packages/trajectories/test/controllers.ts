import type { Controller, Directive } from '@reins/core';

/** Stops a run before model call `maxTurns + 1` (plus granted turns). */
export function turnCap(maxTurns: number): Controller {
  return {
    name: `turn-cap-${maxTurns}`,
    open: () => ({
      beforeModel: (view) =>
        view.turn >= maxTurns + view.grantedTurns
          ? [
              {
                type: 'stop',
                reason: 'turn-budget',
                message: `${maxTurns} turns used.`,
                source: 'turn-cap',
              },
            ]
          : undefined,
    }),
  };
}

/**
 * A busier controller: a reminder every `every` turns, one extension of 5 turns at the cap, an
 * event after every shell command that failed, and a stop at the cap (after the extension).
 */
export function remindingCap(every: number, cap: number): Controller {
  return {
    name: 'reminding-cap',
    open: () => {
      let extended = false;
      return {
        beforeModel: (view) => {
          const directives: Directive[] = [];
          if (view.turn > 0 && view.turn % every === 0)
            directives.push({
              type: 'inject',
              role: 'user',
              content: `Turn ${view.turn}: finish soon.`,
              ephemeral: view.turn % (2 * every) === 0,
              source: 'reminder',
            });
          if (view.turn >= cap + view.grantedTurns) {
            if (!extended) {
              extended = true;
              directives.push({
                type: 'grant-turns',
                turns: 5,
                reason: 'one extension',
                source: 'cap',
              });
            } else {
              directives.push({
                type: 'stop',
                reason: 'turn-budget',
                message: 'cap',
                source: 'cap',
              });
            }
          }
          return directives;
        },
        afterTool: (_view, outcome) =>
          outcome.result.status === 'ok' && /^\s*<returncode>[1-9]/.test(outcome.result.output)
            ? [
                {
                  type: 'emit',
                  event: {
                    name: 'custom.command-failed',
                    policy: 'exit-code',
                    message: 'A command failed.',
                    evidence: { call: outcome.call.id },
                  },
                },
              ]
            : undefined,
      };
    },
  };
}
