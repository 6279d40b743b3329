import { createController, createInterruptionPolicy, createTurnBudget } from '@reins/controller';
import { type Agent, createAgent, defineTool, type Message } from '@reins/core';
import { createScriptedBackend, type ScriptedResponse } from '@reins/core/testing';
import { z } from 'zod';

/** Options of {@link createShopAgent}. */
export interface ShopAgentOptions {
  /**
   * Milliseconds per page the `read_sales_page` tool takes.
   * @defaultValue 600
   */
  readonly toolMs?: number;
  /**
   * Milliseconds between streamed chunks of the scripted model.
   * @defaultValue 40
   */
  readonly chunkMs?: number;
  /**
   * Pages the agent reads before answering.
   * @defaultValue 8
   */
  readonly pages?: number;
}

/** The updates the scripted model has seen, read from the framed update messages. */
function updatesSeen(messages: readonly Message[]): string[] {
  return messages.flatMap((message) =>
    message.role === 'user' && message.origin?.kind === 'interrupt'
      ? message.content.split('\n').flatMap((line) => {
          const match =
            /^(?:\d+\. )?(New requirement|Correction|Dropped requirement)[^:]*: (.*)$/.exec(line);
          return match === null ? [] : [`${match[1]}: ${match[2]}`];
        })
      : [],
  );
}

/**
 * A shop analyst on a scripted model: it reads sales pages one by one (a slow tool that honours
 * its signal), thinks aloud between them, and answers with what it was asked, updates
 * included. Its controller frames interruptions with `createInterruptionPolicy` and grants two
 * turns per revision.
 *
 * @param options - tool and streaming speed, pages to read.
 * @returns the agent.
 * @example
 * ```ts
 * const handle = createShopAgent().run('Top-5 best-selling products in Feb 2023?');
 * handle.interrupt({ kind: 'revision', text: 'January, not February', urgency: 'now' });
 * ```
 */
export function createShopAgent(options: ShopAgentOptions = {}): Agent {
  const toolMs = options.toolMs ?? 600;
  const pages = options.pages ?? 8;
  const readSalesPage = defineTool({
    name: 'read_sales_page',
    description: 'Reads one page of the sales report.',
    input: z.object({ page: z.number().int().positive() }),
    execute: ({ page }, { signal }) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => resolve(`page ${page}: ${3 * page} orders, best seller item #${100 + page}`),
          toolMs,
        );
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
  });
  const step = (
    request: { messages: readonly Message[]; settings?: { toolChoice?: string } },
    index: number,
  ): ScriptedResponse => {
    const updates = updatesSeen(request.messages);
    const noted = updates.length === 0 ? '' : ` Taking into account: ${updates.join(' | ')}.`;
    if (request.settings?.toolChoice === 'none') {
      return {
        text: `From the ${Math.max(0, index)} pages read so far: item #101 leads.${noted}`,
      };
    }
    if (index < pages) {
      return {
        reasoning:
          index === 0
            ? 'I start with page 1 of the sales report and keep a running ranking. '
            : `Page ${index} done. The next page may change the ranking, so I read page ${index + 1} before concluding. `,
        text: `Reading page ${index + 1}.`,
        toolCalls: [{ name: 'read_sales_page', arguments: { page: index + 1 } }],
      };
    }
    return { text: `Best sellers over ${pages} pages: item #108, #107, #106.${noted}` };
  };
  return createAgent({
    backend: createScriptedBackend({
      responses: Array.from({ length: pages + 1 }, () => step),
      delayMs: options.chunkMs ?? 40,
      chunkSize: 12,
    }),
    tools: [readSalesPage],
    instructions: 'You are a careful shop analyst. Read the sales pages, then answer.',
    controller: createController({
      budget: createTurnBudget({ mode: 'fixed', limit: pages + 2, reminder: false }),
      interruptions: createInterruptionPolicy({ grantTurns: { perRevision: 2, maxTotal: 6 } }),
      hints: false,
    }),
  });
}
