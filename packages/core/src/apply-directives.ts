import type { AgentContext } from './agent-context.js';
import type { Directive } from './directive.js';
import { ReinsError } from './errors/reins-error.js';
import type { Interrupt } from './interrupt.js';
import type { Message } from './message.js';

/**
 * Applies a controller's directives to the run, in order, emitting `directive.applied` (and the
 * named event of an `emit` directive) for each. The first ending (`stop`, `cancel`) wins.
 * A `compact` whose range is not a whole number of turns of the history is not applied: the
 * run fails with an `invalid-directive` error instead, its history unchanged.
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
      const problem = compactRangeProblem(context.messages, from, to);
      if (problem !== undefined) {
        context.failure ??= new ReinsError(
          'invalid-directive',
          `Directive compact from '${directive.source}' asks to replace messages [${from}, ${to}) of a history of ${context.messages.length}: ${problem}. Choose from and to at turn boundaries (0 <= from <= to <= history length, never between an assistant message and its tool results); fix the controller.`,
        );
        return;
      }
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

/**
 * Why `[from, to)` cannot be replaced by a summary while keeping every tool result with its
 * call, or `undefined` when it can.
 */
function compactRangeProblem(
  messages: readonly Message[],
  from: number,
  to: number,
): string | undefined {
  if (!Number.isInteger(from) || !Number.isInteger(to)) return 'from and to must be integers';
  if (from < 0 || to > messages.length || from > to) return 'the range lies outside the history';
  for (const index of new Set([from, to])) {
    if (messages[index]?.role === 'tool')
      return `message ${index} is a tool result, separated from its call`;
    const before = messages[index - 1];
    if (before?.role === 'assistant' && before.toolCalls.length > 0)
      return `message ${index - 1} has tool calls whose results would be separated from it`;
  }
  return undefined;
}
