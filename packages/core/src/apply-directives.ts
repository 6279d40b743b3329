import type { AgentContext } from './agent-context.js';
import type { Directive } from './directive.js';
import type { Interrupt } from './interrupt.js';

/**
 * Applies a controller's directives to the run, in order, emitting `directive.applied` (and the
 * named event of an `emit` directive) for each. The first ending (`stop`, `cancel`) wins.
 *
 * @param interrupt - set when the directives answer an interruption: injected messages then
 *   record it as their origin.
 */
export function applyDirectives(
  context: AgentContext,
  directives: readonly Directive[] | undefined,
  interrupt?: Interrupt,
): void {
  if (directives === undefined) return;
  for (const directive of directives) {
    applyDirective(context, directive, interrupt);
    const base = { runId: context.runId, turn: context.turn, at: context.deps.clock.now() };
    if (directive.type === 'emit') {
      const { name, ...payload } = directive.event;
      context.deps.emit({ ...base, ...payload, type: name, controller: true });
    } else {
      context.deps.emit({ ...base, type: 'directive.applied', directive });
    }
  }
}

function applyDirective(
  context: AgentContext,
  directive: Directive,
  interrupt: Interrupt | undefined,
): void {
  switch (directive.type) {
    case 'inject': {
      if (directive.ephemeral) {
        context.ephemeral.push(
          directive.role === 'system'
            ? { role: 'system', content: directive.content }
            : {
                role: 'user',
                content: directive.content,
                origin: { kind: 'controller', source: directive.source },
              },
        );
      } else if (directive.role === 'system') {
        context.messages.push({ role: 'system', content: directive.content });
      } else {
        context.messages.push({
          role: 'user',
          content: directive.content,
          origin:
            interrupt === undefined
              ? { kind: 'controller', source: directive.source }
              : { kind: 'interrupt', interruptId: interrupt.id, interruptKind: interrupt.kind },
        });
      }
      return;
    }
    case 'stop':
      context.ending ??= {
        status: 'stopped',
        reason: directive.reason,
        message: directive.message,
        forceAnswer: directive.finalAnswer === 'force',
      };
      return;
    case 'cancel':
      context.ending ??= {
        status: 'cancelled',
        reason: directive.reason,
        message: directive.reason,
        forceAnswer: false,
      };
      return;
    case 'pause':
      context.pauseReason ??= directive.reason;
      return;
    case 'grant-turns':
      context.grantedTurns += directive.turns;
      return;
    case 'model-settings':
      context.nextSettings = { ...context.nextSettings, ...directive.settings };
      return;
    case 'offer-tools':
      context.offeredTools.push(...directive.tools);
      return;
    case 'compact': {
      const { from, to, summary } = directive;
      const summaryMessage = {
        role: 'user' as const,
        content: summary,
        origin: { kind: 'controller' as const, source: directive.source },
      };
      context.messages = [
        ...context.messages.slice(0, from),
        summaryMessage,
        ...context.messages.slice(to),
      ];
      context.historyGeneration += 1;
      return;
    }
    case 'emit':
      return;
  }
}
