import type { AgentContext } from './agent-context.js';
import type { Directive } from './directive.js';
import type { Interrupt } from './interrupt.js';

/**
 * Applies a controller's directives to the run, in order, emitting `directive.applied` (and the
 * named event of an `emit` directive) for each. The first ending (`stop`, `cancel`) wins.
 *
 * @param interrupts - set when the directives answer interruptions: injected messages then
 *   record them as their origin.
 */
export function applyDirectives(
  context: AgentContext,
  directives: readonly Directive[] | undefined,
  interrupts?: Interrupt | readonly Interrupt[],
): void {
  const answered: readonly Interrupt[] | undefined =
    interrupts === undefined || Array.isArray(interrupts)
      ? (interrupts as readonly Interrupt[] | undefined)
      : [interrupts as Interrupt];
  if (directives === undefined) return;
  for (const directive of directives) {
    applyDirective(context, directive, answered);
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
  interrupts: readonly Interrupt[] | undefined,
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
          origin: interruptOrigin(interrupts) ?? { kind: 'controller', source: directive.source },
        });
      }
      return;
    }
    case 'stop':
      context.ending ??= {
        status: directive.endAs ?? 'stopped',
        reason: directive.reason,
        message: directive.message,
        forceAnswer: directive.finalAnswer === 'force',
        ...(directive.answerMaxTokens === undefined
          ? {}
          : { answerMaxTokens: directive.answerMaxTokens }),
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

/** The origin of a message answering interruptions: the last one, and all of them when several. */
function interruptOrigin(interrupts: readonly Interrupt[] | undefined) {
  const last = interrupts?.at(-1);
  if (interrupts === undefined || last === undefined) return undefined;
  return {
    kind: 'interrupt' as const,
    interruptId: last.id,
    interruptKind: last.kind,
    ...(interrupts.length > 1 ? { interruptIds: interrupts.map((each) => each.id) } : {}),
  };
}
