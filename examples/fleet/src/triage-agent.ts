/**
 * The agent of the fleet example: triages a support ticket on a scripted model. It reads the
 * ticket, looks up the customer, files a label (a side effect, keyed by its call id so that a
 * run resumed after a crash does not file twice), then answers.
 */
import type { AgentFactory } from '@reins/bullmq';
import { type CostLedger, createCostBudget } from '@reins/controller';
import { defineTool } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { z } from 'zod';

/** Prices of the scripted model, for the cost cap. */
export const scriptedPrices = { 'scripted-1': { inputPerMillion: 30, outputPerMillion: 120 } };

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * The factory a worker registers as `triage`.
 * @param ledger - the fleet's cost ledger.
 * @param fileLabel - records a label once per call id.
 */
export function triageAgent(
  ledger: CostLedger,
  fileLabel: (ticket: string, label: string, callId: string) => Promise<void>,
): AgentFactory {
  return ({ data }) => {
    const ticket = String((data as { ticket?: string } | undefined)?.ticket ?? 'T-0');
    const readTicket = defineTool({
      name: 'read_ticket',
      description: 'Reads a support ticket.',
      input: z.object({ id: z.string() }),
      execute: async ({ id }, context) => {
        await pause(150, context.signal);
        return `Ticket ${id}: the export to CSV fails for accounts with more than 10 000 rows.`;
      },
    });
    const lookUpCustomer = defineTool({
      name: 'look_up_customer',
      description: 'Looks up the customer of a ticket.',
      input: z.object({ id: z.string() }),
      execute: async (_input, context) => {
        await pause(150, context.signal);
        return 'Plan: business. Open tickets: 2.';
      },
    });
    const label = defineTool({
      name: 'file_label',
      description: 'Files a label on the ticket.',
      input: z.object({ id: z.string(), label: z.string() }),
      execute: async ({ id, label: name }, context) => {
        await fileLabel(id, name, context.callId);
        return `Filed '${name}' on ${id}.`;
      },
    });
    return {
      backend: createScriptedBackend({
        delayMs: 25,
        chunkSize: 12,
        responses: [
          {
            text: 'Reading the ticket first.',
            toolCalls: [{ name: 'read_ticket', arguments: { id: ticket } }],
          },
          {
            text: 'An export bug; checking who is affected.',
            toolCalls: [{ name: 'look_up_customer', arguments: { id: ticket } }],
          },
          {
            text: 'A business customer: filing it as a priority bug.',
            toolCalls: [{ name: 'file_label', arguments: { id: ticket, label: 'bug/priority' } }],
          },
          { text: `${ticket}: export bug, business plan, filed as bug/priority.` },
        ],
      }),
      tools: [readTicket, lookUpCustomer, label],
      instructions: 'You triage support tickets.',
      controller: createCostBudget({ ledger, prices: scriptedPrices, maxTokensPerCall: 256 }),
    };
  };
}
